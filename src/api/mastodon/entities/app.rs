//! The `Application` entity (`CredentialApplication` when just registered).

use serde_json::{Value, json};

use crate::db::oauth::App;

/// `vapid_key`: the instance's Web Push key (apps subscribe with it).
pub fn application(app: &App, vapid_key: &str) -> Value {
    let uris: Vec<&str> = app.redirect_uris().collect();
    json!({
        "id": app.id.to_string(),
        "name": app.name,
        "website": app.website,
        "scopes": app.scopes.split(' ').collect::<Vec<_>>(),
        "redirect_uri": uris.join("\n"),
        "redirect_uris": uris,
        "vapid_key": vapid_key,
    })
}

/// Registration answer: the only time the secret is shown.
pub fn credential_application(app: &App, client_secret: &str, vapid_key: &str) -> Value {
    let mut v = application(app, vapid_key);
    if let Some(o) = v.as_object_mut() {
        o.insert("client_id".into(), json!(app.client_id));
        o.insert("client_secret".into(), json!(client_secret));
        o.insert("client_secret_expires_at".into(), json!(0));
    }
    v
}
