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
    pub avatar: Option<Vec<u8>>,
    pub header: Option<Vec<u8>>,
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
    store::put(Path::new(&limits.path), &key, &bytes)
        .await
        .map_err(AppError::internal)?;
    Ok(super::media::file_url(state, &key))
}

pub async fn update(
    state: &AppState,
    me: &Actor,
    u: ProfileUpdate,
) -> AppResult<(Actor, Vec<Event>)> {
    let mut next = me.clone();
    let tag_base = format!("{}/tags", state.urls.base());
    if let Some(name) = u.display_name {
        let name = name.trim().to_string();
        if name.chars().count() > MAX_DISPLAY_NAME {
            return Err(too_long("display_name", MAX_DISPLAY_NAME));
        }
        next.display_name = name;
    }
    if let Some(note) = u.note {
        let note = note.trim().to_string();
        if note.chars().count() > MAX_NOTE {
            return Err(too_long("note", MAX_NOTE));
        }
        next.summary = if note.is_empty() {
            String::new()
        } else {
            content::plain_to_html(&note, &|_| None, &tag_base)
        };
        next.note_source = note;
    }
    if let Some(fields) = u.fields {
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
                    "value": content::plain_to_html(v, &|_| None, &tag_base).trim_start_matches("<p>").trim_end_matches("</p>"),
                })
            })
            .collect();
        next.fields = serde_json::Value::Array(json).to_string();
    }
    if let Some(l) = u.locked {
        next.locked = l;
    }
    if let Some(d) = u.discoverable {
        next.discoverable = d;
    }
    if let Some(bytes) = u.avatar {
        next.avatar_url = Some(picture(state, bytes, "avatar", AVATAR).await?);
    }
    if let Some(bytes) = u.header {
        next.header_url = Some(picture(state, bytes, "header", HEADER).await?);
    }
    next.updated_at = now();
    let row = next.clone();
    let events = vec![Event::ActorUpdated { actor_id: me.id }];
    let evs = events.clone();
    state
        .db
        .write(move |c| {
            db::actors::update_profile(c, &row)?;
            events::store(c, &evs)
        })
        .await?;
    Ok((next, events))
}
