//! `Instance` entities (v1 and v2), with the organisation's branding.

use crate::service::{media, polls};
use serde_json::{Value, json};

use crate::{config::RegistrationMode, db::instance_stats::Stats, state::AppState};

/// Claim only the Mastodon version whose API clients may rely on.
pub fn version() -> String {
    format!(
        "4.2.0 (compatible; Passerelle {})",
        env!("CARGO_PKG_VERSION")
    )
}

fn streaming_url(state: &AppState) -> String {
    let scheme = if state.config.federation.allow_insecure {
        "ws"
    } else {
        "wss"
    };
    format!("{scheme}://{}", state.urls.domain())
}

fn thumbnail(state: &AppState) -> String {
    state
        .instance()
        .logo_url
        .clone()
        .unwrap_or_else(|| format!("{}/static/logo.png", state.urls.base()))
}

fn supported_mime_types() -> Vec<&'static str> {
    ["image/jpeg", "image/png", "image/gif", "image/webp"]
        .into_iter()
        .chain(media::DOCUMENT_TYPES.iter().map(|d| d.0))
        .collect()
}

fn configuration(state: &AppState) -> Value {
    json!({
        "urls": { "streaming": streaming_url(state) },
        "accounts": { "max_featured_tags": 0, "max_pinned_statuses": 5 },
        "statuses": {
            "max_characters": 5000,
            "max_media_attachments": 4,
            "characters_reserved_per_url": 23
        },
        "media_attachments": {
            "supported_mime_types": supported_mime_types(),
            "image_size_limit": state.config.media.max_image_bytes,
            "image_matrix_limit": state.config.media.max_image_pixels,
            "video_size_limit": state.config.media.max_document_bytes,
            "video_frame_rate_limit": 60,
            "video_matrix_limit": 8_294_400,
            "description_limit": media::MAX_DESCRIPTION
        },
        "polls": {
            "max_options": polls::MAX_OPTIONS,
            "max_characters_per_option": polls::MAX_OPTION_CHARS,
            "min_expiration": polls::MIN_EXPIRATION,
            "max_expiration": polls::MAX_EXPIRATION
        },
        "translation": { "enabled": false }
    })
}

/// Passerelle's extension: the organisation's colours and logo.
fn branding(state: &AppState) -> Value {
    json!({
        "accent_color": state.instance().accent_color,
        "logo_url": state.instance().logo_url,
    })
}

pub fn v1(state: &AppState, stats: Stats) -> Value {
    let i = state.instance();
    let open = state.instance().registration == RegistrationMode::Open;
    let mut c = configuration(state);
    c.as_object_mut().map(|o| o.remove("urls"));
    json!({
        "uri": state.urls.domain(),
        "title": i.name,
        "short_description": i.description,
        "description": i.description,
        "email": i.contact_email,
        "version": version(),
        "urls": { "streaming_api": streaming_url(state) },
        "stats": {
            "user_count": stats.users,
            "status_count": stats.local_statuses,
            "domain_count": stats.domains
        },
        "thumbnail": thumbnail(state),
        "languages": ["en", "fr"],
        "registrations": open,
        "approval_required": false,
        "invites_enabled": state.instance().registration == RegistrationMode::Invite,
        "configuration": c,
        "contact_account": Value::Null,
        "rules": [],
        "passerelle": { "branding": branding(state) },
    })
}

/// `vapid_key`: the Web Push key, in `configuration.vapid` as Mastodon 4.3.
pub fn v2(state: &AppState, stats: Stats, vapid_key: &str) -> Value {
    let i = state.instance();
    let mut configuration = configuration(state);
    if let Some(o) = configuration.as_object_mut() {
        o.insert("vapid".into(), json!({ "public_key": vapid_key }));
    }
    json!({
        "domain": state.urls.domain(),
        "title": i.name,
        "version": version(),
        "source_url": i.source_url,
        "description": i.description,
        "usage": { "users": { "active_month": stats.active_month } },
        "thumbnail": { "url": thumbnail(state) },
        "icon": [],
        "languages": ["en", "fr"],
        "configuration": configuration,
        "registrations": {
            "enabled": state.instance().registration != RegistrationMode::Closed,
            "approval_required": false,
            "message": Value::Null
        },
        "api_versions": { "mastodon": 1 },
        "contact": { "email": i.contact_email, "account": Value::Null },
        "rules": [],
        "passerelle": { "branding": branding(state) },
    })
}
