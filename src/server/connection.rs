//! One connection's life: its socket watched for traffic, closed once it has
//! carried no bytes and no request for the idle timeout.

use std::{
    io,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::{Duration, Instant},
};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

#[derive(Clone, Copy)]
pub struct Limits {
    pub idle: Duration,
    pub body: Duration,
}

/// When the connection last moved a byte, and how many requests are in flight.
#[derive(Clone)]
pub struct Activity(Arc<State>);

struct State {
    start: Instant,
    last_millis: AtomicU64,
    in_flight: AtomicUsize,
}

/// A request in flight; the connection is not idle while one exists.
pub struct InFlight(Activity);

impl Activity {
    pub fn new() -> Activity {
        Activity(Arc::new(State {
            start: Instant::now(),
            last_millis: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
        }))
    }

    fn touch(&self) {
        let now = u64::try_from(self.0.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.0.last_millis.store(now, Ordering::Relaxed);
    }

    pub fn request(&self) -> InFlight {
        self.0.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.clone())
    }

    /// How long the connection has been idle (zero while a request is in flight).
    fn idle_for(&self) -> Duration {
        if self.0.in_flight.load(Ordering::Relaxed) > 0 {
            return Duration::ZERO;
        }
        let last = Duration::from_millis(self.0.last_millis.load(Ordering::Relaxed));
        self.0.start.elapsed().saturating_sub(last)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// Drives a connection to its end, or drops it (closing the socket) once idle.
pub async fn drive<F: Future>(conn: F, activity: Activity, idle: Duration) {
    tokio::pin!(conn);
    let tick = (idle / 4).clamp(Duration::from_millis(50), Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = &mut conn => return,
            () = tokio::time::sleep(tick) => {
                if activity.idle_for() >= idle {
                    return;
                }
            }
        }
    }
}

/// A socket that records its traffic in an [`Activity`], and first gives back
/// the bytes read before it (the request line, checked ahead of hyper).
pub struct Watched<S> {
    inner: S,
    activity: Activity,
    read_ahead: Vec<u8>,
    replayed: usize,
}

impl<S> Watched<S> {
    pub fn new(inner: S, activity: Activity, read_ahead: Vec<u8>) -> Self {
        activity.touch();
        Watched {
            inner,
            activity,
            read_ahead,
            replayed: 0,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.replayed < this.read_ahead.len() {
            let rest = &this.read_ahead[this.replayed..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.replayed += n;
            if this.replayed == this.read_ahead.len() {
                this.read_ahead = Vec::new();
                this.replayed = 0;
            }
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
