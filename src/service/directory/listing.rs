//! The directory page: people of this instance, filtered by department,
//! location and skill, and searched by their words.

use std::collections::HashMap;

use super::profile::Shown;
use crate::{
    config::DirectoryField,
    db::{self, actors::Actor, directory::Filters},
    error::{AppError, AppResult},
    state::AppState,
};

/// A person as the directory shows them.
#[derive(Debug, Clone)]
pub struct Person {
    pub actor: Actor,
    pub shown: Shown,
    pub ambassador: bool,
}

/// Their directory fields and badge, for several people in three queries.
pub async fn people_of(state: &AppState, actors: Vec<Actor>) -> AppResult<Vec<Person>> {
    let ids: Vec<i64> = actors.iter().map(|a| a.id).collect();
    let (profiles, skills, ambassadors) = state
        .db
        .run(move |c| {
            Ok((
                db::directory::profiles_of(c, &ids)?,
                db::directory::skills_of(c, &ids)?,
                db::roles::holders(c, db::roles::AMBASSADOR, &ids)?,
            ))
        })
        .await?;
    let profiles: HashMap<i64, _> = profiles.into_iter().map(|p| (p.actor_id, p)).collect();
    let mut skills_by: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, s) in skills {
        skills_by.entry(id).or_default().push(s);
    }
    let config = &state.config.directory;
    Ok(actors
        .into_iter()
        .map(|a| Person {
            shown: Shown::of(
                config,
                profiles.get(&a.id),
                skills_by.remove(&a.id).unwrap_or_default(),
            ),
            ambassador: ambassadors.contains(&a.id),
            actor: a,
        })
        .collect())
}

/// One page of the directory for a signed-in person of this instance; filters
/// on fields the organisation did not enable are ignored.
pub async fn search(
    state: &AppState,
    me: &Actor,
    mut f: Filters,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Person>> {
    if !me.local {
        return Err(AppError::forbidden(
            "The directory is for this instance's people",
        ));
    }
    let config = &state.config.directory;
    f.text = f.text.trim().to_string();
    f.department = enabled(config.enabled(DirectoryField::Department), &f.department);
    f.location = enabled(config.enabled(DirectoryField::Location), &f.location);
    f.skill = enabled(config.enabled(DirectoryField::Skills), &f.skill).to_lowercase();
    let found = state
        .db
        .run(move |c| Ok(db::directory::people(c, &f, limit, offset)?))
        .await?;
    people_of(state, found).await
}

fn enabled(on: bool, v: &str) -> String {
    if on {
        v.trim().to_string()
    } else {
        String::new()
    }
}

/// The departments and locations in use, for the filters' choices.
pub async fn choices(state: &AppState) -> AppResult<(Vec<String>, Vec<String>)> {
    state
        .db
        .run(|c| Ok((db::directory::departments(c)?, db::directory::locations(c)?)))
        .await
}
