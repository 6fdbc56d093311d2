//! Side effects as typed events, stored in the transaction of the change; the
//! delivery workers turn them into activities (`federation::outbound`), so no
//! client request waits on a delivery. (Writing a status may wait on one lookup:
//! a mentioned person we have never seen is found by WebFinger first, within the
//! federation client's 10 s timeout, so the mention links to the right account
//! and notifies them.)

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(tag = "event")]
pub enum Event {
    /// A local actor wrote a status.
    StatusCreated {
        status_id: i64,
    },
    StatusUpdated {
        status_id: i64,
    },
    /// `by` deleted it (the author, or a moderator removing it).
    StatusDeleted {
        status_id: i64,
        by: i64,
    },
    /// A moderator restored a status they (or another moderator) removed.
    StatusRestored {
        status_id: i64,
        by: i64,
    },
    Liked {
        actor_id: i64,
        status_id: i64,
        activity_id: String,
    },
    Unliked {
        actor_id: i64,
        status_id: i64,
        activity_id: String,
    },
    /// A local person boosted a status (`status_id`: the boost).
    Reblogged {
        status_id: i64,
    },
    /// … and took the boost back.
    Unreblogged {
        status_id: i64,
    },
    /// A local person's report, forwarded to the reported account's server.
    Reported {
        report_id: i64,
    },
    /// A local person voted in another server's poll: `choices` are the vote
    /// `Note`s to send, as (id, option title).
    Voted {
        status_id: i64,
        actor_id: i64,
        choices: Vec<(String, String)>,
    },
    /// A local actor asked to follow (or join) a remote one.
    FollowRequested {
        follower_id: i64,
        target_id: i64,
        activity_id: String,
    },
    Unfollowed {
        follower_id: i64,
        target_id: i64,
        activity_id: String,
    },
    /// A local person blocked a remote one (the Block goes to the blocked
    /// person's server, as Mastodon does, so that it hides them there too).
    Blocked {
        actor_id: i64,
        target_id: i64,
        activity_id: String,
    },
    Unblocked {
        actor_id: i64,
        target_id: i64,
        activity_id: String,
    },
    /// A local person deleted their account: a `Delete` of the actor goes to
    /// `inboxes` (the servers of those they followed or who followed them, read
    /// before the erasure).
    ActorDeleted {
        actor_id: i64,
        inboxes: Vec<String>,
    },
    /// A local actor accepted a remote follower.
    FollowAccepted {
        follower_id: i64,
        target_id: i64,
        activity_id: String,
    },
    /// A local community declined a remote person's request to join.
    FollowRejected {
        follower_id: i64,
        target_id: i64,
        activity_id: String,
    },
    /// A local actor's profile changed (for a community: its visibility too).
    ActorUpdated {
        actor_id: i64,
    },
    /// A local community forwards an activity received from a member (FEP-1b12).
    Announce {
        community_id: i64,
        activity: serde_json::Value,
    },
    /// A moderator changed: `added` or removed from the community's moderators.
    /// A server was revoked from a community: it gets Deletes for what it held.
    Revoked {
        community_id: i64,
        domain: String,
    },
    /// A moderator banned someone from a community.
    Banned {
        community_id: i64,
        actor_id: i64,
        by: i64,
        reason: String,
    },
    /// A moderator pinned a thread first in a community (`on`), or unpinned it.
    Featured {
        community_id: i64,
        status_id: i64,
        by: i64,
        on: bool,
    },
    /// A moderator lifted a ban.
    Unbanned {
        community_id: i64,
        actor_id: i64,
        by: i64,
    },
    ModeratorChanged {
        community_id: i64,
        actor_id: i64,
        added: bool,
        by: i64,
    },
    /// A local person answered another server's event (or took their answer
    /// back): it goes to the organiser, whose server counts it.
    EventAnswered {
        status_id: i64,
        actor_id: i64,
        activity_id: String,
    },
    /// A local person answered another server's survey: their answers go to
    /// its author only, as the activity `activity_id`. Once that activity is
    /// built, the event keeps no answers (`kept`).
    SurveyAnswered {
        status_id: i64,
        actor_id: i64,
        activity_id: String,
        answers: Vec<crate::service::surveys::Reply>,
    },
    /// A remote person got a place at one of our events (at once, or off the
    /// waiting list): their server hears the organiser's `Accept`.
    EventPlaceGiven {
        status_id: i64,
        actor_id: i64,
    },
}

impl Event {
    /// What is kept of a processed event when not all of it may be: a survey
    /// answer without the answers (they stay in the activity until it is
    /// delivered, then go too), so no copy of what a person answered stays
    /// with their name.
    pub fn kept(&self) -> Option<Event> {
        match self {
            Event::SurveyAnswered {
                status_id,
                actor_id,
                activity_id,
                ..
            } => Some(Event::SurveyAnswered {
                status_id: *status_id,
                actor_id: *actor_id,
                activity_id: activity_id.clone(),
                answers: vec![],
            }),
            _ => None,
        }
    }
}

/// Stores events in the caller's transaction: they exist exactly when the change
/// that caused them does (the transactional outbox). A community's `Announce` is
/// keyed by the activity it forwards, so an activity applied twice is sent once.
pub fn store(conn: &mut crate::db::DbConn, events: &[Event]) -> crate::error::AppResult<()> {
    let at = crate::service::now();
    for e in events {
        let payload = serde_json::to_string(e).map_err(crate::error::AppError::internal)?;
        let key = match e {
            Event::Announce {
                community_id,
                activity,
            } => activity["id"]
                .as_str()
                .map(|id| format!("announce:{community_id}:{id}")),
            _ => None,
        };
        crate::db::outbox::enqueue_keyed_event(conn, &payload, key.as_deref(), at)?;
    }
    Ok(())
}

/// Where a change comes from, which decides what it sends.
pub enum Origin {
    /// A local person's change: it federates as its event.
    Local,
    /// A remote actor's activity (as received): the community of ours it concerns,
    /// if any, forwards it to its followers (FEP-1b12).
    Remote(serde_json::Value),
}

impl Origin {
    pub fn is_local(&self) -> bool {
        matches!(self, Origin::Local)
    }

    /// Stores what the change sends, in its transaction: `event` for a local change;
    /// for a remote one, the Announce of the activity by `community_id` when it is ours.
    pub fn store(
        &self,
        conn: &mut crate::db::DbConn,
        community_id: Option<i64>,
        event: impl FnOnce() -> Event,
    ) -> crate::error::AppResult<()> {
        match self {
            Origin::Local => store(conn, &[event()]),
            Origin::Remote(activity) => forward(conn, community_id, activity),
        }
    }
}

/// The one rule of forwarding: a received activity about something in one of our
/// communities is announced by that community, in the transaction that applies it.
pub fn forward(
    conn: &mut crate::db::DbConn,
    community_id: Option<i64>,
    activity: &serde_json::Value,
) -> crate::error::AppResult<()> {
    let Some(id) = community_id else {
        return Ok(());
    };
    if !crate::db::actors::by_id(conn, id)?.local {
        return Ok(());
    }
    let announce = Event::Announce {
        community_id: id,
        activity: activity.clone(),
    };
    store(conn, &[announce])
}

#[cfg(test)]
mod tests {
    use super::Event;

    #[test]
    fn survey_answers_are_not_kept() {
        let answered: Event = serde_json::from_str(
            r#"{"event":"SurveyAnswered","status_id":7,"actor_id":3,
                "activity_id":"https://b.example/survey-answers/9",
                "answers":[{"question":0,"choices":[1],"score":null,"text":"secret"}]}"#,
        )
        .unwrap();
        let kept = serde_json::to_string(&answered.kept().unwrap()).unwrap();
        assert!(
            !kept.contains("secret") && kept.contains(r#""answers":[]"#),
            "{kept}"
        );
        assert!(kept.contains("survey-answers/9"), "{kept}");
        assert!(Event::StatusUpdated { status_id: 7 }.kept().is_none());
    }
}
