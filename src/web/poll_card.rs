//! A poll as a post card shows it: a ballot for who may still vote, results
//! for everyone else (in aggregate only, as the API gives them).

use crate::db::{actors::Actor, views::PollView};

pub struct PollOption {
    pub index: usize,
    pub title: String,
    pub votes: i64,
    /// Share of the voters, in whole percent.
    pub percent: i64,
    /// The reader chose it.
    pub chosen: bool,
}

pub struct PollCard {
    pub options: Vec<PollOption>,
    pub voters: i64,
    pub multiple: bool,
    /// Signed in, not the author, has not voted, and the poll is open.
    pub may_vote: bool,
    /// The author hid the counts until the end.
    pub hidden: bool,
    pub closed: bool,
    pub ends: String,
}

impl PollCard {
    pub fn of(p: &PollView, author_id: i64, me: Option<&Actor>) -> Self {
        let now = chrono::Utc::now().naive_utc();
        let closed = p.poll.expired(now);
        let voters = p.results.voters;
        let options = p
            .poll
            .titles()
            .into_iter()
            .enumerate()
            .map(|(index, title)| {
                let votes = p.results.counts.get(index).copied().unwrap_or(0);
                PollOption {
                    index,
                    title,
                    votes,
                    percent: if voters > 0 { votes * 100 / voters } else { 0 },
                    chosen: p.own_choices.contains(&(index as i32)),
                }
            })
            .collect();
        Self {
            options,
            voters,
            multiple: p.poll.multiple,
            may_vote: me.is_some_and(|m| m.id != author_id) && p.own_choices.is_empty() && !closed,
            hidden: p.poll.hide_totals && !closed,
            closed,
            ends: super::cards::when(p.poll.expires_at),
        }
    }
}
