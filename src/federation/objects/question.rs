//! Polls on the wire, both ways: a `Question` whose options are `Note`s counting
//! their votes in `replies`; `oneOf` for a single choice, `anyOf` for several.

use chrono::{DateTime, Utc};

use crate::{
    db::polls::{Poll, Results},
    federation::protocol::post::{ApPost, PollOption, PollReplies},
    service::{now, polls::MAX_OPTION_CHARS},
};

/// Options kept from another server's poll.
const MAX_REMOTE_OPTIONS: usize = 20;

/// The poll of a remote `Question`, with the results its server reports. Its
/// status is set when the post is stored (`RemotePost::poll_for`).
pub fn from_ap(post: &ApPost) -> Option<Poll> {
    let (options, multiple) = match (&post.one_of, &post.any_of) {
        (Some(o), _) if !o.is_empty() => (o, false),
        (_, Some(o)) if !o.is_empty() => (o, true),
        _ => return None,
    };
    let options: Vec<_> = options.iter().take(MAX_REMOTE_OPTIONS).collect();
    let titles: Vec<String> = options
        .iter()
        .map(|o| o.name.chars().take(MAX_OPTION_CHARS * 2).collect())
        .collect();
    let counts: Vec<i64> = options
        .iter()
        .map(|o| o.replies.as_ref().map_or(0, |r| r.total_items.max(0)))
        .collect();
    let closed = post
        .closed
        .as_ref()
        .and_then(|c| c.as_str())
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map(|c| c.naive_utc());
    Some(Poll {
        status_id: 0,
        options: serde_json::to_string(&titles).ok()?,
        multiple,
        hide_totals: false,
        expires_at: closed.or(post.end_time.map(|t| t.naive_utc())),
        remote_counts: serde_json::to_string(&counts).ok(),
        remote_voters: post.voters_count.map(|v| v.max(0)),
    })
}

/// Makes `post` a `Question` carrying our poll and its results so far.
pub fn to_ap(post: &mut ApPost, p: &Poll, results: &Results) {
    let end_time: Option<DateTime<Utc>> = p.expires_at.map(|t| t.and_utc());
    let options: Vec<PollOption> = p
        .titles()
        .into_iter()
        .enumerate()
        .map(|(i, name)| PollOption {
            kind: "Note".into(),
            name,
            replies: Some(PollReplies {
                kind: "Collection".into(),
                total_items: results.counts.get(i).copied().unwrap_or(0),
            }),
        })
        .collect();
    post.kind = "Question".into();
    if p.multiple {
        post.any_of = Some(options);
    } else {
        post.one_of = Some(options);
    }
    post.end_time = end_time;
    post.closed = end_time
        .filter(|_| p.expired(now()))
        .map(|t| serde_json::Value::String(t.to_rfc3339()));
    post.voters_count = Some(results.voters);
}
