//! What delivery forgets: a person's answers to another server's survey are
//! kept only as long as it takes them to reach its author, so no copy of what
//! they answered stays here with their name.

use crate::{
    db::{self, outbox},
    error::AppError,
    service::{events::Event, surveys::answers::ANSWER_PATH},
};

/// What may be kept of an event's payload once processed, when not all of it
/// (`Event::kept`).
pub fn kept_of(payload: &str) -> Option<String> {
    let event = serde_json::from_str::<Event>(payload).ok()?.kept()?;
    serde_json::to_string(&event).ok()
}

/// A processed event keeps only `kept`, when given.
pub fn event(c: &mut db::DbConn, id: i64, kept: Option<&str>) -> Result<(), AppError> {
    if let Some(k) = kept {
        outbox::set_payload(c, id, k)?;
    }
    Ok(())
}

/// A survey answer goes to one inbox: once delivered or refused (`done`), its
/// body is emptied.
pub fn activity(c: &mut db::DbConn, activity_ap_id: &str, done: bool) -> Result<(), AppError> {
    if done && activity_ap_id.contains(ANSWER_PATH) {
        outbox::forget_body(c, activity_ap_id)?;
    }
    Ok(())
}
