//! Forgotten passwords: a reset link (single-use, one hour) mailed to an
//! account's address, asked for with an answer that says nothing about whether
//! the address has an account; and the notice mailed when a password changes.

use chrono::Duration;

use super::{
    Letter,
    account::{expired, new_token},
    queue, tr_of,
};
use crate::{
    db::{self, users::User},
    error::{AppError, AppResult},
    service::{now, passwords, secrets},
    state::AppState,
};

/// How long a password reset link works.
pub const RESET_FOR: Duration = Duration::hours(1);

/// Mails a password reset link to `email` if it is a usable account's address.
/// The answer is the same either way, and as fast: the work is done after it.
pub async fn request_reset(state: &AppState, email: &str) -> AppResult<()> {
    let (state, email) = (state.clone(), email.to_string());
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        if let Err(e) = reset_link(&state, &email).await {
            tracing::warn!(error = %e, "mailing a reset link failed");
        }
    });
    Ok(())
}

async fn reset_link(state: &AppState, email: &str) -> AppResult<()> {
    let email = email.trim().to_ascii_lowercase();
    let found = state
        .db
        .run(move |c| {
            Ok(match db::users::by_email(c, &email)? {
                Some(u) => db::actors::by_id(c, u.actor_id)
                    .ok()
                    .filter(|a| a.deleted_at.is_none() && a.suspended_at.is_none())
                    .map(|_| u),
                None => None,
            })
        })
        .await?;
    let Some(user) = found.filter(|u| !u.disabled) else {
        return Ok(());
    };
    let Some(secret) = new_token(
        state,
        user.id,
        db::email_tokens::RESET,
        &user.email,
        RESET_FOR,
    )
    .await?
    else {
        return Ok(());
    };
    let t = tr_of(state, &user.locale);
    let mut l = Letter::new(t, t.s("mail-reset-subject"));
    l.paragraphs = vec![t.s("mail-reset-body")];
    l.action = Some((
        t.s("mail-reset-action"),
        format!("{}/auth/reset/{secret}", state.urls.base()),
    ));
    l.footer = t.s("mail-reset-footer");
    queue(state, Some(user.id), &user.email, "reset", &l).await
}

/// Whether a reset link still works (the page asking for a new password).
pub async fn reset_link_valid(state: &AppState, secret: &str) -> AppResult<bool> {
    let hash = secrets::digest(secret.trim());
    let at = now();
    state
        .db
        .run(move |c| {
            Ok(db::email_tokens::is_valid(
                c,
                &hash,
                db::email_tokens::RESET,
                at,
            )?)
        })
        .await
}

/// Sets a new password through a reset link: the link and the person's other
/// reset links stop working, every session and app is signed out, the address
/// counts as confirmed (the link reached it), and a notice is mailed.
pub async fn reset_password(state: &AppState, secret: &str, password: &str) -> AppResult<()> {
    passwords::check_new(password)?;
    let hash = secrets::digest(secret.trim());
    let new_hash = passwords::hash(password.to_string()).await?;
    let at = now();
    let user = state
        .db
        .write(move |c| {
            let Some(token) = db::email_tokens::take(c, &hash, db::email_tokens::RESET, at)? else {
                return Err(expired());
            };
            let user = db::users::by_id(c, token.user_id)?.ok_or_else(AppError::not_found)?;
            db::users::set_password(c, user.id, &new_hash)?;
            db::email_tokens::expire_all(c, user.id, db::email_tokens::RESET, at)?;
            if user.email_confirmed_at.is_none() && user.email == token.email {
                db::users::confirm_email(c, user.id, &token.email, at)?;
            }
            let tokens: Vec<i64> = db::oauth::live_tokens_of(c, user.id)?
                .into_iter()
                .map(|(t, _)| t.id)
                .collect();
            db::oauth::revoke_ids(c, user.id, &tokens, at)?;
            db::users::by_id(c, user.id)?.ok_or_else(AppError::not_found)
        })
        .await?;
    password_changed(state, &user, true).await
}

/// Tells the person their password changed (by them, or through a reset link,
/// which signed everything out).
pub async fn password_changed(state: &AppState, user: &User, by_link: bool) -> AppResult<()> {
    if user.email_confirmed_at.is_none() {
        return Ok(());
    }
    let t = tr_of(state, &user.locale);
    let mut l = Letter::new(t, t.s("mail-password-changed-subject"));
    l.paragraphs = vec![t.s("mail-password-changed-body")];
    if by_link {
        l.paragraphs.push(t.s("mail-password-reset-body"));
    }
    l.paragraphs.push(t.s("mail-notice-not-you"));
    queue(state, Some(user.id), &user.email, "notice", &l).await
}
