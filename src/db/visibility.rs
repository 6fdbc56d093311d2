//! Who may read a status: the one rule behind reads by id, timelines, the
//! notifications and the streams (`service::statuses::can_see` exposes it).
//! It lives here because notifications are written inside the transaction that
//! wrote the status, below the service layer.

use crate::model::visibility::Visibility;
use diesel::QueryResult;

use super::{DbConn, actors::Actor, statuses::Status};

/// Whether `viewer` (a local actor, or anonymous) may see `s`.
pub fn can_see(conn: &mut DbConn, s: &Status, viewer: Option<&Actor>) -> QueryResult<bool> {
    if s.is_gone() {
        return Ok(false);
    }
    Ok(match s.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        // Partners' content is for this instance's people and partner servers
        // (those read it through federation, not through this API).
        Visibility::Partners | Visibility::Internal => viewer.is_some_and(|v| v.local),
        Visibility::Members | Visibility::Private => match viewer {
            None => false,
            Some(v) if v.id == s.actor_id => true,
            Some(v) => {
                let target = s.community_id.unwrap_or(s.actor_id);
                super::follows::is_accepted(conn, v.id, target)?
            }
        },
        Visibility::Direct => match viewer {
            None => false,
            Some(v) => {
                v.id == s.actor_id
                    || super::statuses::mentioned_actor_ids(conn, &[s.id])?
                        .iter()
                        .any(|(_, a)| *a == v.id)
            }
        },
    })
}
