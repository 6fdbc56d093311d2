//! Seeded events: one thread in 25 is an event, dated from 60 days ago to 60
//! days ahead, with up to 8 of its community's members going.

use chrono::{Duration, NaiveDateTime};

use crate::{
    db::{
        self,
        events::{Answer, Event, GOING},
    },
    state::AppState,
};

/// Events and answers for `threads` (id, community index), given each
/// community's members (actor ids).
pub async fn insert_events(
    state: &AppState,
    threads: &[(i64, usize)],
    members_of: &[Vec<i64>],
    now: NaiveDateTime,
) -> anyhow::Result<usize> {
    let mut events = Vec::new();
    let mut answers = Vec::new();
    for (i, &(id, g)) in threads.iter().enumerate().filter(|(i, _)| i % 25 == 0) {
        let starts_at = now + Duration::days((i % 120) as i64 - 60) + Duration::hours(9);
        events.push(Event {
            status_id: id,
            starts_at,
            ends_at: Some(starts_at + Duration::hours(2)),
            time_zone: "Europe/Paris".into(),
            all_day: false,
            location: format!("Room {}", i % 12),
            online_url: None,
            capacity: (i % 3 == 0).then_some(20),
            cancelled_at: None,
            sequence: 0,
            remote_going: None,
        });
        for member in members_of.get(g).into_iter().flatten().take(8) {
            answers.push(Answer {
                status_id: id,
                actor_id: *member,
                answer: GOING.into(),
                waitlisted: false,
                ap_id: None,
                created_at: now,
                updated_at: now,
                reminded_at: None,
            });
        }
    }
    let n = events.len();
    state
        .db
        .write(move |c| {
            for e in &events {
                db::events::insert(c, e)?;
            }
            for a in &answers {
                db::events::set_answer(c, a)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(n)
}
