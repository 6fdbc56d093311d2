//! What administrators do to accounts and to federation's queue: list people,
//! grant the administrator role, suspend, see and retry the delivery queue. The
//! admin APIs, the CLI and the admin pages share these rules.

use chrono::NaiveDateTime;

use crate::{
    db::{self, actors::Actor, outbox, users::User},
    error::{AppError, AppResult},
    service::{account_life, now},
    state::AppState,
};

fn require_admin(by: &User) -> AppResult<()> {
    if by.admin {
        Ok(())
    } else {
        Err(AppError::forbidden("Administrators only"))
    }
}

/// Local accounts whose name or e-mail contains `query`.
pub async fn users(
    state: &AppState,
    by: &User,
    query: &str,
    limit: i64,
) -> AppResult<Vec<(User, Actor)>> {
    require_admin(by)?;
    let pattern = super::search::like_pattern(&query.to_lowercase());
    state
        .db
        .run(move |c| Ok(db::users::list(c, &pattern, limit)?))
        .await
}

/// Grants or withdraws the administrator role; nobody withdraws their own (an
/// instance must not lose its last administrator by a slip).
pub async fn set_admin(state: &AppState, by: &User, user_id: i64, admin: bool) -> AppResult<()> {
    require_admin(by)?;
    if by.id == user_id && !admin {
        return Err(AppError::unprocessable(
            "You cannot withdraw your own administrator role",
        ));
    }
    state
        .db
        .write(move |c| Ok(db::users::set_admin(c, user_id, admin)?))
        .await?;
    tracing::info!(
        by = by.id,
        user = user_id,
        admin,
        "administrator role changed"
    );
    Ok(())
}

/// Suspends or reinstates an account; nobody suspends themselves.
pub async fn suspend(
    state: &AppState,
    by: &Actor,
    target: &Actor,
    suspended: bool,
) -> AppResult<()> {
    if suspended && by.id == target.id {
        return Err(AppError::unprocessable(
            "Validation failed: you cannot suspend yourself",
        ));
    }
    account_life::set_suspended(state, target, suspended).await
}

/// The delivery and inbox queues at a glance.
pub struct Queue {
    pub inbound_pending: i64,
    pub inbound_failed: i64,
    pub inbound_oldest: Option<NaiveDateTime>,
    /// (domain, pending deliveries, oldest pending).
    pub destinations: Vec<(String, i64, Option<NaiveDateTime>)>,
    pub totals: outbox::Totals,
}

pub async fn queue(state: &AppState) -> AppResult<Queue> {
    state
        .db
        .run(|c| {
            let (inbound_pending, inbound_failed, inbound_oldest) = db::inbound::depth(c)?;
            Ok(Queue {
                inbound_pending,
                inbound_failed,
                inbound_oldest,
                destinations: outbox::queue_depths(c)?,
                totals: outbox::totals(c)?,
            })
        })
        .await
}

/// Makes a server's pending deliveries due now, even if it was marked unreachable.
pub async fn retry(state: &AppState, domain: &str) -> AppResult<String> {
    let d = domain.trim().to_ascii_lowercase();
    let key = d.clone();
    state
        .db
        .write(move |c| Ok(outbox::retry_now(c, &key, now())?))
        .await?;
    state.wake_delivery();
    Ok(d)
}
