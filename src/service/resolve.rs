//! Finding people, communities and posts by handle or URL, fetching remote ones.

use activitypub_federation::fetch::{object_id::ObjectId, webfinger::webfinger_resolve_actor};

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    federation::objects::{actor::DbActor, post::DbStatus},
    model::name::Handle,
    state::AppState,
};

pub enum Resolved {
    Actor(Box<Actor>),
    Status(Box<Status>),
}

/// `@name@domain`, `name@domain`, or an http(s) URL. Remote ones are fetched only
/// when `fetch` is set; unknown or unreachable ones give `None`.
pub async fn resolve(state: &AppState, q: &str, fetch: bool) -> AppResult<Option<Resolved>> {
    let q = q.trim();
    if q.starts_with("https://") || q.starts_with("http://") {
        return resolve_url(state, q, fetch).await;
    }
    let Some(handle) = Handle::parse(q) else {
        return Ok(None);
    };
    let Some(domain) = handle.domain.clone() else {
        return Ok(None);
    };
    if state.config.domain().matches(&domain) {
        let name = handle.name.clone();
        let a = state
            .db
            .run(move |c| Ok(db::actors::local_by_name(c, &name)?))
            .await?;
        return Ok(a.map(|a| Resolved::Actor(Box::new(a))));
    }
    let (name, d) = (handle.name.clone(), domain.clone());
    if let Some(a) = state
        .db
        .run(move |c| Ok(db::actors::remote_by_handle(c, &name, &d)?))
        .await?
    {
        return Ok(Some(Resolved::Actor(Box::new(a))));
    }
    if !fetch {
        return Ok(None);
    }
    let found = webfinger_resolve_actor::<AppState, DbActor>(
        &format!("{}@{domain}", handle.name),
        &state.fed(),
    )
    .await;
    match found {
        Ok(a) => Ok(Some(Resolved::Actor(Box::new(a.row)))),
        Err(e) => {
            tracing::info!(handle = q, error = %e, "could not resolve");
            Ok(None)
        }
    }
}

async fn resolve_url(state: &AppState, q: &str, fetch: bool) -> AppResult<Option<Resolved>> {
    let url = url::Url::parse(q).map_err(|_| AppError::bad_request("Malformed URL"))?;
    let id = q.to_string();
    let known = state
        .db
        .run(move |c| {
            if let Some(a) = db::actors::by_ap_id(c, &id)? {
                return Ok(Some(Resolved::Actor(Box::new(a))));
            }
            Ok(db::statuses::by_ap_id(c, &id)?.map(|s| Resolved::Status(Box::new(s))))
        })
        .await?;
    if known.is_some() || !fetch || q.starts_with(state.urls.base()) {
        return Ok(known);
    }
    let data = state.fed();
    if let Ok(a) = ObjectId::<DbActor>::from(url.clone())
        .dereference(&data)
        .await
    {
        return Ok(Some(Resolved::Actor(Box::new(a.row))));
    }
    match ObjectId::<DbStatus>::from(url)
        .dereference(&data.reset_request_count())
        .await
    {
        Ok(s) => Ok(Some(Resolved::Status(Box::new(s.row)))),
        Err(e) => {
            tracing::info!(url = q, error = %e, "could not resolve");
            Ok(None)
        }
    }
}
