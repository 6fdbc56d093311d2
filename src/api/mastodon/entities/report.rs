//! The `Report` entity, and the moderators' view of a report (Passerelle API).

use serde_json::{Value, json};

use super::{account, timestamp};
use crate::{
    db::{actors::Actor, reports::Report},
    state::AppState,
};

/// What the reporter gets back.
pub fn report(state: &AppState, r: &Report, target: &Actor) -> Value {
    json!({
        "id": r.id.to_string(),
        "action_taken": r.resolved_at.is_some(),
        "action_taken_at": r.resolved_at.map(timestamp),
        "category": r.category,
        "comment": r.comment,
        "forwarded": r.forwarded,
        "created_at": timestamp(r.created_at),
        "status_ids": r.statuses().iter().map(i64::to_string).collect::<Vec<_>>(),
        "rule_ids": r.rules().iter().map(i64::to_string).collect::<Vec<_>>(),
        "target_account": account::from_actor(state, target, Default::default()),
    })
}

/// What moderators see: the report, who made it (a person here, or the server
/// that sent it), and whether it came from another server.
pub fn for_moderators(state: &AppState, r: &Report, reporter: &Actor, target: &Actor) -> Value {
    let mut v = report(state, r, target);
    v["account"] = json!(account::from_actor(state, reporter, Default::default()));
    v["remote"] = json!(!r.local);
    v["community_id"] = json!(r.community_id.map(|c| c.to_string()));
    v
}
