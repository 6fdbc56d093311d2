//! Rate limits per client IP (client API, OAuth, ActivityPub reads) and per
//! remote server and IP (the inbox), answered with 429 and `Retry-After`.
//!
//! The client IP is the peer's address, or, when the peer is a trusted reverse
//! proxy (`server.trusted_proxies`), the last address in `X-Forwarded-For` that
//! is not itself a trusted proxy: the client cannot choose it by sending the
//! header itself.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header::RETRY_AFTER},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use ipnet::IpNet;

use crate::{config::Config, error::AppError, state::AppState};

type Keyed = DefaultKeyedRateLimiter<String>;

pub struct Limits {
    api: Option<Keyed>,
    inbox_server: Option<Keyed>,
    inbox_ip: Option<Keyed>,
    /// Per address: tokens not seen lately checked for an address over its budget.
    token_checks: Option<Keyed>,
    trusted: Vec<IpNet>,
    /// Made once: making a clock calibrates it, too slow for each refused request.
    clock: governor::clock::DefaultClock,
    /// Digests of tokens that authentication accepted lately: only those get a
    /// budget of their own, so invented bearers count against their address.
    valid_tokens: moka::sync::Cache<String, ()>,
    /// Failed logins per account.
    pub logins: crate::service::login_throttle::LoginThrottle,
}

/// An IP (`10.0.0.1`) or a range (`10.0.0.0/8`).
pub fn parse_net(s: &str) -> Result<IpNet, String> {
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{s}` is neither an IP address nor a CIDR range"))
}

fn limiter(per_minute: u32) -> Option<Keyed> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

impl Limits {
    pub fn from_config(c: &Config) -> Self {
        Self {
            api: limiter(c.limits.api_per_minute),
            inbox_server: limiter(c.limits.inbox_per_server_per_minute),
            inbox_ip: limiter(c.limits.inbox_per_ip_per_minute),
            token_checks: limiter(c.limits.api_per_minute),
            // validate() has checked them.
            trusted: c
                .server
                .trusted_proxies
                .iter()
                .filter_map(|p| parse_net(p).ok())
                .collect(),
            clock: Default::default(),
            valid_tokens: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(Duration::from_secs(600))
                .build(),
            logins: crate::service::login_throttle::LoginThrottle::from_config(&c.limits),
        }
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|n| n.contains(&ip.to_canonical()))
    }

    /// The address of the client behind any trusted proxies.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted(peer) {
            return peer;
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !self.trusted(*ip))
            .unwrap_or(peer)
    }

    /// The client's address where it can be known. Like `client_ip`, except that
    /// a request forwarded by a proxy that is not trusted (or in a header other
    /// than `X-Forwarded-For`) hides its client: None, not the proxy's address.
    pub fn known_client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> Option<IpAddr> {
        let has = |h: &str| headers.contains_key(h);
        if !(has("x-forwarded-for") || has("forwarded") || has("x-real-ip")) {
            return Some(peer);
        }
        (self.trusted(peer) && has("x-forwarded-for")).then(|| self.client_ip(peer, headers))
    }

    /// Called by authentication: whether the token with this digest is valid.
    pub fn token_checked(&self, digest: &str, valid: bool) {
        if valid {
            self.valid_tokens.insert(digest.to_string(), ());
        } else {
            self.valid_tokens.invalidate(digest);
        }
    }

    /// Signed-in clients are counted per token (many people may share one
    /// address behind a company proxy); others, and unknown tokens, per address.
    fn api_key(&self, headers: &HeaderMap, ip: &str) -> String {
        match crate::api::auth::bearer(headers).map(|t| crate::service::secrets::digest(&t)) {
            Some(digest) if self.valid_tokens.contains_key(&digest) => {
                format!("token:{}", &digest[..24])
            }
            _ => format!("ip:{ip}"),
        }
    }

    /// Forgets keys that have been quiet: the maps do not grow without bound.
    pub fn shrink(&self) {
        for l in [
            &self.api,
            &self.inbox_server,
            &self.inbox_ip,
            &self.token_checks,
        ]
        .into_iter()
        .flatten()
        {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

impl Limits {
    /// Err(wait) when `key` is over the limit.
    fn check(&self, limiter: &Option<Keyed>, key: &str) -> Result<(), Duration> {
        let Some(l) = limiter else {
            return Ok(());
        };
        l.check_key(&key.to_string())
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

fn too_many(wait: Duration) -> Response {
    let mut r = AppError::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests").into_response();
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        r.headers_mut().insert(RETRY_AFTER, v);
    }
    r
}

/// The client API's budget. A token not seen lately counts against its address
/// until authentication accepts it; when that address is over its budget, the
/// token is checked here (at most a budget of such checks per address, so
/// invented tokens cannot cost a lookup each), and counted on its own if valid.
async fn api_verdict(state: &AppState, headers: &HeaderMap, ip: &str) -> Result<(), Duration> {
    let limits = &state.limits;
    let key = limits.api_key(headers, ip);
    let refused = match limits.check(&limits.api, &key) {
        Ok(()) => return Ok(()),
        Err(wait) => wait,
    };
    let Some(token) = crate::api::auth::bearer(headers) else {
        return Err(refused);
    };
    if key.starts_with("token:") {
        return Err(refused);
    }
    limits.check(&limits.token_checks, ip)?;
    if crate::service::oauth::authenticate(state, &token)
        .await
        .is_err()
    {
        return Err(refused);
    }
    limits.check(&limits.api, &limits.api_key(headers, ip))
}

pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limits = &state.limits;
    let path = req.uri().path();
    // Health and metrics are for the operator's probes.
    if path == "/healthz" || path == "/metrics" {
        return next.run(req).await;
    }
    let Some(peer) = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return next.run(req).await;
    };
    let ip = limits.client_ip(peer, req.headers()).to_string();
    let verdict = if req.method() == Method::POST && path.ends_with("/inbox") {
        let server = crate::federation::activities::inbox::key_authority(req.headers());
        limits
            .check(&limits.inbox_ip, &ip)
            .and_then(|()| match server {
                Some(s) => limits.check(&limits.inbox_server, &s),
                None => Ok(()),
            })
    } else {
        api_verdict(&state, req.headers(), &ip).await
    };
    match verdict {
        Ok(()) => next.run(req).await,
        Err(wait) => {
            tracing::info!(%ip, path, "rate limited");
            too_many(wait)
        }
    }
}

/// Shrinks the limiters' maps every few minutes until shutdown.
pub fn spawn_housekeeping(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_secs(300)) => state.limits.shrink(),
                () = state.shutdown.cancelled() => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(trusted: &[&str]) -> Limits {
        let mut c = Config::default();
        c.server.trusted_proxies = trusted.iter().map(|s| s.to_string()).collect();
        c.limits.api_per_minute = 2;
        Limits::from_config(&c)
    }

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().expect("header"));
        h
    }

    #[test]
    fn client_ip_behind_trusted_proxies_only() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let direct = limits(&[]);
        assert_eq!(
            direct.client_ip(ip("203.0.113.9"), &headers("1.2.3.4")),
            ip("203.0.113.9"),
            "an untrusted peer cannot choose its address"
        );
        let proxied = limits(&["10.0.0.0/8", "127.0.0.1"]);
        assert_eq!(
            proxied.client_ip(ip("127.0.0.1"), &headers("198.51.100.7")),
            ip("198.51.100.7")
        );
        // The client put a fake address first; the proxies appended the real one.
        assert_eq!(
            proxied.client_ip(ip("10.1.1.1"), &headers("6.6.6.6, 198.51.100.7, 10.2.2.2")),
            ip("198.51.100.7")
        );
        assert_eq!(
            proxied.client_ip(ip("::ffff:127.0.0.1"), &headers("garbage")),
            ip("::ffff:127.0.0.1")
        );
        assert!(parse_net("10.0.0.0/8").is_ok() && parse_net("::1").is_ok());
        assert!(parse_net("proxy.example").is_err());
    }

    #[test]
    fn a_client_behind_an_untrusted_proxy_is_unknown() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let lo = ip("127.0.0.1");
        let direct = limits(&[]);
        assert_eq!(direct.known_client_ip(lo, &HeaderMap::new()), Some(lo));
        assert_eq!(direct.known_client_ip(lo, &headers("198.51.100.7")), None);
        let mut real_ip = HeaderMap::new();
        real_ip.insert("x-real-ip", "198.51.100.7".parse().expect("header"));
        assert_eq!(direct.known_client_ip(lo, &real_ip), None);
        let proxied = limits(&["127.0.0.1"]);
        assert_eq!(
            proxied.known_client_ip(lo, &headers("198.51.100.7")),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            proxied.known_client_ip(lo, &real_ip),
            None,
            "header not read"
        );
        assert_eq!(proxied.known_client_ip(lo, &headers("127.0.0.1")), Some(lo));
    }

    #[test]
    fn only_valid_tokens_are_counted_per_token() {
        let l = limits(&[]);
        let mut h = HeaderMap::new();
        assert_eq!(l.api_key(&h, "10.0.0.1"), "ip:10.0.0.1");
        h.insert("authorization", "Bearer abc".parse().expect("header"));
        assert_eq!(l.api_key(&h, "10.0.0.1"), "ip:10.0.0.1", "not checked yet");
        l.token_checked(&crate::service::secrets::digest("abc"), true);
        let a = l.api_key(&h, "10.0.0.1");
        assert!(a.starts_with("token:") && !a.contains("abc"));
        assert_eq!(l.api_key(&h, "10.9.9.9"), a, "same token, another address");
        h.insert("authorization", "Bearer abd".parse().expect("header"));
        assert_eq!(l.api_key(&h, "10.0.0.1"), "ip:10.0.0.1");
        l.token_checked(&crate::service::secrets::digest("abc"), false);
        h.insert("authorization", "Bearer abc".parse().expect("header"));
        assert_eq!(l.api_key(&h, "10.0.0.1"), "ip:10.0.0.1", "revoked");
    }

    #[test]
    fn limits_per_key() {
        let l = limits(&[]);
        assert!(l.check(&l.api, "a").is_ok());
        assert!(l.check(&l.api, "a").is_ok());
        let wait = l.check(&l.api, "a").expect_err("third request in a minute");
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(30));
        assert!(
            l.check(&l.api, "b").is_ok(),
            "another client has its own budget"
        );
        let off = Limits::from_config(&Config {
            limits: crate::config::LimitsConfig {
                api_per_minute: 0,
                ..Default::default()
            },
            ..Config::default()
        });
        for _ in 0..1000 {
            assert!(off.check(&off.api, "a").is_ok());
        }
    }
}
