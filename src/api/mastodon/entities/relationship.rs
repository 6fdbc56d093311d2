//! The `Relationship` entity: how the viewer and an account relate.

use serde_json::{Value, json};

/// Blocks and mutes between the viewer and the account, and whether the viewer
/// is told of its new statuses.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters {
    pub notifying: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
}

/// `following`/`requested` from the viewer's follow state towards the account,
/// `followed_by` from the account's follow state towards the viewer.
pub fn relationship(id: i64, to_them: Option<&str>, to_me: Option<&str>, f: Filters) -> Value {
    json!({
        "id": id.to_string(),
        "following": to_them == Some("accepted"),
        "requested": to_them == Some("pending"),
        "followed_by": to_me == Some("accepted"),
        "requested_by": to_me == Some("pending"),
        "showing_reblogs": to_them == Some("accepted"),
        "notifying": f.notifying,
        "languages": Value::Null,
        "blocking": f.blocking,
        "blocked_by": f.blocked_by,
        "muting": f.muting,
        "muting_notifications": f.muting_notifications,
        "domain_blocking": false,
        "endorsed": false,
        "note": "",
    })
}
