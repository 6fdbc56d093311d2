//! What mail a person wants: each kind of alert on or off, and the digest
//! (off, daily, weekly). Changed in the settings, through the API, or by an
//! unsubscribe link from a mail, which needs no sign-in: its key can turn a
//! kind of mail off and do nothing else.

use crate::{
    db::{self, email_settings::EmailSettings},
    error::{AppError, AppResult},
    service::{now, secrets},
    state::AppState,
};

/// A kind of mail one can turn off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Mentions,
    DirectMessages,
    Follows,
    JoinRequests,
    Reports,
    EventReminders,
    Digest,
    /// Every kind of alert at once (the link of a mail grouping several kinds).
    Alerts,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Self::Mentions,
        Self::DirectMessages,
        Self::Follows,
        Self::JoinRequests,
        Self::Reports,
        Self::EventReminders,
        Self::Digest,
    ];

    /// The kinds of alert (everything but the digest).
    pub const ALERTS: [Category; 6] = [
        Self::Mentions,
        Self::DirectMessages,
        Self::Follows,
        Self::JoinRequests,
        Self::Reports,
        Self::EventReminders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mentions => "mentions",
            Self::DirectMessages => "direct_messages",
            Self::Follows => "follows",
            Self::JoinRequests => "join_requests",
            Self::Reports => "reports",
            Self::EventReminders => "event_reminders",
            Self::Digest => "digest",
            Self::Alerts => "alerts",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Self::ALL
            .into_iter()
            .chain([Self::Alerts])
            .find(|c| c.as_str() == s)
    }

    /// Whether `s` lets this kind through.
    pub fn wanted(self, s: &EmailSettings) -> bool {
        match self {
            Self::Mentions => s.mentions,
            Self::DirectMessages => s.direct_messages,
            Self::Follows => s.follows,
            Self::JoinRequests => s.join_requests,
            Self::Reports => s.reports,
            Self::EventReminders => s.event_reminders,
            Self::Digest => s.digest != "off",
            Self::Alerts => Self::ALERTS.iter().any(|k| k.wanted(s)),
        }
    }

    /// `s` with this kind turned on or off (a digest turned on is weekly).
    pub fn set(self, s: &mut EmailSettings, on: bool) {
        match self {
            Self::Mentions => s.mentions = on,
            Self::DirectMessages => s.direct_messages = on,
            Self::Follows => s.follows = on,
            Self::JoinRequests => s.join_requests = on,
            Self::Reports => s.reports = on,
            Self::EventReminders => s.event_reminders = on,
            Self::Digest => s.digest = if on { "weekly" } else { "off" }.into(),
            Self::Alerts => {
                for k in Self::ALERTS {
                    k.set(s, on);
                }
            }
        }
    }
}

pub const DIGESTS: [&str; 3] = ["off", "daily", "weekly"];

/// The person's settings (made with the defaults if the account predates them).
pub async fn of_user(state: &AppState, user_id: i64) -> AppResult<EmailSettings> {
    state
        .db
        .write(move |c| {
            if let Some(s) = db::email_settings::of_user(c, user_id)? {
                return Ok(s);
            }
            let s = EmailSettings::defaults(user_id, secrets::new_secret(), now());
            db::email_settings::insert(c, &s)?;
            db::email_settings::of_user(c, user_id)?.ok_or_else(AppError::not_found)
        })
        .await
}

/// Saves new choices; the digest must be one of [`DIGESTS`].
pub async fn save(state: &AppState, s: EmailSettings) -> AppResult<EmailSettings> {
    if !DIGESTS.contains(&s.digest.as_str()) {
        return Err(crate::error::invalid_field(
            "digest",
            "must be off, daily or weekly",
        ));
    }
    let user_id = s.user_id;
    state
        .db
        .write(move |c| {
            db::email_settings::save_choices(c, &s)?;
            db::email_settings::of_user(c, user_id)?.ok_or_else(AppError::not_found)
        })
        .await
}

/// The unsubscribe link of a kind of mail for its reader.
pub fn unsubscribe_url(state: &AppState, s: &EmailSettings, category: Category) -> String {
    format!(
        "{}/email/unsubscribe/{}/{}",
        state.urls.base(),
        s.unsubscribe_key,
        category.as_str()
    )
}

/// Whether `key` and `category` make a working unsubscribe link.
pub async fn check_link(state: &AppState, key: &str, category: &str) -> AppResult<Category> {
    let category = Category::parse(category).ok_or_else(AppError::not_found)?;
    let key = key.to_string();
    state
        .db
        .run(move |c| Ok(db::email_settings::by_key(c, &key)?))
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(category)
}

/// Turns a kind of mail off through an unsubscribe link.
pub async fn unsubscribe(state: &AppState, key: &str, category: &str) -> AppResult<Category> {
    let category = check_link(state, key, category).await?;
    let key = key.to_string();
    state
        .db
        .write(move |c| {
            let mut s = db::email_settings::by_key(c, &key)?.ok_or_else(AppError::not_found)?;
            category.set(&mut s, false);
            db::email_settings::save_choices(c, &s)?;
            Ok(())
        })
        .await?;
    Ok(category)
}
