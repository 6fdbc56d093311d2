//! The signed-in person edits their profile: `update_credentials`, and taking
//! the avatar or header away.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;

use super::entities::account::{self, Account};
use crate::{
    api::{auth::Auth, multipart::BodyWithFiles},
    db,
    error::AppResult,
    service::profile::{self, Picture, ProfileUpdate},
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct UpdateCredentials {
    display_name: Option<String>,
    note: Option<String>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    locked: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    discoverable: Option<bool>,
    /// `fields_attributes[0][name]=…` (a map by index) or a JSON array.
    fields_attributes: Option<Value>,
    /// `source[language]`: the language of the web interface (and e-mails).
    source: Option<SourceForm>,
}

#[derive(Deserialize, Default)]
pub struct SourceForm {
    language: Option<String>,
}

/// Profile fields as clients send them: an array, or an object keyed by index.
fn fields_of(v: Value) -> AppResult<Vec<(String, String)>> {
    let items: Vec<Value> = match v {
        Value::Array(a) => a,
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by_key(|(k, _)| k.parse::<u32>().unwrap_or(u32::MAX));
            entries.into_iter().map(|(_, v)| v).collect()
        }
        _ => {
            return Err(crate::error::invalid_field(
                "fields_attributes",
                "must be a list of name and value",
            ));
        }
    };
    Ok(items
        .iter()
        .map(|f| {
            let text = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("").to_string();
            (text("name"), text("value"))
        })
        .collect())
}

/// `PATCH /api/v1/accounts/update_credentials`: form, JSON or multipart (with
/// `avatar` and `header` files).
pub async fn update_credentials(
    State(state): State<AppState>,
    auth: Auth,
    // The files stay reserved in the upload budget until the profile is saved.
    BodyWithFiles {
        form,
        files,
        reserved: _reserved,
    }: BodyWithFiles<UpdateCredentials>,
) -> AppResult<Json<Account>> {
    let (user, me) = auth.user_with("write:accounts")?.clone();
    let mut locale = user.locale.clone();
    if let Some(language) = form.source.and_then(|s| s.language) {
        locale = profile::set_language_tag(&state, user.id, &language).await?;
    }
    let mut update = ProfileUpdate {
        display_name: form.display_name,
        note: form.note,
        locked: form.locked,
        discoverable: form.discoverable,
        fields: form.fields_attributes.map(fields_of).transpose()?,
        ..Default::default()
    };
    for (name, bytes) in files {
        match name.as_str() {
            "avatar" => update.avatar = Some(Picture::Replace(bytes)),
            "header" => update.header = Some(Picture::Replace(bytes)),
            _ => {}
        }
    }
    credential_after(&state, &me, update, &locale).await
}

/// `DELETE /api/v1/profile/avatar`
pub async fn delete_avatar(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Account>> {
    let (user, me) = auth.user_with("write:accounts")?.clone();
    let update = ProfileUpdate {
        avatar: Some(Picture::Remove),
        ..Default::default()
    };
    credential_after(&state, &me, update, &user.locale).await
}

/// `DELETE /api/v1/profile/header`
pub async fn delete_header(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Account>> {
    let (user, me) = auth.user_with("write:accounts")?.clone();
    let update = ProfileUpdate {
        header: Some(Picture::Remove),
        ..Default::default()
    };
    credential_after(&state, &me, update, &user.locale).await
}

/// Applies `update` to `me`'s profile; the account as its owner sees it.
async fn credential_after(
    state: &AppState,
    me: &db::actors::Actor,
    update: ProfileUpdate,
    locale: &str,
) -> AppResult<Json<Account>> {
    let actor = crate::service::profile::update(state, me, update).await?;
    let id = actor.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, id)?))
        .await?;
    Ok(Json(account::credential(state, &actor, counts, locale)))
}
