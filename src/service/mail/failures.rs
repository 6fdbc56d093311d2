//! The administrators' view of the mail queue: how much waits, what the relay
//! refused for good (and why), and sending a refused message again once the
//! relay is fixed.

use crate::{
    db::{self, outgoing_mail::OutgoingMail},
    error::{AppError, AppResult},
    service::now,
    state::AppState,
};

pub struct Overview {
    pub enabled: bool,
    pub waiting: i64,
    pub failed: i64,
    /// The latest refused messages, newest first.
    pub failures: Vec<OutgoingMail>,
}

pub async fn overview(state: &AppState) -> AppResult<Overview> {
    let enabled = state.config.email.enabled();
    state
        .db
        .run(move |c| {
            let (waiting, failed) = db::outgoing_mail::counts(c)?;
            Ok(Overview {
                enabled,
                waiting,
                failed,
                failures: db::outgoing_mail::failures(c, 100)?,
            })
        })
        .await
}

/// Puts a refused message back in the queue; 404 if there is no such failure.
pub async fn retry(state: &AppState, id: i64) -> AppResult<()> {
    let at = now();
    let n = state
        .db
        .write(move |c| Ok(db::outgoing_mail::requeue(c, id, at)?))
        .await?;
    if n == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}
