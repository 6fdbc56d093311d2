//! What anonymous stream listeners share. They all see the same thing (public
//! statuses, no blocks or mutes of their own), so an event is rendered once per
//! set of streams and handed to all of them, instead of one query and one
//! rendering per listener; and only so many of them may listen at once.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::http::StatusCode;
use tokio::sync::OnceCell;

use crate::error::{AppError, AppResult};

type Rendered<T> = Arc<OnceCell<Arc<Vec<T>>>>;

pub struct Shared<T> {
    renders: moka::sync::Cache<String, Rendered<T>>,
    anonymous: Arc<AtomicUsize>,
}

/// A place among the anonymous listeners, given back when dropped.
pub struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl<T: Send + Sync + 'static> Default for Shared<T> {
    fn default() -> Self {
        Self {
            // An event is rendered once while its listeners take it; a minute
            // is more than any of them needs to get there.
            renders: moka::sync::Cache::builder()
                .max_capacity(4096)
                .time_to_live(Duration::from_secs(60))
                .build(),
            anonymous: Arc::default(),
        }
    }
}

impl<T: Send + Sync + 'static> Shared<T> {
    /// Admits one more anonymous listener, or 429 when `max` listen already
    /// (0: no limit).
    pub fn admit(&self, max: u32) -> AppResult<Slot> {
        let now = self.anonymous.fetch_add(1, Ordering::SeqCst) + 1;
        let slot = Slot(self.anonymous.clone());
        if max > 0 && now > max as usize {
            return Err(AppError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many anonymous stream listeners; sign in or try again later",
            ));
        }
        Ok(slot)
    }

    /// The rendering stored under `key`, made by `render` by the first listener
    /// to ask (the others wait for it rather than render it again).
    pub async fn rendered<F, Fut>(&self, key: String, render: F) -> AppResult<Arc<Vec<T>>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<Vec<T>>>,
    {
        let cell = self.renders.get_with(key, || Arc::new(OnceCell::new()));
        cell.get_or_try_init(|| async { render().await.map(Arc::new) })
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_rendering_serves_every_listener() {
        let shared = Shared::<u32>::default();
        let calls = Arc::new(AtomicUsize::new(0));
        let mut waiting = Vec::new();
        for _ in 0..50 {
            let (calls, shared) = (calls.clone(), &shared);
            waiting.push(async move {
                shared
                    .rendered("status 1".into(), || async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        Ok(vec![7])
                    })
                    .await
            });
        }
        for r in futures_util::future::join_all(waiting).await {
            assert_eq!(*r.expect("rendered"), vec![7]);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_cap_counts_listeners_that_are_still_there() {
        let shared = Shared::<u32>::default();
        let a = shared.admit(2).expect("first");
        let _b = shared.admit(2).expect("second");
        let refused = shared.admit(2).err().expect("third refused");
        assert_eq!(refused.status.as_u16(), 429);
        drop(a);
        assert!(shared.admit(2).is_ok(), "a place was given back");
        assert!(shared.admit(0).is_ok(), "0 is no limit");
    }
}
