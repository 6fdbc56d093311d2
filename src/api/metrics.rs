//! `GET /metrics` in Prometheus text format: the delivery queue at a glance.
//! It names partner servers, so it is answered only to a client on this host
//! (its real address, behind `server.trusted_proxies`) or one that presents
//! `metrics.token`.

use std::{
    fmt::Write,
    net::{IpAddr, SocketAddr},
};

use chrono::NaiveDateTime;

use axum::{
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{
    api::auth::bearer,
    db::{inbound, outbox},
    error::{AppError, AppResult},
    service::{now, secrets::constant_time_eq},
    state::AppState,
};

/// Whether the request may read the metrics. A same-host reverse proxy makes
/// every request come from loopback: the client behind it decides, and one the
/// proxy does not vouch for (not in `trusted_proxies`) is refused.
fn allowed(state: &AppState, peer: IpAddr, headers: &HeaderMap) -> bool {
    let token = &state.config.metrics.token;
    if !token.is_empty() && bearer(headers).is_some_and(|t| constant_time_eq(&t, token)) {
        return true;
    }
    state
        .limits
        .known_client_ip(peer, headers)
        .is_some_and(|ip| ip.to_canonical().is_loopback())
}

fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !allowed(&state, peer.ip(), &headers) {
        return Err(AppError::forbidden(
            "Metrics are for this host or a client with the metrics token",
        ));
    }
    let (depths, totals) = state
        .db
        .run(|c| Ok((outbox::queue_depths(c)?, outbox::totals(c)?)))
        .await?;
    let inbound = state.db.run(|c| Ok(inbound::depth(c)?)).await?;
    let mail = state
        .db
        .run(|c| Ok(crate::db::outgoing_mail::counts(c)?))
        .await?;
    let at = now();
    let mut out = String::new();
    write_queue_depths(&mut out, &depths, at);
    write_delivery_totals(&mut out, &totals);
    write_inbound(&mut out, inbound, at);
    write_mail(&mut out, mail);
    let mut r = out.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(r)
}

/// The `# HELP` and `# TYPE` lines that come before a gauge's samples.
fn gauge(out: &mut String, name: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
}

/// Seconds since `oldest`, or 0 when nothing is waiting.
fn age(oldest: Option<NaiveDateTime>, at: NaiveDateTime) -> i64 {
    oldest.map(|o| (at - o).num_seconds().max(0)).unwrap_or(0)
}

/// Pending deliveries and the age of the oldest, per destination server.
fn write_queue_depths(
    out: &mut String,
    depths: &[(String, i64, Option<NaiveDateTime>)],
    at: NaiveDateTime,
) {
    gauge(
        out,
        "passerelle_delivery_queue_depth",
        "Pending deliveries per destination server.",
    );
    for (domain, n, _) in depths {
        let _ = writeln!(
            out,
            "passerelle_delivery_queue_depth{{destination=\"{}\"}} {n}",
            label(domain)
        );
    }
    gauge(
        out,
        "passerelle_delivery_oldest_pending_seconds",
        "Age of the oldest pending delivery per destination.",
    );
    for (domain, _, oldest) in depths {
        let _ = writeln!(
            out,
            "passerelle_delivery_oldest_pending_seconds{{destination=\"{}\"}} {}",
            label(domain),
            age(*oldest, at)
        );
    }
}

/// Deliveries by state, failing ones, and unreachable servers.
fn write_delivery_totals(out: &mut String, totals: &outbox::Totals) {
    gauge(out, "passerelle_deliveries", "Deliveries by state.");
    for (s, n) in &totals.by_state {
        let _ = writeln!(out, "passerelle_deliveries{{state=\"{}\"}} {n}", label(s));
    }
    gauge(
        out,
        "passerelle_deliveries_failing",
        "Pending deliveries that failed at least once.",
    );
    let _ = writeln!(out, "passerelle_deliveries_failing {}", totals.failing);
    gauge(
        out,
        "passerelle_destinations_unreachable",
        "Servers marked unreachable.",
    );
    let _ = writeln!(
        out,
        "passerelle_destinations_unreachable {}",
        totals.unreachable
    );
}

/// Mail waiting for the relay, and mail it refused for good.
fn write_mail(out: &mut String, (waiting, failed): (i64, i64)) {
    gauge(
        out,
        "passerelle_mail_queue",
        "Mail waiting for the SMTP relay, or given up.",
    );
    let _ = writeln!(out, "passerelle_mail_queue{{state=\"waiting\"}} {waiting}");
    let _ = writeln!(out, "passerelle_mail_queue{{state=\"failed\"}} {failed}");
}

/// Received activities: pending, given up, and the age of the oldest pending.
fn write_inbound(
    out: &mut String,
    (pending, failed, oldest): (i64, i64, Option<NaiveDateTime>),
    at: NaiveDateTime,
) {
    gauge(
        out,
        "passerelle_inbound_jobs",
        "Received activities waiting to be applied, or given up.",
    );
    let _ = writeln!(
        out,
        "passerelle_inbound_jobs{{state=\"pending\"}} {pending}"
    );
    let _ = writeln!(out, "passerelle_inbound_jobs{{state=\"failed\"}} {failed}");
    gauge(
        out,
        "passerelle_inbound_oldest_pending_seconds",
        "Age of the oldest received activity not yet applied.",
    );
    let _ = writeln!(
        out,
        "passerelle_inbound_oldest_pending_seconds {}",
        age(oldest, at)
    );
}
