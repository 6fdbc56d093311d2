//! "Find an expert": the communities and threads about a topic that a reader
//! may see, and the members of public communities.

use diesel::{
    dsl::sql,
    prelude::*,
    sql_types::{Bool, Text},
};

use super::{
    DbConn, MultiBackend,
    actors::Actor,
    schema::{actors, follows, statuses},
    statuses::Status,
};
use crate::model::{actor::ActorKind, visibility::Visibility};

diesel::define_sql_function!(fn lower(x: Text) -> Text);

type ActorCond = Box<dyn BoxableExpression<actors::table, MultiBackend, SqlType = Bool>>;
type StatusCond = Box<dyn BoxableExpression<statuses::table, MultiBackend, SqlType = Bool>>;

/// Name, title or description like one of `patterns`.
fn community_like(patterns: &[String]) -> ActorCond {
    patterns
        .iter()
        .fold(Box::new(sql::<Bool>("1 = 0")), |e: ActorCond, p| {
            Box::new(
                e.or(lower(actors::name).like(p.clone()))
                    .or(lower(actors::display_name).like(p.clone()))
                    .or(lower(actors::summary).like(p.clone())),
            )
        })
}

/// Title like one of `patterns`.
fn title_like(patterns: &[String]) -> StatusCond {
    patterns
        .iter()
        .fold(Box::new(sql::<Bool>("1 = 0")), |e: StatusCond, p| {
            Box::new(e.or(lower(statuses::title.assume_not_null()).like(p.clone())))
        })
}

/// Communities (not deleted or suspended) whose name, title or description is
/// like one of `patterns` (lower case). The caller keeps those the reader may see.
pub fn communities_about(
    conn: &mut DbConn,
    patterns: &[String],
    limit: i64,
) -> QueryResult<Vec<Actor>> {
    actors::table
        .filter(actors::kind.eq(ActorKind::Group.as_str()))
        .filter(actors::deleted_at.is_null())
        .filter(actors::suspended_at.is_null())
        .filter(community_like(patterns))
        .order((actors::local.desc(), actors::name))
        .limit(limit)
        .select(Actor::as_select())
        .load(conn)
}

/// Threads of communities whose title is like one of `patterns`, newest first,
/// that `viewer` may read: public ones; partners and internal ones for the
/// instance's own people; members-only ones for the community's members.
pub fn threads_about(
    conn: &mut DbConn,
    patterns: &[String],
    viewer: Option<&Actor>,
    limit: i64,
) -> QueryResult<Vec<Status>> {
    let public = [Visibility::Public.as_str(), Visibility::Unlisted.as_str()];
    let mut q = statuses::table
        .filter(statuses::community_id.is_not_null())
        .filter(statuses::in_reply_to_id.is_null())
        .filter(statuses::title.is_not_null())
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .filter(title_like(patterns))
        .select(Status::as_select())
        .into_boxed();
    q = match viewer {
        None => q.filter(statuses::visibility.eq_any(public)),
        Some(v) => {
            let joined = follows::table
                .filter(follows::follower_id.eq(v.id))
                .filter(follows::state.eq("accepted"))
                .select(follows::target_id);
            let ours: &[&str] = if v.local {
                &[Visibility::Partners.as_str(), Visibility::Internal.as_str()]
            } else {
                &[]
            };
            q.filter(
                statuses::visibility
                    .eq_any(public)
                    .or(statuses::visibility.eq_any(ours.to_vec()))
                    .or(statuses::visibility
                        .eq(Visibility::Members.as_str())
                        .and(statuses::community_id.assume_not_null().eq_any(joined))),
            )
        }
    };
    q.order(statuses::id.desc()).limit(limit).load(conn)
}

/// `(community, member)` for the local members of `communities`.
pub fn members_of(conn: &mut DbConn, communities: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq_any(communities))
        .filter(follows::state.eq("accepted"))
        .filter(actors::local.eq(true))
        .select((follows::target_id, follows::follower_id))
        .limit(2000)
        .load(conn)
}
