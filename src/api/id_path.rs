//! `IdPath`: a numeric id from the route (`/statuses/{id}`). A segment that is
//! not a number is 404 with a JSON body, as for an id that does not exist: ids
//! are opaque to clients, and an unparsable one names nothing. One that does not
//! even decode (`%FF`) is the client's error: 400.

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};

use crate::error::AppError;

pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| {
                AppError::new(rejection.status(), "The path could not be decoded")
            })?;
        raw.parse().map(IdPath).map_err(|_| AppError::not_found())
    }
}

/// An id given elsewhere (a form field, a route with several parameters): the
/// same rule as [`IdPath`].
pub fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::not_found())
}
