//! Signing up through the API (`POST /api/v1/accounts`): open to anyone in
//! `open` mode, with an invitation in `invite` mode, never in `closed` mode.
//! Invitations are made by administrators and used up or expire.

use axum::http::StatusCode;

use super::{
    accounts::{NewUser, create_user},
    now, secrets,
};
use crate::{
    config::RegistrationMode,
    db::{self, invites::Invite},
    error::{AppError, AppResult, invalid_field},
    model::id::new_id,
    state::AppState,
};

pub struct SignUp {
    pub username: String,
    pub email: String,
    pub password: String,
    pub agreement: bool,
    pub invite_code: Option<String>,
}

/// Creates the account; returns its user id. The invitation (if any) is used
/// first and given back if the account cannot be made.
pub async fn sign_up(state: &AppState, s: SignUp) -> AppResult<i64> {
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
    if let Some(hash) = code.clone() {
        let used = state
            .db
            .write(move |c| Ok(db::invites::use_one(c, &hash, now())?))
            .await?;
        if !used {
            return Err(invalid_field(
                "invite_code",
                "is invalid, used up or expired",
            ));
        }
    }
    let created = create_user(
        state,
        NewUser {
            name: s.username,
            email: s.email,
            password: s.password,
            admin: false,
        },
    )
    .await;
    match created {
        Ok((user, _)) => Ok(user.id),
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
    };
    let row = invite.clone();
    state
        .db
        .write(move |c| Ok(db::invites::insert(c, &row)?))
        .await?;
    Ok((code, invite))
}
