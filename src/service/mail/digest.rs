//! Digests: once a day or once a week (Mondays), at `email.digest_hour` in
//! the organisation's time zone, what happened in a person's communities
//! since the last one — the most discussed new threads (ranked by replies and
//! likes in aggregate), upcoming events, new documents. Nothing happened:
//! no mail. New accounts get a weekly digest (see docs/USER-GUIDE.md: an
//! enterprise network is found again through its digest; one click stops it).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Weekday};
use chrono_tz::Tz;

use super::{Item, Letter, Section, prepare, quote, settings::Category, tr_of};
use crate::{db, error::AppResult, service::now, state::AppState};

const THREADS: i64 = 5;
const EVENTS: i64 = 5;
const DOCUMENTS: i64 = 5;

/// Every ten minutes, sends the digests that are due (when mail is on).
pub fn spawn(state: AppState) {
    if !state.config.email.enabled() {
        return;
    }
    crate::service::spawn_every(
        state,
        std::time::Duration::from_secs(600),
        "mail digests",
        |state| async move { send_due(&state, now()).await },
    );
}

/// The latest time at or before `at` when digests of `period` go out.
pub fn last_slot(at: NaiveDateTime, weekly: bool, hour: u32, tz: Tz) -> NaiveDateTime {
    let mut day: NaiveDate = tz.from_utc_datetime(&at).date_naive();
    for _ in 0..9 {
        let slot = day
            .and_hms_opt(hour, 0, 0)
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.naive_utc());
        if let Some(slot) = slot
            && slot <= at
            && (!weekly || day.weekday() == Weekday::Mon)
        {
            return slot;
        }
        day = day.pred_opt().unwrap_or(day);
    }
    at - Duration::days(7)
}

/// Sends the digests due at `at`; how many mails were queued.
pub async fn send_due(state: &AppState, at: NaiveDateTime) -> AppResult<usize> {
    let tz: Tz = state.instance().time_zone.parse().unwrap_or(Tz::UTC);
    let hour = state.config.email.digest_hour;
    let mut mailed = 0;
    for (period, weekly) in [("daily", false), ("weekly", true)] {
        let slot = last_slot(at, weekly, hour, tz);
        loop {
            let due = state
                .db
                .run(move |c| Ok(db::email_settings::digests_due(c, period, slot, 100)?))
                .await?;
            let n = due.len();
            for user_id in due {
                if digest_one(state, user_id, at, weekly).await? {
                    mailed += 1;
                }
            }
            if n < 100 {
                break;
            }
        }
    }
    Ok(mailed)
}

/// What a digest lists, read in one go.
struct Gathered {
    threads: Vec<(db::statuses::Status, Option<db::actors::Actor>)>,
    events: Vec<(
        db::statuses::Status,
        NaiveDateTime,
        Option<db::actors::Actor>,
    )>,
    documents: Vec<(db::statuses::Status, Option<db::actors::Actor>)>,
}

async fn digest_one(
    state: &AppState,
    user_id: i64,
    at: NaiveDateTime,
    weekly: bool,
) -> AppResult<bool> {
    let span = if weekly {
        Duration::days(7)
    } else {
        Duration::days(1)
    };
    let read = state
        .db
        .run(move |c| {
            let (Some(user), Some(settings)) = (
                db::users::by_id(c, user_id)?,
                db::email_settings::of_user(c, user_id)?,
            ) else {
                return Ok(None);
            };
            // After a long pause, two periods' worth (not months of it).
            let since = settings
                .digest_sent_at
                .unwrap_or(at - span)
                .max(at - span - span);
            let communities = db::digest::communities_of(c, user.actor_id)?;
            let with_community = |c: &mut db::DbConn, s: db::statuses::Status| {
                let community = match s.community_id {
                    Some(id) => Some(db::actors::by_id(c, id)?),
                    None => None,
                };
                Ok::<_, diesel::result::Error>((s, community))
            };
            let mut g = Gathered {
                threads: vec![],
                events: vec![],
                documents: vec![],
            };
            for s in db::digest::top_threads(c, &communities, (since, at), THREADS)? {
                g.threads.push(with_community(c, s)?);
            }
            for (s, starts) in
                db::digest::upcoming_events(c, &communities, (at, at + span), EVENTS)?
            {
                let (s, community) = with_community(c, s)?;
                g.events.push((s, starts, community));
            }
            for s in db::digest::new_documents(c, &communities, (since, at), DOCUMENTS)? {
                g.documents.push(with_community(c, s)?);
            }
            Ok(Some((user, settings, g)))
        })
        .await?;
    let Some((user, settings, g)) = read else {
        return Ok(false);
    };
    let empty = g.threads.is_empty() && g.events.is_empty() && g.documents.is_empty();
    let mail = if empty {
        None
    } else {
        let letter = letter(state, &user, &settings, &g, weekly);
        Some(prepare(
            state,
            Some(user.id),
            &user.email,
            "digest",
            &letter,
        )?)
    };
    super::queue_recorded(state, mail, move |c| {
        db::email_settings::set_digest_sent(c, user_id, at)
    })
    .await
}

fn letter(
    state: &AppState,
    user: &db::users::User,
    settings: &db::email_settings::EmailSettings,
    g: &Gathered,
    weekly: bool,
) -> Letter {
    let t = tr_of(state, &user.locale);
    let base = state.urls.base();
    let instance = state.instance().name.clone();
    let key = if weekly {
        "mail-digest-weekly"
    } else {
        "mail-digest-daily"
    };
    let mut l = Letter::new(t, t.v(key, "instance", &instance));
    let tz: Tz = state.instance().time_zone.parse().unwrap_or(Tz::UTC);
    let post = |s: &db::statuses::Status, c: &Option<db::actors::Actor>, meta: String| Item {
        title: quote::title(state, t, s, c.as_ref()),
        text: quote::excerpt(state, s, c.as_ref()),
        meta,
        url: format!("{base}/posts/{}", s.id),
    };
    let community =
        |c: &Option<db::actors::Actor>| c.as_ref().map(quote::name_of).unwrap_or_default();
    let mut sections = vec![];
    if !g.threads.is_empty() {
        let items = g
            .threads
            .iter()
            .map(|(s, c)| {
                let counts = t.args(
                    "mail-digest-counts",
                    &[
                        ("replies", &s.replies_count.to_string()),
                        ("likes", &s.favourites_count.to_string()),
                    ],
                );
                post(s, c, format!("{} · {counts}", community(c)))
            })
            .collect();
        sections.push(Section {
            heading: t.s("mail-digest-threads"),
            items,
        });
    }
    if !g.events.is_empty() {
        let items = g
            .events
            .iter()
            .map(|(s, starts, c)| {
                let when = tz
                    .from_utc_datetime(starts)
                    .format("%Y-%m-%d %H:%M")
                    .to_string();
                post(s, c, format!("{when} · {}", community(c)))
            })
            .collect();
        sections.push(Section {
            heading: t.s("mail-digest-events"),
            items,
        });
    }
    if !g.documents.is_empty() {
        let items = g
            .documents
            .iter()
            .map(|(s, c)| post(s, c, community(c)))
            .collect();
        sections.push(Section {
            heading: t.s("mail-digest-documents"),
            items,
        });
    }
    l.sections = sections;
    l.paragraphs = vec![t.s("mail-digest-intro")];
    l.action = Some((t.s("mail-digest-action"), format!("{base}/")));
    l.footer = t.v(
        "mail-digest-footer",
        "settings",
        &format!("{base}/settings"),
    );
    l.unsubscribe = Some(super::settings::unsubscribe_url(
        state,
        settings,
        Category::Digest,
    ));
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn slots_fall_at_the_hour_in_the_organisations_zone() {
        let paris: Tz = "Europe/Paris".parse().unwrap_or(Tz::UTC);
        // Thursday 2026-12-10 10:00 UTC: the daily slot was 07:00 Paris (06:00 UTC) that day.
        assert_eq!(
            last_slot(at("2026-12-10 10:00"), false, 7, paris),
            at("2026-12-10 06:00")
        );
        // Before the hour, it was the day before.
        assert_eq!(
            last_slot(at("2026-12-10 05:00"), false, 7, paris),
            at("2026-12-09 06:00")
        );
        // Weekly: Monday 2026-12-07.
        assert_eq!(
            last_slot(at("2026-12-10 10:00"), true, 7, paris),
            at("2026-12-07 06:00")
        );
        // Summer time: 07:00 Paris is 05:00 UTC.
        assert_eq!(
            last_slot(at("2026-07-01 12:00"), false, 7, paris),
            at("2026-07-01 05:00")
        );
    }
}
