//! Finding a person by handle, for pages and forms that name one.

use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    model::actor::ActorKind,
    state::AppState,
};

/// A person by `name` (ours) or `name@domain` (known here), a leading `@`
/// allowed; suspended and deleted accounts are not found.
pub async fn by_handle(state: &AppState, handle: &str) -> AppResult<Actor> {
    let handle = handle.trim().trim_start_matches('@').to_string();
    let ours = state.urls.domain().to_string();
    let found = state
        .db
        .run(move |c| {
            Ok(match handle.split_once('@') {
                Some((n, d)) if !d.eq_ignore_ascii_case(&ours) => {
                    db::actors::remote_by_handle(c, n, d)?
                }
                Some((n, _)) => db::actors::local_by_name_and_kind(c, n, ActorKind::Person)?,
                None => db::actors::local_by_name_and_kind(c, &handle, ActorKind::Person)?,
            })
        })
        .await?;
    match found {
        Some(a)
            if a.kind() == ActorKind::Person
                && a.deleted_at.is_none()
                && a.suspended_at.is_none() =>
        {
            Ok(a)
        }
        _ => Err(AppError::not_found()),
    }
}
