//! The profile form of `/settings`: name, bio, the organisation's profile fields
//! and the two pictures, through the same `service::profile::update` as
//! `PATCH /api/v1/accounts/update_credentials`.

use axum::{extract::State, response::Response};
use serde::Deserialize;

use crate::{
    error::AppResult,
    service::profile::{self, Picture, ProfileUpdate},
    state::AppState,
    web::{form::PostedFiles, page::back_to},
};

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
