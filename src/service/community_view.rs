//! Reading communities: who may see one, finding one, its figures and the
//! reader's place in it, the directory. The client API and the web pages share it.

use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    model::actor::ActorKind,
    state::AppState,
};

/// Internal communities exist only for local signed-in people.
pub fn may_see(c: &Actor, me: Option<&Actor>) -> bool {
    c.kind() == ActorKind::Group && (c.visibility != "internal" || me.is_some_and(|m| m.local))
}

/// A community by id, or 404 when it is none or the reader may not see it.
pub async fn by_id(state: &AppState, id: i64, me: Option<&Actor>) -> AppResult<Actor> {
    let c = state
        .db
        .run(move |conn| Ok(db::actors::by_id(conn, id)?))
        .await?;
    visible(c, me)
}

/// A community by `name` (ours) or `name@domain` (known here), or 404.
pub async fn by_handle(state: &AppState, handle: &str, me: Option<&Actor>) -> AppResult<Actor> {
    let ours = state.urls.domain().to_string();
    let (name, domain) = match handle.split_once('@') {
        Some((n, d)) if !d.eq_ignore_ascii_case(&ours) => (n.to_string(), Some(d.to_string())),
        Some((n, _)) => (n.to_string(), None),
        None => (handle.to_string(), None),
    };
    let found = state
        .db
        .run(move |conn| {
            Ok(match domain {
                None => db::actors::local_by_name_and_kind(conn, &name, ActorKind::Group)?,
                Some(d) => db::actors::remote_by_handle(conn, &name, &d)?,
            })
        })
        .await?;
    visible(found.ok_or_else(AppError::not_found)?, me)
}

fn visible(c: Actor, me: Option<&Actor>) -> AppResult<Actor> {
    if may_see(&c, me) && c.deleted_at.is_none() {
        Ok(c)
    } else {
        Err(AppError::not_found())
    }
}

/// A community's aggregate figures and the reader's relation to it.
pub struct Overview {
    pub counts: db::actors::Counts,
    pub threads: i64,
    /// The reader's follow state (`accepted`, `pending`), if any.
    pub membership: Option<String>,
    /// The reader's role (owner, moderator), if any.
    pub role: Option<String>,
}

impl Overview {
    pub fn is_member(&self) -> bool {
        self.membership.as_deref() == Some("accepted")
    }

    pub fn moderates(&self) -> bool {
        self.role.is_some()
    }
}

pub async fn overview(state: &AppState, c: &Actor, me: Option<&Actor>) -> AppResult<Overview> {
    let (cid, mid) = (c.id, me.map(|m| m.id));
    state
        .db
        .run(move |conn| {
            let (membership, role) = match mid {
                Some(m) => (
                    db::follows::find(conn, m, cid)?.map(|f| f.state),
                    db::communities::role(conn, cid, m)?,
                ),
                None => (None, None),
            };
            Ok(Overview {
                counts: db::actors::counts(conn, cid)?,
                threads: db::statuses::count_threads(conn, cid)?,
                membership,
                role,
            })
        })
        .await
}

/// [`overview`] of many communities at once, in four statements whatever their
/// number (the directory lists up to 80): by community id.
pub async fn overviews(
    state: &AppState,
    communities: &[Actor],
    me: Option<&Actor>,
) -> AppResult<std::collections::HashMap<i64, Overview>> {
    let (ids, mid): (Vec<i64>, _) = (communities.iter().map(|c| c.id).collect(), me.map(|m| m.id));
    state
        .db
        .run(move |conn| {
            let mut counts = db::actors::counts_of(conn, &ids)?;
            let (follows, roles) = match mid {
                Some(m) => (
                    db::follows::states(conn, m, &ids)?,
                    db::communities::roles_in(conn, m, &ids)?,
                ),
                None => (vec![], vec![]),
            };
            let find = |rows: &[(i64, String)], id: i64| {
                rows.iter().find(|(c, _)| *c == id).map(|(_, v)| v.clone())
            };
            Ok(ids
                .iter()
                .map(|&id| {
                    let counts = counts.remove(&id).unwrap_or_default();
                    let o = Overview {
                        threads: counts.threads,
                        counts,
                        membership: find(&follows, id),
                        role: find(&roles, id),
                    };
                    (id, o)
                })
                .collect())
        })
        .await
}

/// Communities whose name or title contains `query`, that the reader may see.
pub async fn directory(
    state: &AppState,
    query: &str,
    me: Option<&Actor>,
    limit: i64,
) -> AppResult<Vec<Actor>> {
    let pattern = format!(
        "%{}%",
        query.trim().to_lowercase().replace(['%', '_', '\\'], "")
    );
    let rows = state
        .db
        .run(move |c| Ok(db::actors::search_communities(c, &pattern, limit)?))
        .await?;
    Ok(rows.into_iter().filter(|c| may_see(c, me)).collect())
}

/// A page of a community's members, newest first, with each row's cursor. Who
/// belongs to a members-only community is for its members (and moderators) only.
pub async fn members(
    state: &AppState,
    c: &Actor,
    me: Option<&Actor>,
    page: db::views::Page,
) -> AppResult<Vec<(i64, Actor)>> {
    if !may_see(c, me) {
        return Err(AppError::not_found());
    }
    let (cid, mid, closed) = (c.id, me.map(|m| m.id), c.visibility == "members");
    state
        .db
        .run(move |conn| {
            if closed {
                let inside = match mid {
                    Some(m) => {
                        db::follows::find(conn, m, cid)?.is_some_and(|f| f.state == "accepted")
                            || db::communities::role(conn, cid, m)?.is_some()
                    }
                    None => false,
                };
                if !inside {
                    return Err(AppError::forbidden(
                        "The members of this community see who belongs to it",
                    ));
                }
            }
            Ok(db::follows::page(
                conn,
                cid,
                db::follows::Side::Followers,
                page,
            )?)
        })
        .await
}

/// A community's moderators (its owner among them).
pub async fn moderators(state: &AppState, c: &Actor) -> AppResult<Vec<Actor>> {
    let cid = c.id;
    state
        .db
        .run(move |conn| Ok(db::communities::moderators(conn, cid)?))
        .await
}

/// The communities `me` is a member of, by name.
pub async fn joined(state: &AppState, me: &Actor) -> AppResult<Vec<Actor>> {
    let mid = me.id;
    let mut found = state
        .db
        .run(move |c| {
            let ids = db::follows::followed_ids(c, mid)?;
            Ok(db::actors::by_ids(c, &ids)?)
        })
        .await?;
    found.retain(|c| c.kind() == ActorKind::Group);
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}
