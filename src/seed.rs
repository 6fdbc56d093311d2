//! Realistic data for benchmarks (`passerelle admin seed`): people, communities
//! they joined (20 each, or all when there are fewer), threads across
//! communities, and comments in threads, some nested; the first thread gets 200
//! comments (a busy discussion). Deterministic (a fixed random seed), inserted in
//! batches, one transaction per batch.
//!
//! Not for production: seeded accounts share one password hash ("seed password")
//! and a handful of key pairs, so that seeding takes seconds, not hours.

use std::io::IsTerminal;

use anyhow::Context;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::{
    Rng, SeedableRng,
    rngs::StdRng,
    seq::{IndexedRandom, SliceRandom},
};

use crate::{
    db::{
        self,
        actors::Actor,
        schema::{actors, community_roles, follows, statuses, users},
        statuses::Status,
        users::User,
    },
    model::{actor::ActorKind, id::new_id},
    service::{accounts::new_local_actor, passwords},
    state::AppState,
};

#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub users: usize,
    pub communities: usize,
    pub posts: usize,
    pub comments: usize,
}

/// What was made, for the caller to report.
#[derive(Debug, Default)]
pub struct Seeded {
    pub users: usize,
    pub communities: usize,
    pub posts: usize,
    pub comments: usize,
    pub hot_thread_id: Option<i64>,
    /// The community of the busy thread, and someone who joined 20 communities,
    /// for the API benchmark.
    pub hot_community_id: Option<i64>,
    pub sample_person: Option<String>,
}

const JOINED: usize = 20;
const HOT_COMMENTS: usize = 200;
/// Rows per insert: within SQLite's 32,766 bound parameters for the widest row.
const BATCH: usize = 1_000;
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

/// Progress on a terminal as a bar, otherwise as a line every 10 %.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    label: &'static str,
    total: usize,
    done: usize,
    next_line: usize,
}

impl Progress {
    fn new(label: &'static str, total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})",
            ) {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_message(label);
            b
        });
        Self {
            bar,
            label,
            total,
            done: 0,
            next_line: 0,
        }
    }

    fn add(&mut self, n: usize) {
        self.done += n;
        match &self.bar {
            Some(b) => b.inc(n as u64),
            None if self.done >= self.next_line || self.done == self.total => {
                eprintln!("{}: {}/{}", self.label, self.done, self.total);
                self.next_line = self.done + (self.total / 10).max(1);
            }
            None => {}
        }
    }

    fn finish(self) {
        if let Some(b) = self.bar {
            b.finish();
        }
    }
}

fn sentence(rng: &mut StdRng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words)
        .map(|_| *WORDS.choose(rng).unwrap_or(&"team"))
        .collect();
    if let Some(first) = s.first_mut() {
        *first = WORDS[0];
    }
    s.join(" ")
}

/// Inserts row by row (diesel's multi-row insert is not available over the
/// two-backend connection); the caller's transaction makes a batch one commit.
fn each<T>(rows: &[T], mut insert: impl FnMut(&T) -> QueryResult<usize>) -> QueryResult<usize> {
    let mut n = 0;
    for r in rows {
        n += insert(r)?;
    }
    Ok(n)
}

async fn insert_batches<T, F>(
    state: &AppState,
    rows: Vec<T>,
    progress: &mut Progress,
    insert: F,
) -> anyhow::Result<()>
where
    T: Send + 'static,
    F: Fn(&mut db::DbConn, &[T]) -> QueryResult<usize> + Send + Sync + Clone + 'static,
{
    let mut rows = rows;
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(BATCH));
        let chunk = std::mem::replace(&mut rows, rest);
        let n = chunk.len();
        let f = insert.clone();
        state
            .db
            .write(move |c| Ok(f(c, &chunk)?))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        progress.add(n);
    }
    Ok(())
}

pub async fn seed(state: &AppState, scale: Scale) -> anyhow::Result<Seeded> {
    let mut rng = StdRng::seed_from_u64(42);
    let now = crate::service::now();
    let start = now - Duration::days(90);
    let run = new_id() % 100_000; // names stay unique if seeding twice
    let hash = passwords::hash("seed password".to_string())
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    // A few key pairs, shared: generating one per account would dominate.
    let mut keys = Vec::new();
    for i in 0..8 {
        keys.push(
            new_local_actor(state, ActorKind::Person, &format!("k{i}"))
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))?,
        );
    }
    let template = |kind: ActorKind, name: String, i: usize| -> Actor {
        let k = &keys[i % keys.len()];
        let mut a = k.clone();
        a.id = new_id();
        a.kind = kind.as_str().into();
        a.name = name;
        a.display_name = a.name.replace('_', " ");
        state.urls.fill_local(&mut a);
        a
    };

    let mut progress = Progress::new("people", scale.users);
    let people: Vec<Actor> = (0..scale.users)
        .map(|i| template(ActorKind::Person, format!("seed{run}_{i}"), i))
        .collect();
    let accounts: Vec<User> = people
        .iter()
        .map(|a| User {
            id: new_id(),
            actor_id: a.id,
            email: format!("{}@seed.example", a.name),
            password_hash: hash.clone(),
            admin: false,
            locale: "en".into(),
            disabled: false,
            created_at: start,
            last_login_at: None,
        })
        .collect();
    insert_batches(state, people.clone(), &mut progress, |c, rows| {
        each(rows, |r| {
            diesel::insert_into(actors::table).values(r).execute(c)
        })
    })
    .await
    .context("inserting people")?;
    let mut quiet = Progress::new("accounts", accounts.len());
    quiet.next_line = usize::MAX; // one bar for people is enough
    insert_batches(state, accounts, &mut quiet, |c, rows| {
        each(rows, |r| {
            diesel::insert_into(users::table).values(r).execute(c)
        })
    })
    .await?;
    progress.finish();

    let mut progress = Progress::new("communities", scale.communities);
    let groups: Vec<Actor> = (0..scale.communities)
        .map(|i| template(ActorKind::Group, format!("seed{run}_c{i}"), i))
        .collect();
    insert_batches(state, groups.clone(), &mut progress, |c, rows| {
        each(rows, |r| {
            diesel::insert_into(actors::table).values(r).execute(c)
        })
    })
    .await?;
    progress.finish();
    if groups.is_empty() || people.is_empty() {
        return Ok(Seeded {
            users: people.len(),
            communities: groups.len(),
            ..Seeded::default()
        });
    }
    let owners: Vec<(i64, i64, &'static str, NaiveDateTime)> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id, people[i % people.len()].id, "owner", start))
        .collect();
    let mut memberships: Vec<(i64, i64, i64)> = Vec::new(); // (id, follower, community)
    let mut members_of: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (p, person) in people.iter().enumerate() {
        let mut joined: Vec<usize> = (0..groups.len()).collect();
        let take = JOINED.min(groups.len());
        let (chosen, _) = joined.partial_shuffle(&mut rng, take);
        let mut chosen = chosen.to_vec();
        // Owners are members of their communities.
        for (g, _) in owners.iter().enumerate().filter(|(_, o)| o.1 == person.id) {
            if !chosen.contains(&g) {
                chosen.push(g);
            }
        }
        for g in chosen {
            memberships.push((new_id(), person.id, groups[g].id));
            members_of[g].push(p);
        }
    }
    let mut progress = Progress::new("memberships", memberships.len());
    insert_batches(state, memberships, &mut progress, move |c, rows| {
        each(rows, |(id, f, t)| {
            diesel::insert_into(follows::table)
                .values((
                    follows::id.eq(*id),
                    follows::follower_id.eq(*f),
                    follows::target_id.eq(*t),
                    follows::state.eq("accepted"),
                    follows::created_at.eq(start),
                    follows::updated_at.eq(start),
                ))
                .execute(c)
        })
    })
    .await?;
    progress.finish();
    state
        .db
        .write(move |c| {
            Ok(each(&owners, |(g, p, r, at)| {
                diesel::insert_into(community_roles::table)
                    .values((
                        community_roles::community_id.eq(*g),
                        community_roles::actor_id.eq(*p),
                        community_roles::role.eq(*r),
                        community_roles::created_at.eq(*at),
                    ))
                    .execute(c)
            })?)
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    // Plan first (small tuples), then make and insert rows batch by batch, so the
    // large preset does not hold millions of rows in memory.
    let span = (now - start).num_seconds().max(1);
    let total = (scale.posts + scale.comments) as i64;
    let at = |n: usize| start + Duration::milliseconds(span * 1000 * n as i64 / (total + 1));
    // Threads: (id, community index, author index, position in time).
    let threads: Vec<(i64, usize, usize)> = (0..scale.posts)
        .map(|_| {
            let g = rng.random_range(0..groups.len());
            let author = *members_of[g].choose(&mut rng).unwrap_or(&0);
            (new_id(), g, author)
        })
        .collect();
    // Comments: (id, thread index, parent id, author index). The first thread gets
    // HOT_COMMENTS, the rest go anywhere; a third answer an earlier comment.
    let mut comments: Vec<(i64, usize, i64, usize)> = Vec::with_capacity(scale.comments);
    let mut by_thread: Vec<Vec<i64>> = vec![Vec::new(); threads.len()];
    let mut replies = std::collections::HashMap::<i64, i64>::new();
    if !threads.is_empty() {
        for n in 0..scale.comments {
            let t = if n < HOT_COMMENTS {
                0
            } else {
                rng.random_range(0..threads.len())
            };
            let parent = match by_thread[t].choose(&mut rng) {
                Some(&c) if rng.random_bool(1.0 / 3.0) => c,
                _ => threads[t].0,
            };
            let id = new_id();
            by_thread[t].push(id);
            *replies.entry(parent).or_default() += 1;
            comments.push((id, t, parent, rng.random_range(0..people.len())));
        }
    }
    drop(by_thread);
    let base = state.urls.base().to_string();
    let make = |rng: &mut StdRng, id: i64, author: &Actor, when: NaiveDateTime| {
        let words = rng.random_range(8..40);
        let text = sentence(rng, words);
        Status {
            id,
            ap_id: format!("{base}/statuses/{id}"),
            url: Some(format!("{base}/statuses/{id}")),
            actor_id: author.id,
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
            replies_count: replies.get(&id).copied().unwrap_or(0),
            favourites_count: rng.random_range(0..5),
            reblogs_count: 0,
            created_at: when,
            updated_at: when,
            edited_at: None,
            deleted_at: None,
            removed: false,
        }
    };
    let mut progress = Progress::new("threads", threads.len());
    for (b, chunk) in threads.chunks(BATCH).enumerate() {
        let rows: Vec<Status> = chunk
            .iter()
            .enumerate()
            .map(|(i, &(id, g, author))| {
                let mut s = make(&mut rng, id, &people[author], at(b * BATCH + i));
                s.community_id = Some(groups[g].id);
                let words = rng.random_range(3..9);
                s.title = Some(sentence(&mut rng, words));
                s
            })
            .collect();
        insert_batches(state, rows, &mut progress, |c, rows| {
            each(rows, |r| {
                diesel::insert_into(statuses::table)
                    .values(r.clone())
                    .execute(c)
            })
        })
        .await?;
    }
    progress.finish();
    let mut progress = Progress::new("comments", comments.len());
    for (b, chunk) in comments.chunks(BATCH).enumerate() {
        let rows: Vec<Status> = chunk
            .iter()
            .enumerate()
            .map(|(i, &(id, t, parent, author))| {
                let (thread_id, g, _) = threads[t];
                let mut s = make(
                    &mut rng,
                    id,
                    &people[author],
                    at(scale.posts + b * BATCH + i),
                );
                s.community_id = Some(groups[g].id);
                s.thread_root_id = Some(thread_id);
                s.in_reply_to_id = Some(parent);
                s
            })
            .collect();
        insert_batches(state, rows, &mut progress, |c, rows| {
            each(rows, |r| {
                diesel::insert_into(statuses::table)
                    .values(r.clone())
                    .execute(c)
            })
        })
        .await?;
    }
    progress.finish();
    let hot_thread_id = threads.first().map(|t| t.0);
    let hot_community_id = threads.first().map(|t| groups[t.1].id);
    // Past the owners of communities, who may have joined more than 20.
    let sample_person = people
        .get(groups.len())
        .or(people.last())
        .map(|p| p.name.clone());
    let (n_posts, n_comments) = (threads.len(), comments.len());
    // Fresh statistics, so query plans see the real volumes.
    state
        .db
        .write(|c| {
            diesel::sql_query("ANALYZE").execute(c)?;
            Ok(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Seeded {
        users: people.len(),
        communities: groups.len(),
        posts: n_posts,
        comments: n_comments,
        hot_thread_id,
        hot_community_id,
        sample_person,
    })
}
