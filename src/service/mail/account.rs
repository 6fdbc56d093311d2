//! Account mail: confirming an address (on sign-up and on change, with a
//! notice to the old one), and invitations. Links are single-use and expire.

use chrono::Duration;

use super::{Letter, queue, tr_of};
use crate::{
    db::{self, email_tokens::EmailToken, users::User},
    error::{AppError, AppResult, invalid_field},
    service::{now, secrets},
    state::AppState,
    web::i18n::Tr,
};

/// How long a confirmation link works.
pub const CONFIRM_FOR: Duration = Duration::hours(48);
/// Links of one kind mailed to one person per hour, at most (no mail bombing).
const PER_HOUR: i64 = 3;

/// Makes a link token for `user` and `email`; `None` when too many were made
/// in the last hour.
pub(super) async fn new_token(
    state: &AppState,
    user_id: i64,
    purpose: &'static str,
    email: &str,
    valid_for: Duration,
) -> AppResult<Option<String>> {
    let secret = secrets::new_secret();
    let at = now();
    let token = EmailToken {
        token_hash: secrets::digest(&secret),
        user_id,
        purpose: purpose.into(),
        email: email.to_string(),
        expires_at: at + valid_for,
        used_at: None,
        created_at: at,
    };
    state
        .db
        .write(move |c| {
            let recent =
                db::email_tokens::count_since(c, user_id, purpose, at - Duration::hours(1))?;
            if recent >= PER_HOUR {
                return Ok(None);
            }
            db::email_tokens::insert(c, &token)?;
            Ok(Some(secret))
        })
        .await
}

/// Mails a link confirming `email` (the account's address, or the one it is
/// changing to).
pub async fn send_confirmation(state: &AppState, user: &User, email: &str) -> AppResult<()> {
    if !state.config.email.enabled() {
        return Ok(());
    }
    let Some(secret) = new_token(
        state,
        user.id,
        db::email_tokens::CONFIRM,
        email,
        CONFIRM_FOR,
    )
    .await?
    else {
        return Ok(());
    };
    let t = tr_of(state, &user.locale);
    let name = state.instance().name.clone();
    let mut l = Letter::new(t, t.v("mail-confirm-subject", "instance", &name));
    l.paragraphs = vec![t.v("mail-confirm-body", "email", email)];
    l.action = Some((
        t.s("mail-confirm-action"),
        format!("{}/auth/confirm/{secret}", state.urls.base()),
    ));
    l.footer = t.s("mail-confirm-footer");
    queue(state, Some(user.id), email, "confirm", &l).await
}

/// Opens a confirmation link: the address becomes the account's, confirmed.
/// The previous address, if it was another one, hears of the change.
pub async fn confirm(state: &AppState, secret: &str) -> AppResult<User> {
    let hash = secrets::digest(secret.trim());
    let at = now();
    let (before, token) = state
        .db
        .write(move |c| {
            let Some(token) = db::email_tokens::take(c, &hash, db::email_tokens::CONFIRM, at)?
            else {
                return Err(expired());
            };
            let before = db::users::by_id(c, token.user_id)?.ok_or_else(AppError::not_found)?;
            if let Some(other) = db::users::by_email(c, &token.email)?
                && other.id != before.id
            {
                return Err(invalid_field("email", "has already been taken"));
            }
            db::users::confirm_email(c, before.id, &token.email, at)?;
            // An older link (perhaps to another address) must not undo this one.
            db::email_tokens::expire_all(c, before.id, db::email_tokens::CONFIRM, at)?;
            Ok((before, token))
        })
        .await?;
    if before.email != token.email && before.email_confirmed_at.is_some() {
        let t = tr_of(state, &before.locale);
        let mut l = Letter::new(t, t.s("mail-email-changed-subject"));
        l.paragraphs = vec![
            t.v("mail-email-changed-body", "email", &token.email),
            t.s("mail-notice-not-you"),
        ];
        queue(state, Some(before.id), &before.email, "notice", &l).await?;
    }
    let id = before.id;
    state
        .db
        .run(move |c| db::users::by_id(c, id)?.ok_or_else(AppError::not_found))
        .await
}

/// The 410 of a used or expired link.
pub fn expired() -> AppError {
    AppError::new(
        axum::http::StatusCode::GONE,
        "This link has expired or was already used",
    )
}

/// A person asks to change their address (with their password): a
/// confirmation goes to the new one, which becomes theirs once opened.
pub async fn change_email(
    state: &AppState,
    user: &User,
    password: &str,
    email: &str,
) -> AppResult<()> {
    if !state.config.email.enabled() {
        return Err(AppError::unprocessable(
            "E-mail is not set up on this server: ask an administrator to change your address",
        ));
    }
    super::super::account_life::check_password(state, user, password).await?;
    let email = usable_address(state, email, user.id).await?;
    if email == user.email {
        return Err(invalid_field("email", "is already your address"));
    }
    send_confirmation(state, user, &email).await
}

/// An account awaiting confirmation asks for the link again, perhaps to a
/// corrected address (Mastodon's `POST /api/v1/emails/confirmations`).
pub async fn resend_confirmation(
    state: &AppState,
    user: &User,
    corrected: Option<&str>,
) -> AppResult<()> {
    if user.email_confirmed_at.is_some() {
        return Err(AppError::forbidden(
            "This method is only available while the e-mail is awaiting confirmation",
        ));
    }
    if !state.config.email.enabled() {
        return Err(AppError::unprocessable(
            "E-mail is not set up on this server",
        ));
    }
    let email = match corrected.map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => usable_address(state, e, user.id).await?,
        None => user.email.clone(),
    };
    send_confirmation(state, user, &email).await
}

/// A new address for `user_id`: valid, and nobody else's.
async fn usable_address(state: &AppState, email: &str, user_id: i64) -> AppResult<String> {
    let email = email.trim().to_ascii_lowercase();
    if !super::super::accounts::valid_email(&email) {
        return Err(invalid_field("email", "is invalid"));
    }
    let taken = email.clone();
    let owner = state
        .db
        .run(move |c| Ok(db::users::by_email(c, &taken)?))
        .await?;
    if owner.is_some_and(|u| u.id != user_id) {
        return Err(invalid_field("email", "has already been taken"));
    }
    Ok(email)
}

/// Mails an invitation (the sign-up link with its code) in `t`'s language.
pub async fn send_invite(
    state: &AppState,
    t: Tr,
    by_name: &str,
    email: &str,
    code: &str,
) -> AppResult<()> {
    let name = state.instance().name.clone();
    let mut l = Letter::new(t, t.v("mail-invite-subject", "instance", &name));
    l.paragraphs = vec![
        t.v("mail-invite-body", "name", by_name),
        state.instance().description.clone(),
    ];
    l.action = Some((
        t.s("mail-invite-action"),
        format!("{}/?invite={code}", state.urls.base()),
    ));
    l.footer = t.s("mail-invite-footer");
    queue(state, None, email, "invite", &l).await
}
