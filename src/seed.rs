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
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};

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

mod agenda;
mod library;
mod posts;

use posts::{Plan, StatusMaker, plan_posts, sentence};

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
    pub events: usize,
    pub documents: usize,
    pub hot_thread_id: Option<i64>,
    /// The community of the busy thread, and someone who joined 20 communities,
    /// for the API benchmark.
    pub hot_community_id: Option<i64>,
    pub sample_person: Option<String>,
}

const JOINED: usize = 20;
/// Rows per insert: within SQLite's 32,766 bound parameters for the widest row.
const BATCH: usize = 1_000;

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
    let keys = shared_keys(state).await?;
    let people = insert_people(state, &keys, run, &hash, start, scale.users).await?;
    let groups = insert_communities(state, &keys, run, scale.communities).await?;
    if groups.is_empty() || people.is_empty() {
        return Ok(Seeded {
            users: people.len(),
            communities: groups.len(),
            ..Seeded::default()
        });
    }
    let members_of = insert_memberships(state, &mut rng, &people, &groups, start).await?;
    let plan = plan_posts(&mut rng, scale, &members_of, people.len());
    let maker = StatusMaker {
        base: state.urls.base().to_string(),
        start,
        span: (now - start).num_seconds().max(1),
        total: (scale.posts + scale.comments) as i64,
        replies: &plan.replies,
        people: &people,
        groups: &groups,
    };
    insert_threads(state, &mut rng, &maker, &plan.threads).await?;
    insert_comments(state, &mut rng, &maker, &plan).await?;
    let member_ids: Vec<Vec<i64>> = members_of
        .iter()
        .map(|m| m.iter().map(|&p| people[p].id).collect())
        .collect();
    let threads: Vec<(i64, usize)> = plan.threads.iter().map(|t| (t.0, t.1)).collect();
    let events = agenda::insert_events(state, &threads, &member_ids, now).await?;
    let authored: Vec<(i64, usize, i64)> = plan
        .threads
        .iter()
        .map(|t| (t.0, t.1, people[t.2].id))
        .collect();
    let group_ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
    let documents = library::insert_documents(state, &authored, &group_ids, now).await?;
    let person_ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    library::insert_profiles(state, &person_ids, now).await?;
    let hot_thread_id = plan.threads.first().map(|t| t.0);
    let hot_community_id = plan.threads.first().map(|t| groups[t.1].id);
    // Past the owners of communities, who may have joined more than 20.
    let sample_person = people
        .get(groups.len())
        .or(people.last())
        .map(|p| p.name.clone());
    analyze(state).await?;
    Ok(Seeded {
        users: people.len(),
        communities: groups.len(),
        posts: plan.threads.len(),
        comments: plan.comments.len(),
        events,
        documents,
        hot_thread_id,
        hot_community_id,
        sample_person,
    })
}

/// A few key pairs for all seeded actors: generating one per account would
/// dominate the time seeding takes.
async fn shared_keys(state: &AppState) -> anyhow::Result<Vec<Actor>> {
    let mut keys = Vec::new();
    for i in 0..8 {
        keys.push(
            new_local_actor(state, ActorKind::Person, &format!("k{i}"))
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))?,
        );
    }
    Ok(keys)
}

/// A new local actor named `name`, with the `i`-th shared key pair.
fn actor_from_keys(
    state: &AppState,
    keys: &[Actor],
    kind: ActorKind,
    name: String,
    i: usize,
) -> Actor {
    let k = &keys[i % keys.len()];
    let mut a = k.clone();
    a.id = new_id();
    a.kind = kind.as_str().into();
    a.name = name;
    a.display_name = a.name.replace('_', " ");
    state.urls.fill_local(&mut a);
    a
}

fn insert_actors(c: &mut db::DbConn, rows: &[Actor]) -> QueryResult<usize> {
    each(rows, |r| {
        diesel::insert_into(actors::table).values(r).execute(c)
    })
}

fn insert_statuses(c: &mut db::DbConn, rows: &[Status]) -> QueryResult<usize> {
    each(rows, |r| {
        diesel::insert_into(statuses::table)
            .values(r.clone())
            .execute(c)
    })
}

/// `n` people, each with an account that logs in with the shared `hash`.
async fn insert_people(
    state: &AppState,
    keys: &[Actor],
    run: i64,
    hash: &str,
    start: NaiveDateTime,
    n: usize,
) -> anyhow::Result<Vec<Actor>> {
    let mut progress = Progress::new("people", n);
    let people: Vec<Actor> = (0..n)
        .map(|i| actor_from_keys(state, keys, ActorKind::Person, format!("seed{run}_{i}"), i))
        .collect();
    let accounts: Vec<User> = people
        .iter()
        .map(|a| User {
            id: new_id(),
            actor_id: a.id,
            email: format!("{}@seed.example", a.name),
            password_hash: hash.to_string(),
            admin: false,
            locale: String::new(),
            disabled: false,
            created_at: start,
            last_login_at: None,
            // Made-up addresses: never mailed.
            email_confirmed_at: None,
            last_active_at: None,
        })
        .collect();
    insert_batches(state, people.clone(), &mut progress, insert_actors)
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
    Ok(people)
}

async fn insert_communities(
    state: &AppState,
    keys: &[Actor],
    run: i64,
    n: usize,
) -> anyhow::Result<Vec<Actor>> {
    let mut progress = Progress::new("communities", n);
    let groups: Vec<Actor> = (0..n)
        .map(|i| actor_from_keys(state, keys, ActorKind::Group, format!("seed{run}_c{i}"), i))
        .collect();
    insert_batches(state, groups.clone(), &mut progress, insert_actors).await?;
    progress.finish();
    Ok(groups)
}

/// Each person joins `JOINED` communities at random, and owners their own; the
/// i-th person owns the i-th community (wrapping around). Returns the members
/// of each community, as indexes into `people`.
async fn insert_memberships(
    state: &AppState,
    rng: &mut StdRng,
    people: &[Actor],
    groups: &[Actor],
    start: NaiveDateTime,
) -> anyhow::Result<Vec<Vec<usize>>> {
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
        let (chosen, _) = joined.partial_shuffle(rng, take);
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
    Ok(members_of)
}

async fn insert_threads(
    state: &AppState,
    rng: &mut StdRng,
    maker: &StatusMaker<'_>,
    threads: &[(i64, usize, usize)],
) -> anyhow::Result<()> {
    let mut progress = Progress::new("threads", threads.len());
    for (b, chunk) in threads.chunks(BATCH).enumerate() {
        let rows: Vec<Status> = chunk
            .iter()
            .enumerate()
            .map(|(i, &(id, g, author))| {
                let mut s = maker.make(rng, id, author, b * BATCH + i);
                s.community_id = Some(maker.groups[g].id);
                let words = rng.random_range(3..9);
                s.title = Some(sentence(rng, words));
                s
            })
            .collect();
        insert_batches(state, rows, &mut progress, insert_statuses).await?;
    }
    progress.finish();
    Ok(())
}

async fn insert_comments(
    state: &AppState,
    rng: &mut StdRng,
    maker: &StatusMaker<'_>,
    plan: &Plan,
) -> anyhow::Result<()> {
    let mut progress = Progress::new("comments", plan.comments.len());
    // Comments are dated after every thread.
    let first = plan.threads.len();
    for (b, chunk) in plan.comments.chunks(BATCH).enumerate() {
        let rows: Vec<Status> = chunk
            .iter()
            .enumerate()
            .map(|(i, &(id, t, parent, author))| {
                let (thread_id, g, _) = plan.threads[t];
                let mut s = maker.make(rng, id, author, first + b * BATCH + i);
                s.community_id = Some(maker.groups[g].id);
                s.thread_root_id = Some(thread_id);
                s.in_reply_to_id = Some(parent);
                s
            })
            .collect();
        insert_batches(state, rows, &mut progress, insert_statuses).await?;
    }
    progress.finish();
    Ok(())
}

/// Fresh statistics, so query plans see the real volumes.
async fn analyze(state: &AppState) -> anyhow::Result<()> {
    state
        .db
        .write(|c| {
            diesel::sql_query("ANALYZE").execute(c)?;
            Ok(())
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}
