//! `GET /metrics` in Prometheus text format: the delivery queue at a glance.
//! Answered to loopback clients only (a scraper on the same host or behind the
//! reverse proxy); it names partner servers.

use std::{fmt::Write, net::SocketAddr};

use axum::{
    extract::{ConnectInfo, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{
    db::{inbound, outbox},
    error::{AppError, AppResult},
    service::now,
    state::AppState,
};

fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
) -> AppResult<Response> {
    if !peer.ip().is_loopback() {
        return Err(AppError::not_found());
    }
    let (
        depths,
        outbox::Totals {
            by_state,
            failing,
            unreachable,
        },
    ) = state
        .db
        .run(|c| Ok((outbox::queue_depths(c)?, outbox::totals(c)?)))
        .await?;
    let (inbound_pending, inbound_failed, inbound_oldest) =
        state.db.run(|c| Ok(inbound::depth(c)?)).await?;
    let at = now();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP passerelle_delivery_queue_depth Pending deliveries per destination server."
    );
    let _ = writeln!(out, "# TYPE passerelle_delivery_queue_depth gauge");
    for (domain, n, _) in &depths {
        let _ = writeln!(
            out,
            "passerelle_delivery_queue_depth{{destination=\"{}\"}} {n}",
            label(domain)
        );
    }
    let _ = writeln!(
        out,
        "# HELP passerelle_delivery_oldest_pending_seconds Age of the oldest pending delivery per destination."
    );
    let _ = writeln!(
        out,
        "# TYPE passerelle_delivery_oldest_pending_seconds gauge"
    );
    for (domain, _, oldest) in &depths {
        let age = oldest.map(|o| (at - o).num_seconds().max(0)).unwrap_or(0);
        let _ = writeln!(
            out,
            "passerelle_delivery_oldest_pending_seconds{{destination=\"{}\"}} {age}",
            label(domain)
        );
    }
    let _ = writeln!(out, "# HELP passerelle_deliveries Deliveries by state.");
    let _ = writeln!(out, "# TYPE passerelle_deliveries gauge");
    for (s, n) in &by_state {
        let _ = writeln!(out, "passerelle_deliveries{{state=\"{}\"}} {n}", label(s));
    }
    let _ = writeln!(
        out,
        "# HELP passerelle_deliveries_failing Pending deliveries that failed at least once."
    );
    let _ = writeln!(out, "# TYPE passerelle_deliveries_failing gauge");
    let _ = writeln!(out, "passerelle_deliveries_failing {failing}");
    let _ = writeln!(
        out,
        "# HELP passerelle_destinations_unreachable Servers marked unreachable."
    );
    let _ = writeln!(out, "# TYPE passerelle_destinations_unreachable gauge");
    let _ = writeln!(out, "passerelle_destinations_unreachable {unreachable}");
    let _ = writeln!(
        out,
        "# HELP passerelle_inbound_jobs Received activities waiting to be applied, or given up."
    );
    let _ = writeln!(out, "# TYPE passerelle_inbound_jobs gauge");
    let _ = writeln!(
        out,
        "passerelle_inbound_jobs{{state=\"pending\"}} {inbound_pending}"
    );
    let _ = writeln!(
        out,
        "passerelle_inbound_jobs{{state=\"failed\"}} {inbound_failed}"
    );
    let _ = writeln!(
        out,
        "# HELP passerelle_inbound_oldest_pending_seconds Age of the oldest received activity not yet applied."
    );
    let _ = writeln!(
        out,
        "# TYPE passerelle_inbound_oldest_pending_seconds gauge"
    );
    let age = inbound_oldest
        .map(|o| (at - o).num_seconds().max(0))
        .unwrap_or(0);
    let _ = writeln!(out, "passerelle_inbound_oldest_pending_seconds {age}");
    let mut r = out.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(r)
}
