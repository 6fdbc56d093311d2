//! A person edits their profile: name, note, profile fields (department, role,
//! skills…), avatar and header, whether they approve followers. Their
//! followers' servers get an `Update` of the actor.

use std::path::Path;

use super::{
    events::{self, Event},
    media::{image, store},
    now,
};
use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult, invalid_field},
    model::content,
    state::AppState,
};

pub const MAX_FIELDS: usize = 4;
pub const MAX_DISPLAY_NAME: usize = 100;
pub const MAX_NOTE: usize = 2000;
pub const MAX_FIELD_NAME: usize = 255;
pub const MAX_FIELD_VALUE: usize = 255;
const AVATAR: (u32, u32) = (400, 400);
const HEADER: (u32, u32) = (1500, 500);

/// What a client changes; `None` leaves a part as it is.
#[derive(Default)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub discoverable: Option<bool>,
    pub fields: Option<Vec<(String, String)>>,
    pub avatar: Option<Picture>,
    pub header: Option<Picture>,
}

/// A new profile picture, or none at all.
pub enum Picture {
    Replace(Vec<u8>),
    Remove,
}

fn too_long(field: &str, max: usize) -> AppError {
    invalid_field(field, format!("is too long (maximum is {max} characters)"))
}

/// An uploaded picture, fitted to its shape and stored; its URL.
async fn picture(
    state: &AppState,
    bytes: Vec<u8>,
    field: &str,
    (w, h): (u32, u32),
) -> AppResult<String> {
    let limits = &state.config.media;
    if bytes.len() > limits.max_image_bytes {
        return Err(invalid_field(field, "is too large"));
    }
    let max_pixels = limits.max_image_pixels;
    let (bytes, ext) = tokio::task::spawn_blocking(move || image::fitted(&bytes, max_pixels, w, h))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| invalid_field(field, e))?;
    let key = store::new_key(ext);
    store::put(Path::new(&limits.path), &key, bytes)
        .await
        .map_err(AppError::internal)?;
    Ok(super::media::file_url(state, &key))
}

pub async fn update(state: &AppState, me: &Actor, u: ProfileUpdate) -> AppResult<Actor> {
    let mut next = me.clone();
    let tag_base = format!("{}/tags", state.urls.base());
    if let Some(name) = u.display_name {
        next.display_name = display_name(name)?;
    }
    if let Some(note) = u.note {
        (next.summary, next.note_source) = note_html(note, &tag_base)?;
    }
    if let Some(fields) = u.fields {
        next.fields = fields_json(fields, &tag_base)?;
    }
    if let Some(l) = u.locked {
        next.locked = l;
    }
    if let Some(d) = u.discoverable {
        next.discoverable = d;
    }
    let (added, replaced) = replace_pictures(state, &mut next, u.avatar, u.header).await?;
    next.updated_at = now();
    let row = next.clone();
    let event = Event::ActorUpdated { actor_id: me.id };
    let saved = state
        .db
        .write(move |c| {
            db::actors::update_profile(c, &row)?;
            events::store(c, &[event])
        })
        .await;
    discard(state, if saved.is_ok() { &replaced } else { &added }).await;
    saved?;
    Ok(next)
}

fn display_name(name: String) -> AppResult<String> {
    let name = name.trim().to_string();
    if name.chars().count() > MAX_DISPLAY_NAME {
        return Err(too_long("display_name", MAX_DISPLAY_NAME));
    }
    Ok(name)
}

/// The note's HTML (empty for an empty note) and the note as typed.
fn note_html(note: String, tag_base: &str) -> AppResult<(String, String)> {
    let note = note.trim().to_string();
    if note.chars().count() > MAX_NOTE {
        return Err(too_long("note", MAX_NOTE));
    }
    let html = if note.is_empty() {
        String::new()
    } else {
        content::plain_to_html(&note, &|_| None, tag_base)
    };
    Ok((html, note))
}

/// Profile fields as stored: a JSON array of `{"name", "value"}`, blank pairs
/// dropped.
fn fields_json(fields: Vec<(String, String)>, tag_base: &str) -> AppResult<String> {
    let fields: Vec<(String, String)> = fields
        .into_iter()
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .filter(|(n, v)| !n.is_empty() || !v.is_empty())
        .collect();
    if fields.len() > MAX_FIELDS {
        return Err(invalid_field(
            "fields_attributes",
            format!("at most {MAX_FIELDS} fields"),
        ));
    }
    if fields
        .iter()
        .any(|(n, _)| n.chars().count() > MAX_FIELD_NAME)
    {
        return Err(too_long("fields_attributes.name", MAX_FIELD_NAME));
    }
    if fields
        .iter()
        .any(|(_, v)| v.chars().count() > MAX_FIELD_VALUE)
    {
        return Err(too_long("fields_attributes.value", MAX_FIELD_VALUE));
    }
    let json: Vec<serde_json::Value> = fields
        .iter()
        .map(|(n, v)| {
            serde_json::json!({
                "name": n,
                // Links in values become links, as on Mastodon.
                "value": content::plain_to_html(v, &|_| None, tag_base).trim_start_matches("<p>").trim_end_matches("</p>"),
            })
        })
        .collect();
    Ok(serde_json::Value::Array(json).to_string())
}

/// Stores the new avatar and header into `next`. Returns the files stored for
/// this update and those it replaces: the first go if the update fails, the
/// others once it is saved (a failure here discards what it stored already).
async fn replace_pictures(
    state: &AppState,
    next: &mut Actor,
    avatar: Option<Picture>,
    header: Option<Picture>,
) -> AppResult<(Vec<String>, Vec<String>)> {
    let (mut added, mut replaced) = (vec![], vec![]);
    for (change, url, field, shape) in [
        (avatar, &mut next.avatar_url, "avatar", AVATAR),
        (header, &mut next.header_url, "header", HEADER),
    ] {
        let Some(change) = change else { continue };
        let new = match change {
            Picture::Replace(bytes) => match picture(state, bytes, field, shape).await {
                Ok(stored) => Some(stored),
                Err(e) => {
                    discard(state, &added).await;
                    return Err(e);
                }
            },
            Picture::Remove => None,
        };
        added.extend(new.clone());
        replaced.extend(std::mem::replace(url, new));
    }
    Ok((added, replaced))
}

/// Deletes the stored files behind `urls` (remote ones are left alone).
async fn discard(state: &AppState, urls: &[String]) {
    let keys: Vec<String> = urls
        .iter()
        .filter_map(|u| super::media::own_key(state, u))
        .collect();
    store::delete(&super::media::root(state), &keys).await;
}

/// The language a person reads the interface and e-mails in (`None`: their
/// browser's, else the instance's).
pub async fn set_language(state: &AppState, user_id: i64, lang: Option<&str>) -> AppResult<()> {
    let lang = lang.unwrap_or_default().to_string();
    state
        .db
        .write(move |c| Ok(db::users::set_locale(c, user_id, &lang)?))
        .await
}

/// The language a person chose, as an API sends it (`fr`, `fr-FR`; empty:
/// none): 422 for a language the interface does not speak. Returns the code kept.
pub async fn set_language_tag(state: &AppState, user_id: i64, tag: &str) -> AppResult<String> {
    let code = match tag.trim() {
        "" => "",
        t => crate::web::i18n::Lang::parse(t)
            .map(|l| l.code())
            .ok_or_else(|| {
                crate::error::invalid_field(
                    "source[language]",
                    "is not a language of this instance (en, fr)",
                )
            })?,
    };
    set_language(state, user_id, Some(code)).await?;
    Ok(code.to_string())
}
