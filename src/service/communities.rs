//! Communities: `Group` actors with an owner, moderators and members.

use diesel::prelude::*;

use crate::{
    db::{
        self,
        actors::Actor,
        schema::{community_roles, follows},
    },
    error::{AppError, AppResult, invalid_field},
    model::{actor::ActorKind, id::new_id, name::LocalName, visibility::CommunityVisibility},
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
            diesel::insert_into(community_roles::table)
                .values((
                    community_roles::community_id.eq(c.id),
                    community_roles::actor_id.eq(owner.id),
                    community_roles::role.eq("owner"),
                    community_roles::created_at.eq(at),
                ))
                .execute(conn)?;
            // The owner is the first member.
            diesel::insert_into(follows::table)
                .values((
                    follows::id.eq(new_id()),
                    follows::follower_id.eq(owner.id),
                    follows::target_id.eq(c.id),
                    follows::state.eq("accepted"),
                    follows::created_at.eq(at),
                    follows::updated_at.eq(at),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await?;
    tracing::info!(community = %community.name, visibility = %community.visibility, "community created");
    Ok(community)
}
