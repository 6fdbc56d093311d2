//! The rulebook: what may happen, checked once, called by the client API, the CLI
//! and (later) the federation inbox alike.

pub mod account_life;
pub mod accounts;
pub mod administration;
pub mod agenda;
pub mod bans;
pub mod blocks;
pub mod bookmarks;
pub mod communities;
pub mod community_view;
pub mod conversations;
pub mod directory;
pub mod events;
pub mod featured;
pub mod federation_lists;
pub mod follows;
pub mod instance_settings;
pub mod join_requests;
pub mod keys;
pub mod ledger;
pub mod library;
pub mod lists;
pub mod login_throttle;
pub mod mail;
pub mod managers;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod passwords;
pub mod people;
pub mod pins;
pub mod polls;
pub mod profile;
pub mod push;
pub mod reading;
pub mod reblogs;
pub mod registration;
pub mod reports;
pub mod resolve;
pub mod roles;
pub mod search;
pub mod secrets;
pub mod statuses;
pub mod stewardship;
pub mod surveys;
pub mod web_sessions;

pub fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Runs `job` every `period` until shutdown (periodic jobs: polls that ended,
/// event reminders); a failure is logged as `what` and retried next time.
pub fn spawn_every<F, Fut>(
    state: crate::state::AppState,
    period: std::time::Duration,
    what: &'static str,
    job: F,
) where
    F: Fn(crate::state::AppState) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = crate::error::AppResult<usize>> + Send + 'static,
{
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(period) => {
                    if let Err(e) = job(state.clone()).await {
                        tracing::warn!(error = %e, "could not run {what}");
                    }
                }
                () = state.shutdown.cancelled() => break,
            }
        }
    });
}
