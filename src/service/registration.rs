//! Signing up through the API (`POST /api/v1/accounts`): open to anyone in
//! `open` mode, with an invitation in `invite` mode, never in `closed` mode.
//! Invitations are made by administrators and used up or expire.

use axum::http::StatusCode;

use super::{
    accounts::{NewUser, create_account},
    now, secrets,
};
use crate::{
    config::RegistrationMode,
    db::{self, invites::Invite},
    error::{AppError, AppResult, invalid_field},
    model::id::new_id,
    state::AppState,
    web::i18n::Lang,
};

pub struct SignUp {
    pub username: String,
    pub email: String,
    pub password: String,
    pub agreement: bool,
    pub invite_code: Option<String>,
    /// The language the person signed up in (their mail's, until they choose).
    pub locale: Option<String>,
}

/// What a sign-up made: the account, and whether its address still waits for
/// confirmation (mail is on and the link is on its way; signing in waits too).
pub struct SignedUp {
    pub user_id: i64,
    pub awaiting_confirmation: bool,
}

/// Creates the account. The invitation (if any) is used first and given back
/// if the account cannot be made. An invitation mailed to the address the
/// person signs up with confirms it (the code reached that inbox); otherwise,
/// with mail on, a confirmation link is mailed.
pub async fn sign_up(state: &AppState, s: SignUp) -> AppResult<SignedUp> {
    let mode = state.instance().registration;
    if mode == RegistrationMode::Closed {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "Registrations are closed on this server",
        ));
    }
    if !s.agreement {
        return Err(invalid_field("agreement", "must be accepted"));
    }
    let code = match (mode, s.invite_code.as_deref().map(str::trim)) {
        (RegistrationMode::Invite, Some(c)) if !c.is_empty() => Some(secrets::digest(c)),
        (RegistrationMode::Invite, _) => {
            return Err(invalid_field(
                "invite_code",
                "is required: this server is by invitation",
            ));
        }
        _ => None,
    };
    let mut invited_address = None;
    if let Some(hash) = code.clone() {
        let used = state
            .db
            .write(move |c| {
                let to = db::invites::mailed_to(c, &hash)?;
                Ok(db::invites::use_one(c, &hash, now())?.then_some(to))
            })
            .await?;
        let Some(to) = used else {
            return Err(invalid_field(
                "invite_code",
                "is invalid, used up or expired",
            ));
        };
        invited_address = to;
    }
    let confirmed = invited_address.is_some_and(|to| to.eq_ignore_ascii_case(s.email.trim()));
    let created = create_account(
        state,
        NewUser {
            name: s.username,
            email: s.email,
            password: s.password,
            admin: false,
        },
        confirmed,
    )
    .await;
    match created {
        Ok((mut user, _)) => {
            if let Some(lang) = s.locale.as_deref().and_then(Lang::parse) {
                let id = user.id;
                state
                    .db
                    .write(move |c| Ok(db::users::set_locale(c, id, lang.code())?))
                    .await?;
                user.locale = lang.code().to_string();
            }
            let awaiting = !confirmed && state.config.email.enabled();
            if awaiting {
                super::mail::account::send_confirmation(state, &user, &user.email).await?;
            }
            Ok(SignedUp {
                user_id: user.id,
                awaiting_confirmation: awaiting,
            })
        }
        Err(e) => {
            if let Some(hash) = code {
                state
                    .db
                    .write(move |c| Ok(db::invites::give_back(c, &hash)?))
                    .await?;
            }
            Err(e)
        }
    }
}

/// An administrator makes an invitation: the code (shown once) and its row.
pub async fn create_invite(
    state: &AppState,
    by_actor: i64,
    max_uses: Option<i32>,
    expires_in_days: Option<i64>,
) -> AppResult<(String, Invite)> {
    new_invite(state, by_actor, max_uses, expires_in_days, None).await
}

/// An administrator invites a colleague by e-mail: a single-use invitation,
/// valid 14 days, mailed in `t`'s language; the code is returned too.
pub async fn invite_by_email(
    state: &AppState,
    by: &crate::db::actors::Actor,
    email: &str,
    t: crate::web::i18n::Tr,
) -> AppResult<String> {
    if !state.config.email.enabled() {
        return Err(AppError::unprocessable(
            "E-mail is not set up on this server (email.smtp_url)",
        ));
    }
    let email = email.trim().to_ascii_lowercase();
    if !super::accounts::valid_email(&email) {
        return Err(invalid_field("email", "is invalid"));
    }
    let taken = email.clone();
    if state
        .db
        .run(move |c| Ok(db::users::by_email(c, &taken)?))
        .await?
        .is_some()
    {
        return Err(invalid_field("email", "already has an account"));
    }
    let (code, _) = new_invite(state, by.id, Some(1), Some(14), Some(email.clone())).await?;
    let by_name = if by.display_name.trim().is_empty() {
        state.instance().name.clone()
    } else {
        by.display_name.clone()
    };
    super::mail::account::send_invite(state, t, &by_name, &email, &code).await?;
    Ok(code)
}

async fn new_invite(
    state: &AppState,
    by_actor: i64,
    max_uses: Option<i32>,
    expires_in_days: Option<i64>,
    email: Option<String>,
) -> AppResult<(String, Invite)> {
    if max_uses.is_some_and(|m| !(1..=10_000).contains(&m)) {
        return Err(invalid_field("max_uses", "must be between 1 and 10000"));
    }
    if expires_in_days.is_some_and(|d| !(1..=365).contains(&d)) {
        return Err(invalid_field(
            "expires_in_days",
            "must be between 1 and 365",
        ));
    }
    let code = secrets::new_secret();
    let at = now();
    let invite = Invite {
        id: new_id(),
        code_hash: secrets::digest(&code),
        created_by: Some(by_actor),
        max_uses,
        uses: 0,
        expires_at: expires_in_days.map(|d| at + chrono::Duration::days(d)),
        created_at: at,
        email,
    };
    let row = invite.clone();
    state
        .db
        .write(move |c| Ok(db::invites::insert(c, &row)?))
        .await?;
    Ok((code, invite))
}
