//! Discovery: WebFinger, host-meta and NodeInfo.

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::extract::Query,
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    model::{actor::ActorKind, name::Handle, visibility::CommunityVisibility},
    service::now,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/host-meta", get(host_meta))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.0", get(nodeinfo_20))
        .route("/nodeinfo/2.1", get(nodeinfo_21))
}

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

/// The local name a WebFinger resource asks for, or why it cannot be answered.
fn requested_name(state: &AppState, resource: &str) -> AppResult<String> {
    if resource.starts_with("http://") || resource.starts_with("https://") {
        // An actor URL: /users/NAME, /c/NAME or /actor on this instance.
        let url =
            url::Url::parse(resource).map_err(|_| AppError::bad_request("Malformed resource"))?;
        let host = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or("")),
            None => url.host_str().unwrap_or("").to_string(),
        };
        if !state.config.domain().matches(&host) {
            return Err(AppError::not_found());
        }
        let segments: Vec<&str> = url.path_segments().map(|s| s.collect()).unwrap_or_default();
        return match segments.as_slice() {
            ["users" | "c", name] => Ok((*name).to_string()),
            ["@", name] => Ok((*name).to_string()),
            ["actor"] => Ok(crate::service::accounts::INSTANCE_ACTOR_NAME.to_string()),
            _ => Err(AppError::not_found()),
        };
    }
    let handle =
        Handle::parse(resource).ok_or_else(|| AppError::bad_request("Malformed resource"))?;
    match handle.domain {
        Some(d) if state.config.domain().matches(&d) => Ok(handle.name),
        Some(_) => Err(AppError::not_found()),
        None => Err(AppError::bad_request(
            "Malformed resource: expected acct:name@domain",
        )),
    }
}

fn jrd(actor: &Actor, state: &AppState) -> Value {
    let subject = format!("acct:{}@{}", actor.name, state.urls.domain());
    let profile = actor.url.clone().unwrap_or_else(|| actor.ap_id.clone());
    json!({
        "subject": subject,
        "aliases": [actor.ap_id, profile],
        "links": [
            {
                "rel": "self",
                "type": "application/activity+json",
                "href": actor.ap_id,
                "properties": { "https://www.w3.org/ns/activitystreams#type": actor.kind }
            },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile }
        ]
    })
}

async fn webfinger(
    State(state): State<AppState>,
    Query(q): Query<WebfingerQuery>,
) -> AppResult<Response> {
    let resource = q
        .resource
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| AppError::bad_request("Missing parameter: resource"))?;
    let name = requested_name(&state, resource.trim())?;
    let actor = state
        .db
        .run(move |c| Ok(db::actors::local_by_name(c, &name)?))
        .await?
        .ok_or_else(AppError::not_found)?;
    // Internal communities are found through the client API only.
    if actor.kind() == ActorKind::Group
        && actor.visibility.parse() == Ok(CommunityVisibility::Internal)
    {
        return Err(AppError::not_found());
    }
    let mut r = Json(jrd(&actor, &state)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jrd+json; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(r)
}

async fn host_meta(State(state): State<AppState>) -> Response {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="{}/.well-known/webfinger?resource={{uri}}"/>
</XRD>
"#,
        state.urls.base()
    );
    let mut r = xml.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xrd+xml; charset=utf-8"),
    );
    r
}

/// Both schema versions in use: 2.1, and 2.0, which Elk and other clients ask for.
async fn nodeinfo_links(State(state): State<AppState>) -> Json<Value> {
    let link = |v: &str| {
        json!({
            "rel": format!("http://nodeinfo.diaspora.software/ns/schema/{v}"),
            "href": format!("{}/nodeinfo/{v}", state.urls.base())
        })
    };
    Json(json!({ "links": [link("2.1"), link("2.0")] }))
}

async fn nodeinfo_20(State(state): State<AppState>) -> AppResult<Response> {
    nodeinfo(&state, "2.0").await
}

async fn nodeinfo_21(State(state): State<AppState>) -> AppResult<Response> {
    nodeinfo(&state, "2.1").await
}

/// The NodeInfo document in schema `version` (2.0 has no `software.repository`).
async fn nodeinfo(state: &AppState, version: &'static str) -> AppResult<Response> {
    let stats = state
        .db
        .run(|c| Ok(db::instance_stats::stats(c, now())?))
        .await?;
    let i = state.instance();
    let body = json!({
        "version": version,
        "software": {
            "name": "passerelle",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": [] },
        "openRegistrations": state.instance().registration == crate::config::RegistrationMode::Open,
        "usage": {
            "users": {
                "total": stats.users,
                "activeMonth": stats.active_month,
                "activeHalfyear": stats.active_halfyear
            },
            "localPosts": stats.local_statuses
        },
        "metadata": { "nodeName": i.name, "nodeDescription": i.description }
    });
    let mut body = body;
    if version == "2.1" {
        body["software"]["repository"] = json!(i.source_url);
    }
    let profile = format!(
        "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
    );
    let mut r = Json(body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&profile).map_err(AppError::internal)?,
    );
    Ok(r)
}
