//! Attachments on the wire, both ways: another server's become `Media` rows kept
//! by URL; ours go out as Mastodon sends them.

use serde_json::Value;

use crate::{
    db::media::Media,
    federation::protocol::web_url,
    model::id::new_id,
    service::{
        media::{MAX_DESCRIPTION, MAX_REMOTE, file_url},
        now,
    },
    state::AppState,
};

/// Another server's attachments: images, video, audio, documents, in order. Their
/// owner and status are set when the post is stored (`RemotePost::files_for`).
pub fn from_ap(attachments: &[Value]) -> Vec<Media> {
    let at = now();
    attachments
        .iter()
        .filter_map(|a| one(a, at))
        .take(MAX_REMOTE)
        .enumerate()
        .map(|(i, mut m)| {
            m.position = i as i32;
            m
        })
        .collect()
}

fn one(a: &Value, at: chrono::NaiveDateTime) -> Option<Media> {
    let kind = a.get("type")?.as_str()?;
    // A `Link` is a page's link (Lemmy), not a file.
    if !matches!(kind, "Document" | "Image" | "Video" | "Audio") {
        return None;
    }
    let (url, link_type) = link(a.get("url")?)?;
    let content_type = a
        .get("mediaType")
        .and_then(Value::as_str)
        .or(link_type)
        .unwrap_or(if kind == "Image" {
            "image/jpeg"
        } else {
            "application/octet-stream"
        })
        .chars()
        .take(100)
        .collect::<String>();
    let int = |k: &str| {
        a.get(k)
            .and_then(Value::as_i64)
            .and_then(|v| i32::try_from(v).ok())
            .filter(|v| *v > 0)
    };
    let focus = focal_point(a);
    Some(Media {
        id: new_id(),
        actor_id: 0,
        status_id: None,
        position: 0,
        kind: kind_of(&content_type).into(),
        content_type,
        file_key: None,
        preview_key: None,
        remote_url: Some(web_url(&url)?),
        // Alt text: `name` (Mastodon) or `summary` (GoToSocial).
        description: ["name", "summary"]
            .iter()
            .find_map(|k| a.get(*k).and_then(Value::as_str).filter(|d| !d.is_empty()))
            .unwrap_or("")
            .chars()
            .take(MAX_DESCRIPTION)
            .collect(),
        blurhash: a
            .get("blurhash")
            .and_then(Value::as_str)
            .filter(|b| b.len() <= 100 && b.is_ascii())
            .map(str::to_string),
        width: int("width"),
        height: int("height"),
        file_size: None,
        focus_x: focus.map(|f| f.0),
        focus_y: focus.map(|f| f.1),
        created_at: at,
    })
}

/// An attachment's `url`: a string, a `Link`, or a list of links (the first).
fn link(url: &Value) -> Option<(String, Option<&str>)> {
    let link = match url {
        Value::String(s) => return Some((s.clone(), None)),
        Value::Array(links) => links.first()?,
        link => link,
    };
    Some((
        link.get("href")?.as_str()?.to_string(),
        link.get("mediaType").and_then(Value::as_str),
    ))
}

/// Mastodon's kind of attachment, from its content type.
fn kind_of(content_type: &str) -> &'static str {
    match content_type.split('/').next() {
        Some("image") => "image",
        Some("video") => "video",
        Some("audio") => "audio",
        _ => "unknown",
    }
}

/// Mastodon's `focalPoint`: two numbers in [-1, 1].
fn focal_point(a: &Value) -> Option<(f64, f64)> {
    let f = a.get("focalPoint")?.as_array()?;
    let (x, y) = (f.first()?.as_f64()?, f.get(1)?.as_f64()?);
    ((-1.0..=1.0).contains(&x) && (-1.0..=1.0).contains(&y)).then_some((x, y))
}

/// Our attachments on the wire, as Mastodon sends them.
pub fn to_ap(state: &AppState, media: &[Media]) -> Vec<Value> {
    media
        .iter()
        .filter_map(|m| {
            let url = m
                .file_key
                .as_deref()
                .map(|k| file_url(state, k))
                .or_else(|| m.remote_url.clone())?;
            let mut v = serde_json::json!({
                "type": "Document",
                "mediaType": m.content_type,
                "url": url,
                "name": (!m.description.is_empty()).then_some(&m.description),
            });
            if let Some(b) = &m.blurhash {
                v["blurhash"] = b.clone().into();
            }
            if let (Some(w), Some(h)) = (m.width, m.height) {
                v["width"] = w.into();
                v["height"] = h.into();
            }
            if let (Some(x), Some(y)) = (m.focus_x, m.focus_y) {
                v["focalPoint"] = serde_json::json!([x, y]);
            }
            Some(v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn remote_attachments_are_taken_by_url() {
        let attachments = vec![
            json!({"type": "Document", "mediaType": "image/png", "url": "https://b.example/1.png",
                   "name": "A chart", "blurhash": "LEHV6nWB2yk8", "width": 800, "height": 600,
                   "focalPoint": [0.1, -0.2]}),
            json!({"type": "Link", "href": "https://b.example/page"}),
            json!({"type": "Video", "url": [{"type": "Link", "href": "https://b.example/v.mp4", "mediaType": "video/mp4"}]}),
            json!({"type": "Document", "url": "javascript:alert(1)"}),
            json!({"type": "Image", "url": {"href": "https://b.example/2.jpg"},
                   "summary": "A photo"}),
        ];
        let rows = from_ap(&attachments);
        let got: Vec<(&str, &str, i32)> = rows
            .iter()
            .map(|m| {
                (
                    m.kind.as_str(),
                    m.remote_url.as_deref().unwrap(),
                    m.position,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("image", "https://b.example/1.png", 0),
                ("video", "https://b.example/v.mp4", 1),
                ("image", "https://b.example/2.jpg", 2)
            ]
        );
        assert_eq!((rows[0].width, rows[0].focus_y), (Some(800), Some(-0.2)));
        assert_eq!(rows[0].description, "A chart");
        assert_eq!(rows[2].description, "A photo", "GoToSocial's alt text");
    }
}
