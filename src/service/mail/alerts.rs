//! Alerts: notifications mailed to people who have not seen them. A
//! notification waits `email.alert_delay_minutes`; if its reader used an app
//! or the web since it came, it was seen and is not mailed. Otherwise every
//! unseen one of the kinds the reader wants goes out in one mail, so a busy
//! hour makes one mail, and an active person gets none.

use chrono::{Duration, NaiveDateTime};

use super::{
    Item, Letter, prepare, quote,
    settings::{Category, unsubscribe_url},
    tr_of,
};
use crate::{
    db::{
        self, actors::Actor, email_settings::EmailSettings, notifications as kinds,
        notifications::Notification, statuses::Status, users::User,
    },
    error::AppResult,
    service::now,
    state::AppState,
    web::i18n::Tr,
};

/// Notifications looked at per person and pass.
const PER_PASS: i64 = 50;

/// Every minute, mails the alerts that are due (when mail is on).
pub fn spawn(state: AppState) {
    if !state.config.email.enabled() {
        return;
    }
    crate::service::spawn_every(
        state,
        std::time::Duration::from_secs(60),
        "mail alerts",
        |state| async move { send_due(&state, now()).await },
    );
}

/// Mails the alerts due at `at`; how many mails were queued.
pub async fn send_due(state: &AppState, at: NaiveDateTime) -> AppResult<usize> {
    let mut mailed = 0;
    let mut after = 0;
    loop {
        let people = state
            .db
            .run(move |c| Ok(db::email_settings::with_pending_alerts(c, after, 500)?))
            .await?;
        for &user_id in &people {
            if alert_one(state, user_id, at).await? {
                mailed += 1;
            }
        }
        match people.last() {
            Some(&last) if people.len() == 500 => after = last,
            _ => return Ok(mailed),
        }
    }
}

/// A notification, what it is about, and its kind of mail.
struct Pending {
    n: Notification,
    category: Category,
    from: Actor,
    status: Option<Status>,
    community: Option<Actor>,
}

/// A person's pending alerts: who, their settings, the newest notification
/// looked at, and those to mail.
type Reader = (User, EmailSettings, i64, Vec<Pending>);

/// Reads a person's pending notifications.
fn pending(c: &mut db::DbConn, user_id: i64) -> AppResult<Option<Reader>> {
    let (Some(user), Some(settings)) = (
        db::users::by_id(c, user_id)?,
        db::email_settings::of_user(c, user_id)?,
    ) else {
        return Ok(None);
    };
    let reader = db::actors::by_id(c, user.actor_id)?;
    let rows = db::notifications::after(c, user.actor_id, settings.alerted_until, PER_PASS)?;
    let newest = rows.last().map_or(settings.alerted_until, |n| n.id);
    let mut out = vec![];
    for n in rows {
        // Seen in an app or the web since it came.
        if user.last_active_at.is_some_and(|seen| seen >= n.created_at) {
            continue;
        }
        let status = match n.status_id {
            Some(id) => db::statuses::by_id(c, id)?.filter(|s| !s.is_gone()),
            None => None,
        };
        if n.status_id.is_some() && status.is_none() {
            continue;
        }
        // Membership may have ended since.
        if let Some(s) = &status
            && !db::visibility::can_see(c, s, Some(&reader))?
        {
            continue;
        }
        let Some(category) = category_of(&n, status.as_ref()) else {
            continue;
        };
        if !category.wanted(&settings) {
            continue;
        }
        let community = match n
            .community_id
            .or(status.as_ref().and_then(|s| s.community_id))
        {
            Some(id) => Some(db::actors::by_id(c, id)?),
            None => None,
        };
        let from = db::actors::by_id(c, n.from_id)?;
        out.push(Pending {
            n,
            category,
            from,
            status,
            community,
        });
    }
    Ok(Some((user, settings, newest, out)))
}

fn category_of(n: &Notification, status: Option<&Status>) -> Option<Category> {
    Some(match n.kind.as_str() {
        kinds::MENTION
            if status
                .is_some_and(|s| s.visibility == crate::model::visibility::Visibility::Direct) =>
        {
            Category::DirectMessages
        }
        kinds::MENTION => Category::Mentions,
        kinds::FOLLOW | kinds::FOLLOW_REQUEST => Category::Follows,
        kinds::JOIN_REQUEST => Category::JoinRequests,
        kinds::REPORT => Category::Reports,
        kinds::EVENT_REMINDER => Category::EventReminders,
        _ => return None,
    })
}

/// Deals with one person's pending notifications: mails them, marks them
/// seen, or waits. Whether a mail was queued.
async fn alert_one(state: &AppState, user_id: i64, at: NaiveDateTime) -> AppResult<bool> {
    let Some((user, settings, newest, items)) = state.db.run(move |c| pending(c, user_id)).await?
    else {
        return Ok(false);
    };
    let delay = Duration::minutes(state.config.email.alert_delay_minutes as i64);
    let oldest = items.iter().map(|p| p.n.created_at).min();
    if oldest.is_some_and(|o| at - o < delay) {
        // Its reader may still see it; later ones will join it.
        return Ok(false);
    }
    let mail = if items.is_empty() {
        None
    } else {
        let letter = letter(state, &user, &settings, &items);
        Some(prepare(
            state,
            Some(user.id),
            &user.email,
            "alert",
            &letter,
        )?)
    };
    super::queue_recorded(state, mail, move |c| {
        db::email_settings::set_alerted_until(c, user_id, newest)
    })
    .await
}

fn letter(state: &AppState, user: &User, settings: &EmailSettings, items: &[Pending]) -> Letter {
    let t = tr_of(state, &user.locale);
    let base = state.urls.base();
    let lines: Vec<Item> = items.iter().map(|p| item(state, t, base, p)).collect();
    let subject = match lines.as_slice() {
        [one] => one.title.clone(),
        many => t.n("mail-alerts-subject", &(many.len() as i64)),
    };
    let mut l = Letter::new(t, subject);
    l.sections = vec![super::Section {
        heading: String::new(),
        items: lines,
    }];
    l.action = Some((t.s("mail-alerts-action"), format!("{base}/notifications")));
    // One kind: its link turns that kind off; several: all alerts.
    let first = items[0].category;
    let category = if items.iter().all(|p| p.category == first) {
        first
    } else {
        Category::Alerts
    };
    l.footer = t.v(
        "mail-alerts-footer",
        "settings",
        &format!("{base}/settings"),
    );
    l.unsubscribe = Some(unsubscribe_url(state, settings, category));
    l
}

fn item(state: &AppState, t: Tr, base: &str, p: &Pending) -> Item {
    let name = quote::name_of(&p.from);
    let community = p.community.as_ref().map(quote::name_of).unwrap_or_default();
    let community_page = p.community.as_ref().map(|c| {
        let handle = if c.local {
            c.name.clone()
        } else {
            format!("{}@{}", c.name, c.domain)
        };
        format!("{base}/communities/{handle}")
    });
    let (key, url) = match p.category {
        Category::JoinRequests => (
            "alert-join-request",
            community_page.map(|c| format!("{c}/moderation")),
        ),
        Category::Reports => (
            "alert-report",
            Some(match community_page {
                Some(c) if p.community.as_ref().is_some_and(|c| c.local) => {
                    format!("{c}/moderation")
                }
                _ => format!("{base}/admin/reports"),
            }),
        ),
        Category::Follows if p.n.kind == kinds::FOLLOW_REQUEST => ("alert-follow-request", None),
        Category::Follows => ("alert-follow", None),
        Category::DirectMessages => ("alert-direct", None),
        Category::EventReminders => ("alert-event", None),
        _ => ("alert-mention", None),
    };
    let url = url
        .or_else(|| p.status.as_ref().map(|s| format!("{base}/posts/{}", s.id)))
        .unwrap_or_else(|| format!("{base}/notifications"));
    let title = t.args(key, &[("name", &name), ("community", &community)]);
    let (text, meta) = match &p.status {
        Some(s) => (
            quote::title(state, t, s, p.community.as_ref()),
            community.clone(),
        ),
        None => (String::new(), String::new()),
    };
    Item {
        title,
        text,
        meta,
        url,
    }
}
