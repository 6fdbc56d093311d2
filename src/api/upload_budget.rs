//! Upload bytes held in memory at once, across every request of the node.
//! Files are read into memory (an image is decoded there anyway); the media
//! limits bound one request, and this budget bounds their sum, so a crowd of
//! concurrent uploads waits its turn, then gets 503, instead of exhausting memory.
//! A request reserves what it may hold in one step, before reading its body:
//! reserving as bytes arrive would let many requests each hold a part of the
//! budget while all wait for more.

use std::{sync::Arc, time::Duration};

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, AppResult};

/// How long an upload waits for others to finish before it is refused.
const MAX_WAIT: Duration = Duration::from_secs(10);

pub struct UploadBudget {
    bytes: Arc<Semaphore>,
    total: usize,
}

/// The bytes one request holds, given back when it is dropped.
#[derive(Default)]
pub struct Reservation(Option<OwnedSemaphorePermit>);

impl Reservation {
    pub fn bytes(&self) -> usize {
        self.0.as_ref().map_or(0, OwnedSemaphorePermit::num_permits)
    }
}

fn busy() -> AppError {
    AppError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "Too many uploads at once; try again shortly",
    )
    .with_retry_after(Duration::from_secs(5))
}

impl UploadBudget {
    pub fn new(bytes: usize) -> Self {
        let total = bytes.min(Semaphore::MAX_PERMITS).min(u32::MAX as usize);
        Self {
            bytes: Arc::new(Semaphore::new(total)),
            total,
        }
    }

    /// Reserves what a request may hold: its declared length when it has one,
    /// else `limit` (never more than the whole budget, so a request can always
    /// run alone). Waits, boundedly, for other uploads to end; 503 past that.
    pub async fn reserve(
        &self,
        content_length: Option<usize>,
        limit: usize,
    ) -> AppResult<Reservation> {
        let wanted = content_length.unwrap_or(limit).min(limit).min(self.total);
        let wanted = u32::try_from(wanted).unwrap_or(u32::MAX);
        let acquire = self.bytes.clone().acquire_many_owned(wanted);
        match tokio::time::timeout(MAX_WAIT, acquire).await {
            Ok(Ok(permit)) => Ok(Reservation(Some(permit))),
            _ => Err(busy()),
        }
    }

    /// Bytes free right now.
    pub fn available(&self) -> usize {
        self.bytes.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_reserves_its_length_or_its_limit_and_gives_it_back() {
        let budget = UploadBudget::new(100);
        let a = budget.reserve(Some(30), 50).await.expect("declared length");
        assert_eq!(a.bytes(), 30);
        let b = budget
            .reserve(None, 50)
            .await
            .expect("no length: the limit");
        assert_eq!(b.bytes(), 50);
        assert_eq!(budget.available(), 20);
        drop((a, b));
        assert_eq!(budget.available(), 100);
        let c = budget.reserve(Some(500), 1000).await.expect("alone");
        assert_eq!(c.bytes(), 100, "never more than the whole budget");
    }

    #[tokio::test(start_paused = true)]
    async fn an_upload_past_the_budget_waits_then_is_refused() {
        let budget = UploadBudget::new(100);
        let a = budget.reserve(Some(80), 100).await.expect("first");
        let err = budget
            .reserve(Some(30), 100)
            .await
            .err()
            .expect("over budget");
        assert_eq!(err.status, StatusCode::SERVICE_UNAVAILABLE);
        drop(a);
        let b = budget
            .reserve(Some(30), 100)
            .await
            .expect("after the first ended");
        assert_eq!(b.bytes(), 30);
    }
}
