//! Local accounts and the instance actor.

use crate::{
    db::{self, actors::Actor, users::User},
    error::{AppError, AppResult, invalid_field},
    model::{actor::ActorKind, id::new_id, name::LocalName},
    service::{keys, now, passwords},
    state::AppState,
};

/// The instance actor's name: it contains a dot, which no local name may, so it
/// never collides with a person or community.
pub const INSTANCE_ACTOR_NAME: &str = "passerelle.instance";

pub struct NewUser {
    pub name: String,
    pub email: String,
    pub password: String,
    pub admin: bool,
}

pub(crate) fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// A fresh local actor row with new keys; the caller sets names and flags.
pub async fn new_local_actor(state: &AppState, kind: ActorKind, name: &str) -> AppResult<Actor> {
    let keys = keys::generate_blocking()
        .await
        .map_err(AppError::internal)?;
    let at = now();
    let mut actor = Actor {
        id: new_id(),
        ap_id: String::new(),
        kind: kind.as_str().to_string(),
        name: name.to_string(),
        domain: String::new(),
        local: true,
        display_name: String::new(),
        summary: String::new(),
        url: None,
        inbox_url: String::new(),
        shared_inbox_url: None,
        outbox_url: None,
        followers_url: None,
        following_url: None,
        public_key_pem: keys.public_pem,
        private_key_pem: Some(keys.private_pem),
        avatar_url: None,
        header_url: None,
        locked: false,
        discoverable: true,
        visibility: crate::model::visibility::CommunityVisibility::Public
            .as_str()
            .into(),
        instance_id: None,
        created_at: at,
        updated_at: at,
        fetched_at: None,
        note_source: String::new(),
        fields: "[]".into(),
        suspended_at: None,
        suspension_origin: None,
        deleted_at: None,
    };
    state.urls.fill_local(&mut actor);
    Ok(actor)
}

/// Turns a unique violation on the actor name into the validation error clients show.
pub fn name_taken(e: diesel::result::Error) -> AppError {
    if db::is_unique_violation(&e) {
        invalid_field("username", "has already been taken")
    } else {
        AppError::from(e)
    }
}

/// Makes an account whose address an administrator vouches for (the CLI, the
/// admin pages): it counts as confirmed.
pub async fn create_user(state: &AppState, new: NewUser) -> AppResult<(User, Actor)> {
    create_account(state, new, true).await
}

/// Makes an account; a self-made one (`confirmed` false) gets mail only once
/// its owner opened the confirmation link.
pub async fn create_account(
    state: &AppState,
    new: NewUser,
    confirmed: bool,
) -> AppResult<(User, Actor)> {
    let name = LocalName::parse(&new.name).map_err(|e| invalid_field("username", e))?;
    let email = new.email.trim().to_ascii_lowercase();
    if !valid_email(&email) {
        return Err(invalid_field("email", "is invalid"));
    }
    passwords::check_new(&new.password)?;
    let hash = passwords::hash(new.password).await?;
    let mut actor = new_local_actor(state, ActorKind::Person, name.as_str()).await?;
    actor.display_name = name.to_string();
    let user = User {
        id: new_id(),
        actor_id: actor.id,
        email,
        password_hash: hash,
        admin: new.admin,
        locale: String::new(),
        disabled: false,
        created_at: actor.created_at,
        last_login_at: None,
        email_confirmed_at: confirmed.then_some(actor.created_at),
        last_active_at: None,
    };
    let settings = db::email_settings::EmailSettings::defaults(
        user.id,
        super::secrets::new_secret(),
        actor.created_at,
    );
    let (u, a) = (user.clone(), actor.clone());
    state
        .db
        .write(move |conn| {
            db::actors::insert(conn, &a).map_err(name_taken)?;
            db::users::insert(conn, &u).map_err(|e| {
                if db::is_unique_violation(&e) {
                    invalid_field("email", "has already been taken")
                } else {
                    AppError::from(e)
                }
            })?;
            Ok(db::email_settings::insert(conn, &settings)?)
        })
        .await?;
    tracing::info!(user = %actor.name, admin = user.admin, "user created");
    Ok((user, actor))
}

/// Checks a login (name or e-mail) and password; the same answer for an unknown
/// user and a wrong password, and both are throttled alike.
pub async fn authenticate(
    state: &AppState,
    login: &str,
    password: &str,
) -> AppResult<(User, Actor)> {
    let login = login.trim().to_ascii_lowercase();
    let by = login.clone();
    let found = state
        .db
        .run(move |c| Ok(db::users::by_login(c, &by)?))
        .await?;
    let key = match &found {
        Some((user, _)) => throttle_key(user),
        None => format!("login:{login}"),
    };
    let hash = found.as_ref().map(|(u, _)| u.password_hash.clone());
    let ok = checked_verify(state, &key, password, hash).await?;
    match found {
        Some((user, _))
            if ok
                && !user.disabled
                && state.config.email.enabled()
                && user.email_confirmed_at.is_none() =>
        {
            // The right password, an unconfirmed address: a fresh link (at most
            // a few an hour) so the person can get in.
            super::mail::account::send_confirmation(state, &user, &user.email).await?;
            Err(AppError::forbidden(
                "Your login is missing a confirmed e-mail address",
            ))
        }
        Some((user, actor)) if ok && !user.disabled => {
            let id = user.id;
            state
                .db
                .run(move |c| Ok(db::users::touch_login(c, id, now())?))
                .await?;
            Ok((user, actor))
        }
        _ => Err(AppError::unauthorized("Invalid name or password")),
    }
}

/// The login throttle's key for an account, whichever name it logs in with.
pub fn throttle_key(user: &User) -> String {
    format!("user:{}", user.id)
}

/// Verifies a password unless `key` is locked out (429); a match clears its failures.
pub async fn checked_verify(
    state: &AppState,
    key: &str,
    password: &str,
    hash: Option<String>,
) -> AppResult<bool> {
    state.limits.logins.begin(key)?;
    let ok = passwords::verify(password.to_string(), hash).await?;
    if ok {
        state.limits.logins.succeeded(key);
    }
    Ok(ok)
}

/// Creates the instance actor (which signs fetches) if this database has none.
pub async fn ensure_instance_actor(state: &AppState) -> AppResult<Actor> {
    if let Some(actor) = state.db.run(|c| Ok(db::actors::instance_actor(c)?)).await? {
        return Ok(actor);
    }
    let mut actor = new_local_actor(state, ActorKind::Application, INSTANCE_ACTOR_NAME).await?;
    actor.display_name = state.instance().name.clone();
    actor.locked = true;
    actor.discoverable = false;
    let a = actor.clone();
    state
        .db
        .write(move |c| Ok(db::actors::insert(c, &a)?))
        .await?;
    Ok(actor)
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails() {
        for ok in ["a@b.example", "first.last+tag@sub.example.org"] {
            assert!(super::valid_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.example",
            "a b@c.example",
            "a@b@c.example",
            "a@.example",
        ] {
            assert!(!super::valid_email(bad), "{bad}");
        }
    }
}
