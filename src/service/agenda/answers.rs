//! Answering an event: going, maybe, declined, or no answer. One rule for a
//! local person (API and web) and a remote one (a `Join`, `TentativeAccept` or
//! `Leave` in the inbox). Going past the capacity waits in line; a place freed
//! goes to whoever waited longest.

use chrono::NaiveDateTime;

use crate::{
    db::{
        self,
        actors::Actor,
        events::{Answer, DECLINED, GOING, MAYBE},
        statuses::Status,
    },
    error::{AppError, AppResult, invalid_field},
    model::visibility::Visibility,
    service::{
        events::{self, Event},
        now,
        statuses::visible,
    },
    state::AppState,
};

/// What a person answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Going,
    Maybe,
    Declined,
}

impl Choice {
    pub fn parse(s: &str) -> AppResult<Self> {
        match s {
            GOING => Ok(Choice::Going),
            MAYBE => Ok(Choice::Maybe),
            DECLINED | "not_going" => Ok(Choice::Declined),
            _ => Err(invalid_field("answer", "must be going, maybe or declined")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Going => GOING,
            Choice::Maybe => MAYBE,
            Choice::Declined => DECLINED,
        }
    }
}

/// A local person answers (`None`: takes their answer back). Returns their
/// answer as it stands (waitlisted or not).
pub async fn answer(
    state: &AppState,
    person: &Actor,
    status_id: i64,
    choice: Option<Choice>,
) -> AppResult<Option<Answer>> {
    let status = visible(state, status_id, Some(person)).await?;
    let person = person.clone();
    let base = state.urls.base().to_string();
    state
        .db
        .write(move |c| {
            let ap_id = format!("{base}/answers/{}", crate::model::id::new_id());
            let outcome = apply(c, &status, &person, choice, Some(ap_id.clone()), now())?;
            let mut evs = placed_events(c, &status, &outcome.promoted)?;
            if !status.local {
                evs.push(Event::EventAnswered {
                    status_id: status.id,
                    actor_id: person.id,
                    activity_id: ap_id,
                });
            }
            events::store(c, &evs)?;
            Ok(outcome.answer)
        })
        .await
}

/// A remote person's answer to one of our events, carried by `activity_id`.
pub async fn answer_remote(
    state: &AppState,
    actor: &Actor,
    event_ap_id: &str,
    choice: Option<Choice>,
    activity_id: &str,
) -> AppResult<()> {
    let (actor, event_ap_id, activity_id) = (
        actor.clone(),
        event_ap_id.to_string(),
        activity_id.to_string(),
    );
    state
        .db
        .write(move |c| {
            let status = db::statuses::by_ap_id(c, &event_ap_id)?
                .filter(|s| s.local && !s.is_gone())
                .ok_or_else(AppError::not_found)?;
            if !may_answer_from_afar(c, &status, &actor)? {
                return Err(AppError::forbidden("This event is not open to you"));
            }
            let outcome = apply(c, &status, &actor, choice, Some(activity_id), now())?;
            let mut placed = outcome.promoted;
            placed.extend(
                outcome
                    .answer
                    .filter(|a| a.answer == GOING && !a.waitlisted),
            );
            let evs = placed_events(c, &status, &placed)?;
            events::store(c, &evs)?;
            Ok(())
        })
        .await
}

/// The organiser's `Accept` for remote people given a place at a local event.
fn placed_events(
    conn: &mut db::DbConn,
    status: &Status,
    placed: &[Answer],
) -> AppResult<Vec<Event>> {
    if !status.local || placed.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = placed.iter().map(|a| a.actor_id).collect();
    let remote = db::actors::by_ids(conn, &ids)?;
    Ok(remote
        .into_iter()
        .filter(|a| !a.local)
        .map(|a| Event::EventPlaceGiven {
            status_id: status.id,
            actor_id: a.id,
        })
        .collect())
}

/// A remote person may answer what their server was sent: a public event, or
/// one of a community (or a person) they belong to (or follow); never an
/// internal one, never when banned.
fn may_answer_from_afar(conn: &mut db::DbConn, s: &Status, actor: &Actor) -> AppResult<bool> {
    let target = s.community_id.unwrap_or(s.actor_id);
    if s.community_id.is_some() && db::communities::is_banned(conn, target, actor.id)? {
        return Ok(false);
    }
    Ok(match s.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        Visibility::Members | Visibility::Partners | Visibility::Private => {
            db::follows::is_accepted(conn, actor.id, target)?
        }
        Visibility::Internal | Visibility::Direct => false,
    })
}

/// The answer as it stands, and those given a place by the change.
pub struct Outcome {
    pub answer: Option<Answer>,
    pub promoted: Vec<Answer>,
}

/// The rule, inside the caller's transaction.
pub fn apply(
    conn: &mut db::DbConn,
    status: &Status,
    actor: &Actor,
    choice: Option<Choice>,
    ap_id: Option<String>,
    at: NaiveDateTime,
) -> AppResult<Outcome> {
    let event = db::events::by_status(conn, status.id)?
        .ok_or_else(|| AppError::unprocessable("This is not an event"))?;
    if choice.is_some_and(|c| c != Choice::Declined) {
        if event.cancelled_at.is_some() {
            return Err(AppError::unprocessable("This event was cancelled"));
        }
        if super::is_over(&event, at) {
            return Err(AppError::unprocessable("This event is over"));
        }
    }
    let before = db::events::answer_of(conn, status.id, actor.id)?;
    let had_place = before
        .as_ref()
        .is_some_and(|a| a.answer == GOING && !a.waitlisted);
    let answer = match choice {
        None => {
            db::events::remove_answer(conn, status.id, actor.id)?;
            None
        }
        // Answering going again keeps one's place (or place in line).
        Some(Choice::Going) if before.as_ref().is_some_and(|a| a.answer == GOING) => before,
        Some(c) => {
            let full = c == Choice::Going
                && event.is_local()
                && match event.capacity {
                    Some(cap) => going(conn, status.id)? >= cap,
                    None => false,
                };
            let row = Answer {
                status_id: status.id,
                actor_id: actor.id,
                answer: c.as_str().to_string(),
                waitlisted: full,
                ap_id,
                created_at: at,
                updated_at: at,
                reminded_at: None,
            };
            db::events::set_answer(conn, &row)?;
            Some(row)
        }
    };
    let promoted =
        if had_place && event.is_local() && answer.as_ref().is_none_or(|a| a.answer != GOING) {
            let free = match event.capacity {
                Some(cap) => cap - going(conn, status.id)?,
                None => 0,
            };
            db::events::promote_waitlisted(conn, status.id, free)?
        } else {
            vec![]
        };
    Ok(Outcome { answer, promoted })
}

/// People with a place.
fn going(conn: &mut db::DbConn, status_id: i64) -> AppResult<i64> {
    Ok(db::events::counts(conn, &[status_id])?
        .get(&status_id)
        .map_or(0, |c| c.going))
}
