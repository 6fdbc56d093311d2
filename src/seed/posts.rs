//! What seeding posts: threads and comments planned as small tuples, and the
//! status rows made from them, with random text.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use rand::{Rng, rngs::StdRng, seq::IndexedRandom};

use super::Scale;
use crate::{
    db::{actors::Actor, statuses::Status},
    model::id::new_id,
};

/// Comments on the first thread: a busy discussion.
const HOT_COMMENTS: usize = 200;
const WORDS: &[&str] = &[
    "project",
    "release",
    "customer",
    "roadmap",
    "meeting",
    "budget",
    "design",
    "supplier",
    "quality",
    "security",
    "training",
    "planning",
    "review",
    "feedback",
    "deadline",
    "team",
    "process",
    "contract",
    "invoice",
    "delivery",
    "support",
    "network",
    "database",
    "report",
    "question",
    "proposal",
    "update",
    "workshop",
    "onboarding",
    "strategy",
    "market",
    "audit",
];

pub(super) fn sentence(rng: &mut StdRng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words)
        .map(|_| *WORDS.choose(rng).unwrap_or(&"team"))
        .collect();
    if let Some(first) = s.first_mut() {
        *first = WORDS[0];
    }
    s.join(" ")
}

/// Threads and comments as small tuples: planned first, then made into rows and
/// inserted batch by batch, so the large preset does not hold millions of rows
/// in memory.
pub(super) struct Plan {
    /// (id, community index, author index), in time order.
    pub(super) threads: Vec<(i64, usize, usize)>,
    /// (id, thread index, parent id, author index), in time order.
    pub(super) comments: Vec<(i64, usize, i64, usize)>,
    /// Replies per status id.
    pub(super) replies: HashMap<i64, i64>,
}

/// Threads by members of their community. The first thread gets `HOT_COMMENTS`
/// comments, the rest go anywhere; a third answer an earlier comment.
pub(super) fn plan_posts(
    rng: &mut StdRng,
    scale: Scale,
    members_of: &[Vec<usize>],
    n_people: usize,
) -> Plan {
    let threads: Vec<(i64, usize, usize)> = (0..scale.posts)
        .map(|_| {
            let g = rng.random_range(0..members_of.len());
            let author = *members_of[g].choose(rng).unwrap_or(&0);
            (new_id(), g, author)
        })
        .collect();
    let mut comments: Vec<(i64, usize, i64, usize)> = Vec::with_capacity(scale.comments);
    let mut by_thread: Vec<Vec<i64>> = vec![Vec::new(); threads.len()];
    let mut replies = HashMap::<i64, i64>::new();
    if !threads.is_empty() {
        for n in 0..scale.comments {
            let t = if n < HOT_COMMENTS {
                0
            } else {
                rng.random_range(0..threads.len())
            };
            let parent = match by_thread[t].choose(rng) {
                Some(&c) if rng.random_bool(1.0 / 3.0) => c,
                _ => threads[t].0,
            };
            let id = new_id();
            by_thread[t].push(id);
            *replies.entry(parent).or_default() += 1;
            comments.push((id, t, parent, rng.random_range(0..n_people)));
        }
    }
    Plan {
        threads,
        comments,
        replies,
    }
}

/// Makes the rows of planned statuses: random text, and times spread evenly
/// from `start` to now, threads first, then comments.
pub(super) struct StatusMaker<'a> {
    pub(super) base: String,
    pub(super) start: NaiveDateTime,
    /// Seconds from `start` to now.
    pub(super) span: i64,
    /// Statuses planned in all.
    pub(super) total: i64,
    pub(super) replies: &'a HashMap<i64, i64>,
    pub(super) people: &'a [Actor],
    pub(super) groups: &'a [Actor],
}

impl StatusMaker<'_> {
    /// When the `n`-th status planned was posted.
    fn at(&self, n: usize) -> NaiveDateTime {
        self.start + Duration::milliseconds(self.span * 1000 * n as i64 / (self.total + 1))
    }

    /// The row of status `id` by the `author`-th person, dated as the `n`-th
    /// status planned; the caller says where it was posted.
    pub(super) fn make(&self, rng: &mut StdRng, id: i64, author: usize, n: usize) -> Status {
        let base = &self.base;
        let when = self.at(n);
        let words = rng.random_range(8..40);
        let text = sentence(rng, words);
        Status {
            id,
            ap_id: format!("{base}/statuses/{id}"),
            url: Some(format!("{base}/statuses/{id}")),
            actor_id: self.people[author].id,
            community_id: None,
            in_reply_to_id: None,
            thread_root_id: None,
            reblog_of_id: None,
            title: None,
            content: format!("<p>{text}</p>"),
            source: text,
            source_type: crate::model::format::Format::Markdown,
            spoiler_text: String::new(),
            sensitive: false,
            language: Some("en".into()),
            visibility: crate::model::visibility::Visibility::Public,
            local: true,
            replies_count: self.replies.get(&id).copied().unwrap_or(0),
            favourites_count: rng.random_range(0..5),
            reblogs_count: 0,
            created_at: when,
            updated_at: when,
            edited_at: None,
            deleted_at: None,
            removed: false,
        }
    }
}
