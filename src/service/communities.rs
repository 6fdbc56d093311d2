//! Communities: `Group` actors with an owner, moderators and members.

use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult, invalid_field},
    model::{actor::ActorKind, name::LocalName, visibility::CommunityVisibility},
    service::{accounts, now},
    state::AppState,
};

pub struct NewCommunity {
    pub name: String,
    pub owner: String,
    pub title: Option<String>,
    pub visibility: CommunityVisibility,
}

pub async fn create_community(state: &AppState, new: NewCommunity) -> AppResult<Actor> {
    let name = LocalName::parse(&new.name).map_err(|e| invalid_field("name", e))?;
    let owner_name = new.owner.clone();
    let owner = state
        .db
        .run(move |c| {
            Ok(db::actors::local_by_name_and_kind(
                c,
                &owner_name,
                ActorKind::Person,
            )?)
        })
        .await?
        .ok_or_else(|| {
            AppError::unprocessable(format!(
                "Validation failed: owner `{}` is not a local user",
                new.owner
            ))
        })?;
    let title = new.title.unwrap_or_else(|| name.to_string());
    if title.chars().count() > 200 {
        return Err(invalid_field(
            "title",
            "is too long (maximum is 200 characters)",
        ));
    }
    let mut community = accounts::new_local_actor(state, ActorKind::Group, name.as_str()).await?;
    community.display_name = title;
    community.visibility = new.visibility.as_str().to_string();
    // Members-only communities approve each join request.
    community.locked = new.visibility == CommunityVisibility::Members;
    community.discoverable = new.visibility != CommunityVisibility::Internal;
    let c = community.clone();
    state
        .db
        .write(move |conn| {
            db::actors::insert(conn, &c).map_err(accounts::name_taken)?;
            let at = now();
            db::communities::add_role(conn, c.id, owner.id, db::communities::OWNER, at)?;
            // The owner is the first member.
            db::follows::insert(conn, owner.id, c.id, None, db::follows::ACCEPTED, at)?;
            Ok(())
        })
        .await?;
    tracing::info!(community = %community.name, visibility = %community.visibility, "community created");
    Ok(community)
}

pub async fn set_description(
    state: &AppState,
    community: &Actor,
    description: &str,
) -> AppResult<Actor> {
    if description.chars().count() > 10_000 {
        return Err(invalid_field(
            "description",
            "is too long (maximum is 10000 characters)",
        ));
    }
    let html = crate::model::content::markdown_to_html(
        description,
        &|_| None,
        &format!("{}/tags", state.urls.base()),
    );
    let (id, source) = (community.id, description.to_string());
    state
        .db
        .write(move |c| {
            db::actors::set_summary(c, id, &html, &source, now())?;
            // Servers that hold the community show its new description.
            let event = crate::service::events::Event::ActorUpdated { actor_id: id };
            crate::service::events::store(c, &[event])?;
            Ok(db::actors::by_id(c, id)?)
        })
        .await
}

/// The owner appoints (`add`) or removes a moderator among the members.
pub async fn set_moderator(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    actor_id: i64,
    add: bool,
) -> AppResult<()> {
    if !community.local {
        return Err(AppError::unprocessable(
            "Moderators of a remote community are managed on its instance",
        ));
    }
    let (cid, by_id) = (community.id, by.id);
    state
        .db
        .write(move |c| {
            if db::communities::role(c, cid, by_id)?.as_deref() != Some(db::communities::OWNER) {
                return Err(AppError::forbidden("Only the owner appoints moderators"));
            }
            if actor_id == by_id {
                return Err(AppError::unprocessable("The owner is already a moderator"));
            }
            if add {
                if !db::follows::is_accepted(c, actor_id, cid)? {
                    return Err(AppError::unprocessable(
                        "Validation failed: only members can become moderators",
                    ));
                }
                db::communities::set_role(c, cid, actor_id, db::communities::MODERATOR, now())?;
            } else if db::communities::remove_role(c, cid, actor_id)? == 0 {
                return Err(AppError::not_found());
            }
            let event = crate::service::events::Event::ModeratorChanged {
                community_id: cid,
                actor_id,
                added: add,
                by: by_id,
            };
            crate::service::events::store(c, &[event])
        })
        .await
}

/// A remote community told us its moderators changed.
pub async fn remote_role(
    state: &AppState,
    group: &Actor,
    person: &Actor,
    add: bool,
) -> AppResult<()> {
    let (g, p) = (group.id, person.id);
    state
        .db
        .write(move |c| {
            if add {
                db::communities::set_role(c, g, p, db::communities::MODERATOR, now())?;
            } else {
                db::communities::remove_role(c, g, p)?;
            }
            Ok(())
        })
        .await
}

/// 403 unless `by` moderates (or owns) community `community_id`.
pub fn require_moderator(conn: &mut db::DbConn, community_id: i64, by: i64) -> AppResult<()> {
    match db::communities::role(conn, community_id, by)? {
        Some(_) => Ok(()),
        None => Err(AppError::forbidden(
            "Only the community's moderators can do this",
        )),
    }
}

fn require_owner(conn: &mut db::DbConn, community: &Actor, by: &Actor) -> AppResult<()> {
    if !community.local {
        return Err(AppError::unprocessable(
            "A remote community is managed on its instance",
        ));
    }
    if db::communities::role(conn, community.id, by.id)?.as_deref() != Some(db::communities::OWNER)
    {
        return Err(AppError::forbidden("Only the owner can do this"));
    }
    Ok(())
}

/// The owner rewrites the community's description (Markdown).
pub async fn describe(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    description: &str,
) -> AppResult<Actor> {
    check_owner(state, by, community).await?;
    set_description(state, community, description).await
}

/// Fails unless `by` owns the (local) community.
pub async fn check_owner(state: &AppState, by: &Actor, community: &Actor) -> AppResult<()> {
    let (c, by) = (community.clone(), by.clone());
    state.db.run(move |conn| require_owner(conn, &c, &by)).await
}

/// The owner changes the community's visibility. Its statuses follow (they
/// inherit it); joins need approval exactly when it is `members`. A community
/// with members on other servers cannot become `internal`: their servers already
/// hold its content (revoke them first).
pub async fn set_visibility(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    visibility: CommunityVisibility,
) -> AppResult<Actor> {
    let (c, by) = (community.clone(), by.clone());
    state
        .db
        .write(move |conn| {
            require_owner(conn, &c, &by)?;
            if visibility == CommunityVisibility::Internal
                && !db::communities::member_domains(conn, c.id)?.is_empty()
            {
                return Err(AppError::new(
                    axum::http::StatusCode::CONFLICT,
                    "Members on other servers hold this community's content: revoke their \
                     servers before making it internal",
                ));
            }
            db::communities::set_visibility(conn, c.id, visibility, now())?;
            // Members' servers learn the new visibility (and approval rule).
            if visibility.federates() {
                let event = crate::service::events::Event::ActorUpdated { actor_id: c.id };
                crate::service::events::store(conn, &[event])?;
            }
            tracing::info!(community = %c.name, %visibility, "community visibility changed");
            Ok(db::actors::by_id(conn, c.id)?)
        })
        .await
}

/// The servers a `partners` community is opened to beyond the instance's partner
/// list (owner only to change; moderators may read).
pub async fn partner_domains(
    state: &AppState,
    by: &Actor,
    community: &Actor,
) -> AppResult<Vec<String>> {
    let (cid, bid) = (community.id, by.id);
    state
        .db
        .run(move |conn| {
            if db::communities::role(conn, cid, bid)?.is_none() {
                return Err(AppError::forbidden("Only moderators can see this"));
            }
            Ok(db::communities::partner_patterns(conn, cid)?)
        })
        .await
}

/// Adds (`add`) or removes a partner server of the community; returns the
/// normalised pattern.
pub async fn set_partner_domain(
    state: &AppState,
    by: &Actor,
    community: &Actor,
    domain: &str,
    add: bool,
) -> AppResult<String> {
    let pattern = crate::model::domain::DomainPattern::parse(domain.trim())
        .map_err(|e| invalid_field("domain", e))?
        .as_string();
    let (c, by, p) = (community.clone(), by.clone(), pattern.clone());
    state
        .db
        .write(move |conn| {
            require_owner(conn, &c, &by)?;
            if add {
                db::communities::add_partner_pattern(conn, c.id, &p, now())?;
            } else if !db::communities::remove_partner_pattern(conn, c.id, &p)? {
                return Err(AppError::not_found());
            }
            Ok(())
        })
        .await?;
    Ok(pattern)
}
