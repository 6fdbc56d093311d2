//! The accept loop: hyper connections with a header-read timeout, an idle timeout,
//! a deadline for request bodies and a cap on connections per client address, so
//! idle or trickling clients cannot hold the server's sockets (issue #16).

mod body;
mod connection;
mod request_line;

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{extract::connect_info::ConnectInfo, http::Request};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{
        conn::auto,
        graceful::{GracefulShutdown, Watcher},
    },
    service::TowerToHyperService,
};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::config::ServerConfig;

/// Open connections per client address, released when a connection ends.
#[derive(Clone, Default)]
struct PerAddress(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct Slot {
    counts: PerAddress,
    ip: IpAddr,
}

impl PerAddress {
    /// A slot for `ip`, or `None` when it already holds `max` connections.
    fn take(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            counts: self.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open
/// connections finish their requests.
pub async fn serve<A>(
    listener: TcpListener,
    app: A,
    config: &ServerConfig,
    shutdown: impl std::future::Future<Output = ()>,
) where
    A: tower::Service<
            Request<axum::body::Body>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    A::Future: Send + 'static,
{
    let header_timeout = Duration::from_secs(config.header_read_timeout_seconds);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let connections = Connections {
        app,
        builder,
        header_timeout,
        limits: connection::Limits {
            idle: Duration::from_secs(config.idle_timeout_seconds),
            body: Duration::from_secs(config.body_read_timeout_seconds),
        },
        stopping: CancellationToken::new(),
    };
    // Reverse proxies carry many clients: the per-address cap does not apply to them.
    let proxies: Vec<_> = config
        .trusted_proxies
        .iter()
        .filter_map(|p| crate::rate_limit::parse_net(p).ok())
        .collect();
    let per_address = PerAddress::default();
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    while let Some((stream, peer)) = accept(&listener, shutdown.as_mut()).await {
        let ip = peer.ip().to_canonical();
        let slot = if proxies.iter().any(|n| n.contains(&ip)) {
            None
        } else {
            match per_address.take(ip, config.max_connections_per_address) {
                Some(slot) => Some(slot),
                None => {
                    tracing::debug!(%ip, "too many connections from one address");
                    drop(stream);
                    continue;
                }
            }
        };
        let activity = connection::Activity::new();
        let task = connections
            .clone()
            .serve_one(stream, peer, activity, graceful.watcher(), slot);
        tokio::spawn(task);
    }
    drop(listener);
    connections.stopping.cancel();
    graceful.shutdown().await;
}

/// The next connection, or `None` once `shutdown` completes.
async fn accept(
    listener: &TcpListener,
    mut shutdown: Pin<&mut impl Future<Output = ()>>,
) -> Option<(TcpStream, SocketAddr)> {
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => return Some(pair),
                Err(e) => {
                    // Out of file descriptors (EMFILE) and the like: wait for
                    // connections to close instead of spinning or giving up.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            },
            () = &mut shutdown => return None,
        }
    }
}

/// What serving a connection takes, cloned into each connection's task.
#[derive(Clone)]
struct Connections<A> {
    app: A,
    builder: auto::Builder<TokioExecutor>,
    header_timeout: Duration,
    limits: connection::Limits,
    /// Connections still waiting for their first request line hold a watcher
    /// that hyper does not know of yet: told to stop, they let shutdown finish
    /// instead of keeping it for the header timeout.
    stopping: CancellationToken,
}

impl<A> Connections<A>
where
    A: tower::Service<
            Request<axum::body::Body>,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    A::Future: Send + 'static,
{
    /// Serves one connection: its request line read ahead of hyper, then its
    /// requests until it closes or idles out. The address's slot is held until then.
    async fn serve_one(
        self,
        mut stream: TcpStream,
        peer: SocketAddr,
        activity: connection::Activity,
        watcher: Watcher,
        slot: Option<Slot>,
    ) {
        let first = tokio::select! {
            first = request_line::first(&mut stream, self.header_timeout) => first,
            () = self.stopping.cancelled() => None,
        };
        let Some(read_ahead) = first else {
            return;
        };
        // The client address for `ConnectInfo`, the body deadline, and each
        // request in flight counted, so a slow answer is not taken for idleness.
        let (app, busy, limits) = (self.app, activity.clone(), self.limits);
        let service = TowerToHyperService::new(tower::service_fn(move |req: Request<Incoming>| {
            let app = app.clone();
            let in_flight = busy.request();
            async move {
                let mut req =
                    req.map(|b| axum::body::Body::new(body::Deadline::new(b, limits.body)));
                req.extensions_mut().insert(ConnectInfo(peer));
                let response = app.oneshot(req).await;
                drop(in_flight);
                response
            }
        }));
        let io = TokioIo::new(connection::Watched::new(
            stream,
            activity.clone(),
            read_ahead,
        ));
        let conn = self
            .builder
            .serve_connection_with_upgrades(io, service)
            .into_owned();
        connection::drive(watcher.watch(conn), activity, limits.idle).await;
        drop(slot);
    }
}
