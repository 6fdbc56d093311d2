//! The `Relationship` entity: how the viewer and an account relate.

use serde_json::{Value, json};

/// `following`/`requested` from the viewer's follow state towards the account,
/// `followed_by` from the account's follow state towards the viewer.
pub fn relationship(id: i64, to_them: Option<&str>, to_me: Option<&str>) -> Value {
    json!({
        "id": id.to_string(),
        "following": to_them == Some("accepted"),
        "requested": to_them == Some("pending"),
        "followed_by": to_me == Some("accepted"),
        "requested_by": to_me == Some("pending"),
        "showing_reblogs": to_them == Some("accepted"),
        "notifying": false,
        "languages": Value::Null,
        "blocking": false,
        "blocked_by": false,
        "muting": false,
        "muting_notifications": false,
        "domain_blocking": false,
        "endorsed": false,
        "note": "",
    })
}
