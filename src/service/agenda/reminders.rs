//! Reminders: an hour before an event starts, everyone here who is going gets
//! a notification (and, once mail exists, an e-mail), once, even with several
//! nodes running the job.

use chrono::Duration;

use crate::{db, error::AppResult, service::now, state::AppState};

/// How long before the start people are reminded.
pub const LEAD: Duration = Duration::minutes(60);

/// Every minute, sends the reminders that are due.
pub fn spawn(state: AppState) {
    crate::service::spawn_every(
        state,
        std::time::Duration::from_secs(60),
        "event reminders",
        |state| async move { send_due(&state).await },
    );
}

/// Sends the reminders of events starting within [`LEAD`]; how many.
pub async fn send_due(state: &AppState) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let n = state
            .db
            .write(|c| {
                let at = now();
                let due = db::events::reminders_due(c, (at, at + LEAD), 100)?;
                let mut sent = 0;
                for (status_id, actor_id) in &due {
                    if !db::events::mark_reminded(c, *status_id, *actor_id, at)? {
                        continue;
                    }
                    if let Some(s) = db::statuses::by_id(c, *status_id)? {
                        db::notifications::event_reminder(c, &s, *actor_id, at)?;
                        sent += 1;
                    }
                }
                Ok((due.len(), sent))
            })
            .await?;
        done += n.1;
        if n.0 < 100 {
            return Ok(done);
        }
    }
}
