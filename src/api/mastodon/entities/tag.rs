//! The `Tag` entity: a hashtag, and whether the reader follows it.

use serde_json::{Value, json};

/// `following` is left out for anonymous readers, as in Mastodon.
pub fn tag(base: &str, name: &str, following: Option<bool>) -> Value {
    let mut v = json!({
        "name": name,
        "url": format!("{base}/tags/{name}"),
        "history": [],
    });
    if let Some(f) = following {
        v["following"] = json!(f);
    }
    v
}
