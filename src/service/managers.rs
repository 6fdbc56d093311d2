//! What lists of statuses with an author and a community (events, documents)
//! read once per page: the authors and communities in one query, and whether
//! the reader manages each status (its author, or a moderator of its
//! community, asked once per community).

use std::collections::HashMap;

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::AppResult,
};

pub struct Managers<'a> {
    actors: HashMap<i64, Actor>,
    me: Option<&'a Actor>,
    moderates: HashMap<i64, bool>,
}

impl<'a> Managers<'a> {
    /// The authors and communities of `statuses`, in one query.
    pub fn load<'s>(
        conn: &mut db::DbConn,
        statuses: impl Iterator<Item = &'s Status>,
        me: Option<&'a Actor>,
    ) -> AppResult<Self> {
        let mut ids: Vec<i64> = statuses
            .flat_map(|s| std::iter::once(s.actor_id).chain(s.community_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let actors = db::actors::by_ids(conn, &ids)?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        Ok(Self {
            actors,
            me,
            moderates: HashMap::new(),
        })
    }

    pub fn actor(&self, id: i64) -> Option<Actor> {
        self.actors.get(&id).cloned()
    }

    /// Whether the reader wrote `s` or moderates its community.
    pub fn manages(&mut self, conn: &mut db::DbConn, s: &Status) -> AppResult<bool> {
        Ok(match (self.me, s.community_id) {
            (Some(m), _) if m.id == s.actor_id => true,
            (Some(m), Some(c)) => match self.moderates.get(&c) {
                Some(known) => *known,
                None => {
                    let role = db::communities::role(conn, c, m.id)?.is_some();
                    self.moderates.insert(c, role);
                    role
                }
            },
            _ => false,
        })
    }
}
