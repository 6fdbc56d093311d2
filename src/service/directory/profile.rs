//! A person's directory fields: reading them as config shows them, and the
//! person (or, later, single sign-on) changing them.

use crate::{
    config::{DirectoryConfig, DirectoryField},
    db::{self, actors::Actor, directory::DirectoryProfile},
    error::{AppError, AppResult, invalid_field},
    model::actor::ActorKind,
    service::now,
    state::AppState,
};

pub const MAX_TEXT: usize = 100;
pub const MAX_PHONE: usize = 40;
pub const MAX_LANGUAGES: usize = 200;
pub const MAX_SKILLS: usize = 30;
pub const MAX_SKILL: usize = 50;

/// What of a person's directory profile is shown: the enabled text fields that
/// are filled, in config order, and their skills (none when disabled).
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub fields: Vec<(DirectoryField, String)>,
    pub skills: Vec<String>,
}

impl Shown {
    pub fn of(config: &DirectoryConfig, p: Option<&DirectoryProfile>, skills: Vec<String>) -> Self {
        let fields = config
            .fields
            .iter()
            .filter(|f| **f != DirectoryField::Skills)
            .filter_map(|f| {
                let v = p.map(|p| value(p, *f)).unwrap_or_default();
                (!v.is_empty()).then(|| (*f, v.to_string()))
            })
            .collect();
        let skills = if config.enabled(DirectoryField::Skills) {
            skills
        } else {
            vec![]
        };
        Self { fields, skills }
    }

    pub fn get(&self, f: DirectoryField) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }
}

/// A text field's value (`skills` has none: they are rows of their own).
pub fn value(p: &DirectoryProfile, f: DirectoryField) -> &str {
    match f {
        DirectoryField::Department => &p.department,
        DirectoryField::JobTitle => &p.job_title,
        DirectoryField::Location => &p.location,
        DirectoryField::Phone => &p.phone,
        DirectoryField::Languages => &p.languages,
        DirectoryField::Skills => "",
    }
}

fn slot(p: &mut DirectoryProfile, f: DirectoryField) -> Option<&mut String> {
    match f {
        DirectoryField::Department => Some(&mut p.department),
        DirectoryField::JobTitle => Some(&mut p.job_title),
        DirectoryField::Location => Some(&mut p.location),
        DirectoryField::Phone => Some(&mut p.phone),
        DirectoryField::Languages => Some(&mut p.languages),
        DirectoryField::Skills => None,
    }
}

/// A person's directory profile as `viewer` may see it: only the instance's
/// own signed-in people see one (`None` otherwise).
pub async fn read(
    state: &AppState,
    who: &Actor,
    viewer: Option<&Actor>,
) -> AppResult<Option<Shown>> {
    if !viewer.is_some_and(|v| v.local) || !who.local {
        return Ok(None);
    }
    let id = who.id;
    let (p, skills) = state
        .db
        .run(move |c| {
            let skills = db::directory::skills_of(c, &[id])?;
            Ok((db::directory::profile(c, id)?, skills))
        })
        .await?;
    let skills = skills.into_iter().map(|(_, s)| s).collect();
    Ok(Some(Shown::of(&state.config.directory, p.as_ref(), skills)))
}

/// What changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ProfileChange {
    pub text: Vec<(DirectoryField, String)>,
    pub skills: Option<Vec<String>>,
}

fn checked_text(f: DirectoryField, v: &str) -> AppResult<String> {
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    let max = match f {
        DirectoryField::Phone => MAX_PHONE,
        DirectoryField::Languages => MAX_LANGUAGES,
        _ => MAX_TEXT,
    };
    if v.chars().count() > max {
        return Err(invalid_field(
            f.as_str(),
            format!("is too long (maximum is {max} characters)"),
        ));
    }
    if f == DirectoryField::Phone
        && !v
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err(invalid_field(
            "phone",
            "may hold digits, spaces and + - ( ) . only",
        ));
    }
    Ok(v)
}

/// Skills as stored: trimmed, lower case, without a leading `#`, each once.
pub fn normalised_skills(skills: &[String]) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = vec![];
    for s in skills.iter().flat_map(|s| s.split(',')) {
        let s = s
            .trim()
            .trim_start_matches('#')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if s.is_empty() || out.contains(&s) {
            continue;
        }
        if s.chars().count() > MAX_SKILL {
            return Err(invalid_field(
                "skills",
                format!("has a skill too long (maximum is {MAX_SKILL} characters)"),
            ));
        }
        out.push(s);
    }
    if out.len() > MAX_SKILLS {
        return Err(invalid_field(
            "skills",
            format!("at most {MAX_SKILLS} skills"),
        ));
    }
    Ok(out)
}

/// The person changes their directory fields; a field the organisation did
/// not enable is refused.
pub async fn update(state: &AppState, me: &Actor, change: ProfileChange) -> AppResult<Shown> {
    if !me.local || me.kind() != ActorKind::Person {
        return Err(AppError::forbidden(
            "Only this instance's people have a directory profile",
        ));
    }
    let config = &state.config.directory;
    let mut text = vec![];
    for (f, v) in &change.text {
        if !config.enabled(*f) || *f == DirectoryField::Skills {
            return Err(invalid_field(
                f.as_str(),
                "is not a field of this directory",
            ));
        }
        text.push((*f, checked_text(*f, v)?));
    }
    let skills = match &change.skills {
        Some(_) if !config.enabled(DirectoryField::Skills) => {
            return Err(invalid_field("skills", "is not a field of this directory"));
        }
        Some(s) => Some(normalised_skills(s)?),
        None => None,
    };
    let id = me.id;
    state
        .db
        .write(move |c| {
            let at = now();
            let mut p =
                db::directory::profile(c, id)?.unwrap_or_else(|| DirectoryProfile::empty(id, at));
            for (f, v) in text {
                if let Some(s) = slot(&mut p, f) {
                    *s = v;
                }
            }
            p.source = "person".into();
            p.updated_at = at;
            db::directory::save(c, &p, skills.as_deref())?;
            Ok(())
        })
        .await?;
    read(state, me, Some(me))
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no profile read back")))
}
