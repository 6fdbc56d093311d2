//! Polls: the rules for making one with a status and for voting, here or on
//! another server (a vote on a remote poll travels to its author's server as a
//! `Note` named after the option, as Mastodon does).

use crate::model::visibility::Visibility;
use chrono::NaiveDateTime;

use super::{events::Event, now};
use crate::{
    db::{self, actors::Actor, polls::Poll},
    error::{AppError, AppResult, invalid_field},
    state::AppState,
};

pub const MAX_OPTIONS: usize = 10;
pub const MAX_OPTION_CHARS: usize = 100;
/// Seconds: five minutes to a month, as Mastodon.
pub const MIN_EXPIRATION: i64 = 300;
pub const MAX_EXPIRATION: i64 = 2_629_746;

#[derive(Debug, Clone)]
pub struct NewPoll {
    pub options: Vec<String>,
    pub expires_in: i64,
    pub multiple: bool,
    pub hide_totals: bool,
}

impl NewPoll {
    /// The poll of status `status_id`, or why it cannot be made.
    pub fn row(&self, status_id: i64, at: NaiveDateTime) -> AppResult<Poll> {
        let options: Vec<String> = self.options.iter().map(|o| o.trim().to_string()).collect();
        if options.len() < 2 || options.len() > MAX_OPTIONS {
            return Err(invalid_field(
                "poll",
                format!("must have 2 to {MAX_OPTIONS} options"),
            ));
        }
        if options
            .iter()
            .any(|o| o.is_empty() || o.chars().count() > MAX_OPTION_CHARS)
        {
            return Err(invalid_field(
                "poll",
                format!("options must be 1 to {MAX_OPTION_CHARS} characters"),
            ));
        }
        if (1..options.len()).any(|i| options[..i].contains(&options[i])) {
            return Err(invalid_field("poll", "options must be different"));
        }
        if !(MIN_EXPIRATION..=MAX_EXPIRATION).contains(&self.expires_in) {
            return Err(invalid_field(
                "poll",
                format!("must last {MIN_EXPIRATION} to {MAX_EXPIRATION} seconds"),
            ));
        }
        Ok(Poll {
            status_id,
            options: serde_json::to_string(&options).map_err(AppError::internal)?,
            multiple: self.multiple,
            hide_totals: self.hide_totals,
            expires_at: Some(at + chrono::Duration::seconds(self.expires_in)),
            remote_counts: None,
            remote_voters: None,
        })
    }
}

/// `voter` chooses options (indexes) in the poll of status `status_id`, which
/// they must be able to see. Federated: the vote itself for a remote poll, the
/// new results for one of ours.
pub async fn vote(
    state: &AppState,
    voter: &Actor,
    status_id: i64,
    mut choices: Vec<i64>,
) -> AppResult<()> {
    let status = super::statuses::visible(state, status_id, Some(voter)).await?;
    choices.sort_unstable();
    choices.dedup();
    if choices.is_empty() {
        return Err(invalid_field("choices", "can't be blank"));
    }
    if status.actor_id == voter.id {
        return Err(AppError::unprocessable(
            "Validation failed: You cannot vote in your own poll",
        ));
    }
    let (voter_id, local_status) = (voter.id, status.local);
    let base = state.urls.base().to_string();
    state
        .db
        .write(move |c| {
            let poll = db::polls::by_status(c, status_id)?.ok_or_else(AppError::not_found)?;
            let at = now();
            if poll.expired(at) {
                return Err(AppError::unprocessable(
                    "Validation failed: The poll has already ended",
                ));
            }
            let titles = poll.titles();
            if choices.iter().any(|&i| i < 0 || i as usize >= titles.len()) {
                return Err(invalid_field("choices", "is not an option of this poll"));
            }
            if !poll.multiple && choices.len() > 1 {
                return Err(invalid_field("choices", "this poll takes one choice"));
            }
            if !db::polls::own_choices(c, voter_id, &[status_id])?.is_empty() {
                return Err(AppError::unprocessable(
                    "Validation failed: You have already voted on this poll",
                ));
            }
            // A vote on another server's poll is a Note per choice, with its own id.
            let rows: Vec<(i32, Option<String>)> = choices
                .iter()
                .map(|&i| {
                    let ap_id = (!local_status)
                        .then(|| format!("{base}/votes/{}", crate::model::id::new_id()));
                    (i as i32, ap_id)
                })
                .collect();
            db::polls::vote(c, status_id, voter_id, &rows, at)?;
            let events = if local_status {
                vec![Event::StatusUpdated { status_id }]
            } else {
                vec![Event::Voted {
                    status_id,
                    actor_id: voter_id,
                    choices: rows
                        .into_iter()
                        .filter_map(|(i, id)| Some((id?, titles[i as usize].clone())))
                        .collect(),
                }]
            };
            super::events::store(c, &events)
        })
        .await
}

/// A remote person's vote in one of our polls, read from the wire by
/// `federation::objects::received`.
#[derive(Debug, Clone)]
pub struct RemoteVote {
    pub ap_id: String,
    pub voter: String,
    /// The poll's status (None: not an answer, refused).
    pub poll: Option<String>,
    /// The title of the option chosen.
    pub choice: String,
}

/// The local poll a remote vote is for, if its voter may take part: one who
/// could see the poll (a member of its community; for a post outside
/// communities, anyone if it is public, a follower if followers-only, a
/// mentioned person if direct).
pub async fn check_remote_vote(data: &AppState, vote: &RemoteVote) -> AppResult<()> {
    let (parent, voter) = match &vote.poll {
        Some(p) => (p.clone(), vote.voter.clone()),
        None => return Err(AppError::bad_request("A vote answers a poll")),
    };
    data.db
        .run(move |c| {
            let status = db::statuses::by_ap_id(c, &parent)?
                .filter(|s| s.local && !s.is_gone())
                .ok_or_else(AppError::not_found)?;
            if db::polls::by_status(c, status.id)?.is_none() {
                return Err(AppError::not_found());
            }
            let voter = db::actors::by_ap_id(c, &voter)?;
            let may = may_take_part(c, &status, voter.as_ref())?;
            if may {
                Ok(())
            } else {
                Err(AppError::not_found())
            }
        })
        .await
}

/// Whether a remote person may take part in a poll or survey of ours (see
/// `check_remote_vote`); an unknown person may not.
pub fn may_take_part(
    c: &mut db::DbConn,
    status: &db::statuses::Status,
    person: Option<&Actor>,
) -> AppResult<bool> {
    Ok(match (status.community_id, person) {
        (_, None) => false,
        (Some(community), Some(v)) => {
            let community = db::actors::by_id(c, community)?;
            community.federates() && super::statuses::check_may_post(c, &community, v.id).is_ok()
        }
        (None, Some(v)) => match status.visibility {
            Visibility::Public | Visibility::Unlisted => true,
            Visibility::Private => db::follows::is_accepted(c, v.id, status.actor_id)?,
            _ => db::statuses::mentioned_actor_ids(c, &[status.id])?
                .iter()
                .any(|(_, a)| *a == v.id),
        },
    })
}

/// Records a remote person's vote (checked by `check_remote_vote`) in one of our
/// polls, then shares the new results. A vote for an option that does not
/// exist, after the end, or a second one in a single-choice poll is dropped,
/// as Mastodon does.
pub async fn accept_remote_vote(data: &AppState, vote: RemoteVote, voter_id: i64) -> AppResult<()> {
    let parent = vote
        .poll
        .ok_or_else(|| AppError::bad_request("A vote answers a poll"))?;
    let (name, ap_id) = (vote.choice, vote.ap_id);
    data.db
        .write(move |c| {
            let Some(status) = db::statuses::by_ap_id(c, &parent)? else {
                return Ok(());
            };
            let Some(poll) = db::polls::by_status(c, status.id)? else {
                return Ok(());
            };
            let at = now();
            let Some(choice) = poll.titles().iter().position(|t| *t == name) else {
                return Ok(());
            };
            let before = db::polls::own_choices(c, voter_id, &[status.id])?;
            if poll.expired(at)
                || before.iter().any(|(_, ch)| *ch as usize == choice)
                || (!poll.multiple && !before.is_empty())
                || db::polls::vote_known(c, &ap_id)?
            {
                return Ok(());
            }
            db::polls::vote(c, status.id, voter_id, &[(choice as i32, Some(ap_id))], at)?;
            super::events::store(
                c,
                &[Event::StatusUpdated {
                    status_id: status.id,
                }],
            )
        })
        .await?;
    data.wake_delivery();
    Ok(())
}

/// Every minute, tells the authors and voters of the polls that ended.
pub fn spawn_endings(state: AppState) {
    super::spawn_every(
        state,
        std::time::Duration::from_secs(60),
        "the announcement of ended polls",
        |state| async move { announce_ended(&state).await },
    );
}

/// Announces the polls that ended (`poll` notifications); how many.
pub async fn announce_ended(state: &AppState) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let n = state
            .db
            .write(|c| {
                let at = now();
                let ended = db::polls::ended_unannounced(c, at, 100)?;
                for s in &ended {
                    db::notifications::poll_ended(c, s, at)?;
                }
                Ok(ended.len())
            })
            .await?;
        done += n;
        if n < 100 {
            return Ok(done);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NewPoll;

    fn poll(options: &[&str], expires_in: i64) -> NewPoll {
        NewPoll {
            options: options.iter().map(|o| o.to_string()).collect(),
            expires_in,
            multiple: false,
            hide_totals: false,
        }
    }

    #[test]
    fn polls_are_checked() {
        let at = chrono::DateTime::from_timestamp(1_000_000, 0)
            .unwrap()
            .naive_utc();
        let ok = poll(&["Tea", "Coffee"], 3600).row(1, at).unwrap();
        assert_eq!(ok.options, r#"["Tea","Coffee"]"#);
        assert_eq!(ok.expires_at, Some(at + chrono::Duration::hours(1)));
        assert!(poll(&["Only"], 3600).row(1, at).is_err());
        assert!(poll(&["Same", "Same"], 3600).row(1, at).is_err());
        assert!(poll(&["A", " "], 3600).row(1, at).is_err());
        assert!(poll(&["A", "B"], 60).row(1, at).is_err(), "too short");
        assert!(poll(&["A", &"x".repeat(101)], 3600).row(1, at).is_err());
    }
}
