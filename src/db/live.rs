//! Live events for streaming clients, emitted inside the transaction that caused
//! them so that a rolled-back write never shows up on a screen.
//!
//! PostgreSQL: `pg_notify`, which the server delivers at commit to every node
//! listening (several Passerelle nodes on one database all hear it). SQLite (one
//! node): kept on the thread running the closure and broadcast in-process by
//! [`super::Db::run`] once the closure succeeded.
//!
//! Events carry ids only: each node renders them for each of its listeners, with
//! that listener's permissions.

use std::{
    cell::RefCell,
    sync::{Arc, Weak},
    time::Duration,
};

use diesel::{RunQueryDsl, sql_types::Text};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::DbConn;

const CHANNEL: &str = "passerelle_live";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Live {
    /// A status appeared (`edited: false`) or changed. `thread` is the root of
    /// the thread it answers (none for a root): a thread page's listeners skip
    /// every other thread without reading the database.
    Status {
        id: i64,
        edited: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        thread: Option<i64>,
    },
    Deleted {
        id: i64,
    },
    Notification {
        id: i64,
        recipient: i64,
    },
    /// A conversation of `recipient` has a new status.
    Conversation {
        id: i64,
        recipient: i64,
    },
    /// Some of `user`'s tokens may no longer be valid (revoked, suspended, erased):
    /// their open streams check theirs again.
    Access {
        user: i64,
    },
}

thread_local! {
    static PENDING: RefCell<Vec<Live>> = const { RefCell::new(Vec::new()) };
}

/// Announces `event` to streaming clients once the current transaction commits.
pub fn emit(conn: &mut DbConn, event: Live) -> diesel::QueryResult<()> {
    match conn {
        DbConn::Postgres(c) => {
            let payload = serde_json::to_string(&event)
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
            diesel::sql_query("SELECT pg_notify($1, $2)")
                .bind::<Text, _>(CHANNEL)
                .bind::<Text, _>(payload)
                .execute(c)?;
        }
        DbConn::Sqlite(_) => PENDING.with(|p| p.borrow_mut().push(event)),
    }
    Ok(())
}

/// Events emitted on this thread since the last call (SQLite).
pub(super) fn take_pending() -> Vec<Live> {
    PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// Where a node's listeners subscribe.
pub struct Bus {
    sender: Arc<broadcast::Sender<Live>>,
    /// PostgreSQL URL, whose notifications are relayed here once someone listens.
    postgres: Option<String>,
    relay: tokio::sync::OnceCell<()>,
}

impl Bus {
    pub fn new(postgres: Option<String>) -> Self {
        // A listener that falls this far behind skips events (see `Lagged`).
        let (sender, _) = broadcast::channel(1024);
        Bus {
            sender: Arc::new(sender),
            postgres,
            relay: tokio::sync::OnceCell::new(),
        }
    }

    /// SQLite: events of a closure that succeeded.
    pub(super) fn publish(&self, events: Vec<Live>) {
        for e in events {
            // No listener is not an error.
            let _ = self.sender.send(e);
        }
    }

    /// A receiver of every event from now on. On PostgreSQL the first call starts
    /// the relay and returns once it listens, so nothing written after is missed.
    pub async fn subscribe(&self) -> broadcast::Receiver<Live> {
        let receiver = self.sender.subscribe();
        if let Some(url) = &self.postgres {
            self.relay
                .get_or_init(|| async {
                    let (url, sender) = (url.clone(), Arc::downgrade(&self.sender));
                    let (ready, listening) = tokio::sync::oneshot::channel();
                    if let Err(e) = std::thread::Builder::new()
                        .name("passerelle-live".into())
                        .spawn(move || relay(&url, &sender, ready))
                    {
                        tracing::error!(error = %e, "no live relay thread");
                        return;
                    }
                    // Not listening in time (database down): carry on; it keeps trying.
                    let _ = tokio::time::timeout(Duration::from_secs(5), listening).await;
                })
                .await;
        }
        receiver
    }
}

/// Relays PostgreSQL notifications to this node's listeners until the bus is gone,
/// reconnecting after a failure.
fn relay(
    url: &str,
    sender: &Weak<broadcast::Sender<Live>>,
    ready: tokio::sync::oneshot::Sender<()>,
) {
    const POLL: Duration = Duration::from_millis(50);
    let mut ready = Some(ready);
    while sender.strong_count() > 0 {
        let mut conn = match crate::db::establish_postgres(url)
            .map_err(|e| e.to_string())
            .and_then(|mut c| {
                diesel::sql_query(format!("LISTEN {CHANNEL}"))
                    .execute(&mut c)
                    .map(|_| c)
                    .map_err(|e| e.to_string())
            }) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "live relay cannot listen; retrying");
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
        };
        if let Some(r) = ready.take() {
            let _ = r.send(());
        }
        'listening: loop {
            std::thread::sleep(POLL);
            let Some(tx) = sender.upgrade() else { return };
            // Non-blocking: reads what arrived on the socket since the last poll.
            for n in conn.notifications_iter() {
                match n {
                    Ok(n) => match serde_json::from_str::<Live>(&n.payload) {
                        Ok(e) => {
                            let _ = tx.send(e);
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable live event"),
                    },
                    Err(e) => {
                        tracing::warn!(error = %e, "live relay lost its connection");
                        break 'listening;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Live;

    #[test]
    fn events_round_trip_as_small_json() {
        let e = Live::Notification {
            id: 7,
            recipient: 9,
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(json, r#"{"t":"notification","id":7,"recipient":9}"#);
        assert_eq!(serde_json::from_str::<Live>(&json).unwrap(), e);
    }
}
