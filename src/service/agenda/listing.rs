//! Reading the agenda: a community's events, one's own, one event with its
//! counts; the list of who answered, for the organiser and moderators only.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::{
    db::{
        self,
        actors::Actor,
        events::{Answer, Counts, Event},
        statuses::Status,
    },
    error::{AppError, AppResult},
    service::{now, statuses::visible},
    state::AppState,
};

/// Events shown on one page at most.
pub const PAGE: i64 = 100;

/// An event as a reader sees it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub status: Status,
    pub event: Event,
    /// Exact counts: the organiser's and moderators' view. Others get them
    /// through [`EventView::shown`].
    pub counts: Counts,
    /// The reader's own answer.
    pub own: Option<Answer>,
    pub organiser: Actor,
    pub community: Option<Actor>,
    /// The reader organises it or moderates its community: sees exact counts
    /// and the list of answers.
    pub manages: bool,
}

impl EventView {
    /// Going, maybe (and waiting) as this reader may see them: exact for those
    /// who manage the event, withheld below 5 for everyone else. A remote
    /// event's going count is its server's.
    pub fn shown(&self) -> (Option<i64>, Option<i64>, Option<i64>) {
        let going = self.event.remote_going.unwrap_or(0) + self.counts.going;
        if self.manages {
            return (
                Some(going),
                Some(self.counts.maybe),
                Some(self.counts.waitlisted),
            );
        }
        (
            super::shown_count(going),
            super::shown_count(self.counts.maybe),
            super::shown_count(self.counts.waitlisted),
        )
    }

    /// Places left, for events with a capacity (shown as "full" or not only).
    pub fn full(&self) -> bool {
        self.event.capacity.is_some_and(|c| self.counts.going >= c)
    }
}

/// The events the reader may see among `rows`, with counts and their own answers.
fn views(
    conn: &mut db::DbConn,
    rows: Vec<(Event, Status)>,
    me: Option<&Actor>,
) -> AppResult<Vec<EventView>> {
    let mut seen = Vec::with_capacity(rows.len());
    for (e, s) in rows {
        if db::visibility::can_see(conn, &s, me)? {
            seen.push((e, s));
        }
    }
    let ids: Vec<i64> = seen.iter().map(|(_, s)| s.id).collect();
    let counts = db::events::counts(conn, &ids)?;
    let own = match me {
        Some(m) => db::events::own_answers(conn, m.id, &ids)?,
        None => vec![],
    };
    let mut managers =
        crate::service::managers::Managers::load(conn, seen.iter().map(|(_, s)| s), me)?;
    let mut out = Vec::with_capacity(seen.len());
    for (event, status) in seen {
        let Some(organiser) = managers.actor(status.actor_id) else {
            continue;
        };
        let community = status.community_id.and_then(|c| managers.actor(c));
        let manages = managers.manages(conn, &status)?;
        out.push(EventView {
            counts: counts.get(&status.id).copied().unwrap_or_default(),
            own: own.iter().find(|a| a.status_id == status.id).cloned(),
            organiser,
            community,
            manages,
            status,
            event,
        });
    }
    Ok(out)
}

/// A community's upcoming events (soonest first) or past ones (latest first).
/// The caller has checked that the reader may see the community.
pub async fn of_community(
    state: &AppState,
    community: &Actor,
    me: Option<&Actor>,
    upcoming: bool,
) -> AppResult<Vec<EventView>> {
    let (id, me) = (community.id, me.cloned());
    state
        .db
        .run(move |c| {
            let rows = db::events::in_community(c, id, now(), upcoming, PAGE)?;
            views(c, rows, me.as_ref())
        })
        .await
}

/// A community's events starting in a month (`year`, `month` 1–12), by day.
pub async fn month(
    state: &AppState,
    community: &Actor,
    me: Option<&Actor>,
    (year, month): (i32, u32),
) -> AppResult<Vec<EventView>> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| AppError::bad_request("No such month"))?;
    let next = first + Duration::days(32);
    let next = NaiveDate::from_ymd_opt(next.year(), next.month(), 1).unwrap_or(next);
    let range = (
        first.and_time(chrono::NaiveTime::MIN) - Duration::days(1),
        next.and_time(chrono::NaiveTime::MIN) + Duration::days(1),
    );
    let (id, me) = (community.id, me.cloned());
    state
        .db
        .run(move |c| {
            let rows = db::events::in_community_between(c, id, range, PAGE * 5)?;
            views(c, rows, me.as_ref())
        })
        .await
}

/// The events a person organises or said they go (or may go) to, from now on.
pub async fn mine(state: &AppState, me: &Actor) -> AppResult<Vec<EventView>> {
    let me = me.clone();
    state
        .db
        .run(move |c| {
            let rows = db::events::of_person(c, me.id, now(), PAGE)?;
            views(c, rows, Some(&me))
        })
        .await
}

/// Upcoming events a person may see, for their calendar feed: their own
/// agenda, or a community's.
pub async fn upcoming_since(
    state: &AppState,
    me: Option<&Actor>,
    community: Option<&Actor>,
    since: NaiveDateTime,
) -> AppResult<Vec<EventView>> {
    let (me, community) = (me.cloned(), community.map(|c| c.id));
    state
        .db
        .run(move |c| {
            let rows = match (community, &me) {
                (Some(id), _) => db::events::in_community(c, id, since, true, PAGE * 5)?,
                (None, Some(m)) => db::events::of_person(c, m.id, since, PAGE * 5)?,
                (None, None) => vec![],
            };
            views(c, rows, me.as_ref())
        })
        .await
}

/// One event the reader may see, or 404.
pub async fn one(state: &AppState, me: Option<&Actor>, status_id: i64) -> AppResult<EventView> {
    let status = visible(state, status_id, me).await?;
    let me = me.cloned();
    state
        .db
        .run(move |c| {
            let event = db::events::by_status(c, status.id)?.ok_or_else(AppError::not_found)?;
            views(c, vec![(event, status)], me.as_ref())?
                .pop()
                .ok_or_else(AppError::not_found)
        })
        .await
}

/// Who answered what: for the organiser and the community's moderators only.
pub async fn answers(
    state: &AppState,
    me: &Actor,
    status_id: i64,
) -> AppResult<Vec<(Answer, Actor)>> {
    let view = one(state, Some(me), status_id).await?;
    if !view.manages {
        return Err(AppError::forbidden(
            "Only the organiser and the community's moderators see who answered",
        ));
    }
    state
        .db
        .run(move |c| {
            let answers = db::events::answers(c, status_id)?;
            let ids: Vec<i64> = answers.iter().map(|a| a.actor_id).collect();
            let people = db::actors::by_ids(c, &ids)?;
            Ok(answers
                .into_iter()
                .filter_map(|a| {
                    let p = people.iter().find(|p| p.id == a.actor_id)?.clone();
                    Some((a, p))
                })
                .collect())
        })
        .await
}
