//! At most one argon2 computation per core at once: each takes 19 MiB, so
//! unbounded logins could exhaust memory. Callers beyond the permits wait in a
//! queue of bounded length, for a bounded time; past either bound they get 503
//! with `Retry-After`. The work runs on one long-lived thread per permit, not on
//! the blocking pool: each new pool thread would get its own allocator arena and
//! keep its 19 MiB there after the burst (a login burst grew the resident set by
//! 220 MB that way).

use std::{
    panic::AssertUnwindSafe,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicUsize, Ordering},
        mpsc,
    },
    time::Duration,
};

use axum::http::StatusCode;
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Waiters allowed per permit: a few seconds of work at release-build speed.
const QUEUE_PER_PERMIT: usize = 32;
const MAX_WAIT: Duration = Duration::from_secs(5);

type Job = Box<dyn FnOnce() + Send>;

pub struct Gate {
    permits: Arc<Semaphore>,
    /// The workers' queue; they stop when the gate (and so this sender) is dropped.
    jobs: mpsc::Sender<Job>,
    waiting: AtomicUsize,
    max_waiting: usize,
    max_wait: Duration,
}

/// Counts a caller in the queue until it leaves it, even when its request is dropped.
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn busy() -> AppError {
    AppError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "Too many logins are being checked; try again shortly",
    )
    .with_retry_after(Duration::from_secs(2))
}

impl Gate {
    pub fn new(permits: usize, max_waiting: usize, max_wait: Duration) -> Self {
        let permits = permits.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..permits {
            let queue = queue.clone();
            let worker = std::thread::Builder::new()
                .name(format!("passwords-{i}"))
                .spawn(move || {
                    loop {
                        let next = match queue.lock() {
                            Ok(q) => q.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = worker {
                tracing::error!(error = %e, "could not start a password worker");
            }
        }
        Self {
            jobs,
            permits: Arc::new(Semaphore::new(permits)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            max_wait,
        }
    }

    /// The process-wide gate, one permit per core.
    pub fn global() -> &'static Gate {
        static GATE: OnceLock<Gate> = OnceLock::new();
        GATE.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            Gate::new(cores, cores * QUEUE_PER_PERMIT, MAX_WAIT)
        })
    }

    /// Runs `job` on a worker once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
                let _queued = InQueue(&self.waiting);
                if ahead >= self.max_waiting {
                    return Err(busy());
                }
                match tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
                    .await
                {
                    Ok(Ok(p)) => p,
                    _ => return Err(busy()),
                }
            }
        };
        // The permit goes with the job: a dropped request does not free it early.
        let (done, result) = tokio::sync::oneshot::channel();
        let work: Job = Box::new(move || {
            let _permit = permit;
            // A panic drops `done`: the caller gets an error and the worker lives on.
            if let Ok(out) = std::panic::catch_unwind(AssertUnwindSafe(job)) {
                let _ = done.send(out);
            }
        });
        self.jobs
            .send(work)
            .map_err(|_| AppError::internal(anyhow::anyhow!("the password workers stopped")))?;
        result
            .await
            .map_err(|_| AppError::internal(anyhow::anyhow!("a password check failed")))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn never_more_than_the_permits_at_once() {
        let gate = Arc::new(Gate::new(2, 100, Duration::from_secs(30)));
        let (inside, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let jobs: Vec<_> = (0..16)
            .map(|_| {
                let (gate, inside, most) = (gate.clone(), inside.clone(), most.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        // Long enough for the others to pile up at the gate.
                        std::thread::sleep(Duration::from_millis(20));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for j in jobs {
            j.await.expect("join").expect("admitted");
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=2).contains(&most), "{most} ran at once");
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_workers_live_on() {
        let gate = Gate::new(1, 10, Duration::from_secs(30));
        let failed = gate.run(|| panic!("argon2 blew up")).await;
        assert_eq!(
            failed.err().map(|e| e.status),
            Some(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
        );
        assert_eq!(gate.run(|| 42).await.expect("still working"), 42);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_full_queue_is_refused_with_503() {
        let gate = Arc::new(Gate::new(1, 2, Duration::from_secs(30)));
        let (release, wait_release) = std::sync::mpsc::channel::<()>();
        let (started, has_started) = tokio::sync::oneshot::channel::<()>();
        // One job holds the only permit until released.
        let holder = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.run(move || {
                    let _ = started.send(());
                    let _ = wait_release.recv();
                })
                .await
            })
        };
        has_started.await.expect("holder started");
        let waiters: Vec<_> = (0..6)
            .map(|_| {
                let gate = gate.clone();
                tokio::spawn(async move { gate.run(|| ()).await })
            })
            .collect();
        // Those beyond the queue's room are answered without waiting (bounded poll).
        tokio::time::timeout(Duration::from_secs(10), async {
            while waiters.iter().filter(|w| w.is_finished()).count() < 4 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await
        .expect("four answered");
        release.send(()).expect("release");
        holder.await.expect("join").expect("ran");
        let mut refused = 0;
        for w in waiters {
            if let Err(e) = w.await.expect("join") {
                assert_eq!(e.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
                refused += 1;
            }
        }
        assert_eq!(refused, 4, "6 came, 2 may wait");
    }
}
