//! The `MediaAttachment` entity: our files by their URL here, others' by their
//! origin's URL (we keep no copy of another server's files).

use serde_json::{Value, json};

use crate::{db::media::Media, service::media::file_url, state::AppState};

pub fn attachment(state: &AppState, m: &Media) -> Value {
    let url = m
        .file_key
        .as_deref()
        .map(|k| file_url(state, k))
        .or_else(|| m.remote_url.clone());
    let preview = m
        .preview_key
        .as_deref()
        .map(|k| file_url(state, k))
        .or_else(|| (m.kind == "image").then(|| url.clone()).flatten());
    let mut meta = json!({});
    if let (Some(w), Some(h)) = (m.width, m.height) {
        let size = |w: i32, h: i32| json!({ "width": w, "height": h, "size": format!("{w}x{h}"), "aspect": f64::from(w) / f64::from(h.max(1)) });
        meta["original"] = size(w, h);
        // The preview fits in 640 × 640, as made on upload.
        let scale = (640.0 / f64::from(w.max(h))).min(1.0);
        meta["small"] = size(
            (f64::from(w) * scale).round() as i32,
            (f64::from(h) * scale).round() as i32,
        );
    }
    if let (Some(x), Some(y)) = (m.focus_x, m.focus_y) {
        meta["focus"] = json!({ "x": x, "y": y });
    }
    json!({
        "id": m.id.to_string(),
        "type": m.kind,
        "url": url,
        "preview_url": preview,
        "remote_url": m.remote_url,
        "preview_remote_url": Value::Null,
        "text_url": Value::Null,
        "meta": meta,
        "description": (!m.description.is_empty()).then_some(&m.description),
        "blurhash": m.blurhash,
    })
}
