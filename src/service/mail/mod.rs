//! E-mail: account mail (confirming an address, resetting a password,
//! invitations, notices), alerts and digests. Every mail is rendered in the
//! reader's language, queued durably (`db::outgoing_mail`) and sent by the
//! worker in `sender`. With `email.smtp_url` unset, nothing is queued.

pub mod account;
pub mod alerts;
pub mod digest;
pub mod failures;
pub mod letter;
pub mod quote;
pub mod reset;
pub mod sender;
pub mod settings;

use crate::{
    db::{self, outgoing_mail::OutgoingMail},
    error::AppResult,
    model::id::new_id,
    service::now,
    state::AppState,
    web::i18n::{Lang, Tr},
};

pub use letter::{Item, Letter, Section};

/// Queues `letter` for `to`; `user_id` names the account it is for (none for
/// an invitation). Does nothing when mail is off.
pub async fn queue(
    state: &AppState,
    user_id: Option<i64>,
    to: &str,
    kind: &str,
    letter: &Letter,
) -> AppResult<()> {
    if !state.config.email.enabled() {
        return Ok(());
    }
    let mail = prepare(state, user_id, to, kind, letter)?;
    state
        .db
        .write(move |c| Ok(db::outgoing_mail::insert(c, &mail)?))
        .await
}

/// The queue row of a letter, formatted, to insert in the same transaction as
/// the bookkeeping that says it was made (alerts, digests).
pub fn prepare(
    state: &AppState,
    user_id: Option<i64>,
    to: &str,
    kind: &str,
    letter: &Letter,
) -> AppResult<OutgoingMail> {
    let id = new_id();
    let at = now();
    Ok(OutgoingMail {
        id,
        user_id,
        recipient: to.to_string(),
        kind: kind.to_string(),
        subject: letter.subject.clone(),
        message: letter::format(state, id, to, letter)?,
        attempts: 0,
        next_attempt_at: at,
        claimed_until: None,
        last_error: None,
        failed_at: None,
        created_at: at,
    })
}

/// Queues `mail` (if there is one) and, in the same transaction, `record`s
/// that it was made (how far alerts went, when the digest went out): a crash
/// neither loses it nor makes it twice. Whether a mail was queued.
pub async fn queue_recorded<F>(
    state: &AppState,
    mail: Option<OutgoingMail>,
    record: F,
) -> AppResult<bool>
where
    F: FnOnce(&mut db::DbConn) -> diesel::QueryResult<()> + Send + 'static,
{
    let queued = mail.is_some();
    state
        .db
        .write(move |c| {
            if let Some(m) = &mail {
                db::outgoing_mail::insert(c, m)?;
            }
            Ok(record(c)?)
        })
        .await?;
    Ok(queued)
}

/// The reader's language: their choice, else the instance's.
pub fn tr_of(state: &AppState, locale: &str) -> Tr {
    Tr(Lang::parse(locale)
        .or_else(|| Lang::parse(&state.instance().default_language))
        .unwrap_or(Lang::En))
}
