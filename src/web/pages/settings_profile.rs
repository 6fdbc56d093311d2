//! The profile form of `/settings`: name, bio, the organisation's profile fields
//! and the two pictures, through the same `service::profile::update` as
//! `PATCH /api/v1/accounts/update_credentials`.

use axum::{extract::State, response::Response};
use serde::Deserialize;

use crate::{
    config::DirectoryField,
    db::actors::Actor,
    error::AppResult,
    service::{
        directory,
        profile::{self, Picture, ProfileUpdate},
    },
    state::AppState,
    web::{form::PostedFiles, i18n::Tr, page::back_to},
};

/// A directory field of the form: its input name, label, value as saved,
/// longest length and help text.
pub struct DirectoryInput {
    pub name: String,
    pub label: String,
    pub value: String,
    pub max: usize,
    pub help: Option<String>,
}

/// The enabled directory fields of `me`, to fill in.
pub async fn directory_inputs(
    state: &AppState,
    t: &Tr,
    me: &Actor,
) -> AppResult<Vec<DirectoryInput>> {
    let shown = directory::profile::read(state, me, Some(me))
        .await?
        .unwrap_or_default();
    Ok(state
        .config
        .directory
        .fields
        .iter()
        .map(|f| {
            let (value, max, help) = match f {
                DirectoryField::Skills => (
                    shown.skills.join(", "),
                    2000,
                    Some(t.s("directory-skills-help")),
                ),
                DirectoryField::Phone => (
                    shown.get(*f).to_string(),
                    directory::profile::MAX_PHONE,
                    None,
                ),
                DirectoryField::Languages => (
                    shown.get(*f).to_string(),
                    directory::profile::MAX_LANGUAGES,
                    None,
                ),
                _ => (
                    shown.get(*f).to_string(),
                    directory::profile::MAX_TEXT,
                    None,
                ),
            };
            DirectoryInput {
                name: format!("dir_{}", f.as_str()),
                label: super::directory::label(t, *f),
                value,
                max,
                help,
            }
        })
        .collect())
}

/// What the form changes in the directory: the enabled fields it sent.
fn directory_change(
    state: &AppState,
    posted: &std::collections::HashMap<String, serde_json::Value>,
) -> directory::profile::ProfileChange {
    let mut change = directory::profile::ProfileChange::default();
    for f in &state.config.directory.fields {
        let Some(v) = posted
            .get(&format!("dir_{}", f.as_str()))
            .and_then(|v| v.as_str())
            .map(str::to_string)
        else {
            continue;
        };
        match f {
            DirectoryField::Skills => change.skills = Some(vec![v]),
            f => change.text.push((*f, v)),
        }
    }
    change
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileForm {
    display_name: String,
    note: String,
    field_name0: String,
    field_value0: String,
    field_name1: String,
    field_value1: String,
    field_name2: String,
    field_value2: String,
    field_name3: String,
    field_value3: String,
    remove_avatar: String,
    remove_header: String,
    /// The directory's fields (`dir_department`, …), when the form shows them.
    #[serde(flatten)]
    directory: std::collections::HashMap<String, serde_json::Value>,
}

impl ProfileForm {
    fn fields(&self) -> Vec<(String, String)> {
        [
            (&self.field_name0, &self.field_value0),
            (&self.field_name1, &self.field_value1),
            (&self.field_name2, &self.field_value2),
            (&self.field_name3, &self.field_value3),
        ]
        .into_iter()
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
    }
}

/// A picture chosen in `field`, else removed if its box was ticked.
fn picture(files: &mut Vec<(String, Vec<u8>)>, field: &str, remove: &str) -> Option<Picture> {
    match files.iter().position(|(name, _)| name == field) {
        Some(at) => Some(Picture::Replace(files.swap_remove(at).1)),
        None if !remove.is_empty() => Some(Picture::Remove),
        None => None,
    }
}

pub async fn post_profile(
    State(state): State<AppState>,
    posted: PostedFiles<ProfileForm>,
) -> AppResult<Response> {
    let PostedFiles {
        visitor,
        form,
        mut files,
    } = posted;
    let (_, me) = visitor.require()?;
    let change = directory_change(&state, &form.directory);
    if !change.text.is_empty() || change.skills.is_some() {
        directory::profile::update(&state, me, change).await?;
    }
    let update = ProfileUpdate {
        avatar: picture(&mut files, "avatar", &form.remove_avatar),
        header: picture(&mut files, "header", &form.remove_header),
        fields: Some(form.fields()),
        display_name: Some(form.display_name),
        note: Some(form.note),
        ..ProfileUpdate::default()
    };
    profile::update(&state, me, update).await?;
    Ok(back_to("/settings?saved=profile"))
}
