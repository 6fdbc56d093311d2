//! Timelines and threads stay on indexes, checked with each backend's own
//! planner on seeded, analysed data: PostgreSQL rightly scans tiny tables, so the
//! data must be large enough for its choice to mean something.

use diesel::prelude::*;
use passerelle::{
    db::{
        self,
        schema::{actors, statuses},
        views::{self, Page, StatusQuery},
    },
    seed::{Scale, seed},
};

use crate::{backend_tests, helpers::*};

/// The plan of each view, by name.
async fn plans(app: &TestApp) -> Vec<(&'static str, Vec<String>)> {
    let scale = Scale {
        users: 100,
        communities: 50,
        posts: 8_000,
        comments: 24_000,
    };
    let seeded = seed(&app.state, scale).await.expect("seed");
    let hot = seeded.hot_thread_id.expect("a busy thread");
    app.state
        .db
        .run(move |c| {
            let person: i64 = actors::table
                .filter(actors::kind.eq("Person"))
                .filter(actors::name.like("seed%\\_5").escape('\\'))
                .select(actors::id)
                .first(c)?;
            let community: i64 = statuses::table
                .filter(statuses::id.eq(hot))
                .select(statuses::community_id.assume_not_null())
                .first(c)?;
            let page = Page {
                limit: 20,
                ..Page::default()
            };
            let older = Page {
                max_id: Some(hot),
                ..page
            };
            // A tag someone follows (any id serves for the plan).
            let followed_tag: Vec<i64> = db::schema::tags::table
                .select(db::schema::tags::id)
                .limit(1)
                .load(c)?;
            let tag = if followed_tag.is_empty() {
                vec![1]
            } else {
                followed_tag
            };
            let views: Vec<(&'static str, StatusQuery)> = vec![
                (
                    "home, following a hashtag",
                    views::home_query(person, &tag, page),
                ),
                ("home", views::home_query(person, &[], page)),
                ("home, older page", views::home_query(person, &[], older)),
                ("community", views::community_threads_query(community, page)),
                ("thread", views::thread_query(hot, 500)),
                ("public local", views::public_query(Some(true), page)),
                ("account", views::by_account_query(person, true, page)),
            ];
            let mut views = views;
            let search = db::search::statuses_query(c, "roadmap", Some(person), None);
            views.push(("search", search.expect("a query").limit(20)));
            let mut out = Vec::new();
            for (name, q) in views {
                out.push((name, db::explain::plan(c, q)?));
            }
            // Every page of statuses asks which of them the reader boosted.
            out.push((
                "boosted by the reader",
                db::explain::plan(
                    c,
                    db::statuses::reblogged_ids_query(person, vec![hot, hot + 1]),
                )?,
            ));
            // Every page of accounts counts its communities' threads.
            out.push((
                "threads per community",
                db::explain::plan(
                    c,
                    db::actor_counts::thread_counts_query(vec![community, person]),
                )?,
            ));
            // Every signed-in request looks its token up.
            out.push((
                "authentication",
                db::oauth::session_plan(c, "a token hash".into())?,
            ));
            // Every timeline request reads the suspended accounts.
            out.push((
                "suspended accounts",
                db::explain::plan(c, db::erasure::suspended_ids_query())?,
            ));
            Ok(out)
        })
        .await
        .expect("plans")
}

/// A line of a plan that reads a whole table of statuses, follows or (SQLite)
/// actors. PostgreSQL reads a small table whole when that is cheaper: only the
/// big ones are checked there.
fn full_scan(backend: Backend, line: &str) -> bool {
    let line = line.trim();
    match backend {
        // "SCAN t" alone walks the table; "SCAN t USING INDEX i" walks an index in
        // the order the query wants and stops at the page size.
        Backend::Sqlite => {
            ["statuses", "follows", "actors", "users"]
                .iter()
                .any(|t| line == format!("SCAN {t}") || line.starts_with(&format!("SCAN {t} ")))
                && !line.contains(" USING ")
        }
        Backend::Postgres => {
            line.contains("Seq Scan on statuses") || line.contains("Seq Scan on follows")
        }
    }
}

fn sorts(backend: Backend, line: &str) -> bool {
    match backend {
        Backend::Sqlite => line.contains("USE TEMP B-TREE FOR ORDER BY"),
        Backend::Postgres => line
            .trim_start()
            .trim_start_matches("->  ")
            .starts_with("Sort  ("),
    }
}

async fn timelines_use_indexes(backend: Backend) {
    let app = spawn_app(backend).await;
    for (name, plan) in plans(&app).await {
        let text = plan.join("\n");
        eprintln!("{name}:\n{text}\n");
        if name == "suspended accounts" && backend == Backend::Postgres {
            continue;
        }
        // SQLite materialising a join means it built it for every row first.
        assert!(
            !text.contains("MATERIALIZE"),
            "{name} materialises a join:\n{text}"
        );
        if name == "boosted by the reader" {
            // Walking the reader's statuses (statuses_actor) is what this must not do.
            assert!(
                text.contains("statuses_reblog"),
                "{name} does not use statuses_reblog:\n{text}"
            );
            continue;
        }
        assert!(
            !plan.iter().any(|l| full_scan(backend, l)),
            "{name} reads a whole table:\n{text}"
        );
        assert!(
            text.contains("INDEX") || text.contains("Index"),
            "{name} uses no index:\n{text}"
        );
        // A page of a timeline is read in order off an index and stops at the page
        // size; a sort means every matching row was read first. (A thread is
        // read whole, and search results are what the text index found.)
        if name != "thread" && name != "search" {
            assert!(
                !plan.iter().any(|l| sorts(backend, l)),
                "{name} reads every matching row to sort them:\n{text}"
            );
        }
    }
}

#[test]
fn a_full_scan_is_recognised() {
    assert!(full_scan(Backend::Sqlite, "SCAN statuses"));
    assert!(!full_scan(
        Backend::Sqlite,
        "SCAN statuses_fts VIRTUAL TABLE INDEX 0:M1"
    ));
    assert!(!full_scan(
        Backend::Sqlite,
        "SCAN statuses USING INDEX sqlite_autoindex_statuses_1"
    ));
    assert!(!full_scan(
        Backend::Sqlite,
        "SEARCH statuses USING INDEX statuses_community_threads (community_id=?)"
    ));
    assert!(sorts(Backend::Sqlite, "USE TEMP B-TREE FOR ORDER BY"));
    assert!(sorts(
        Backend::Postgres,
        "  ->  Sort  (cost=830.53..831.06 rows=214 width=673)"
    ));
    assert!(!sorts(Backend::Postgres, "        Sort Key: id"));
    assert!(full_scan(
        Backend::Postgres,
        "  ->  Seq Scan on statuses  (cost=0.00..1.00 rows=1 width=8)"
    ));
    assert!(!full_scan(
        Backend::Postgres,
        "  ->  Index Scan Backward using statuses_pkey on statuses"
    ));
}

backend_tests!(timelines_use_indexes);
