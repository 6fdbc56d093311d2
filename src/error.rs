//! One error type for the whole server: an HTTP status, a message that is safe to
//! show a client, and a private cause that is logged with where it was raised.

use std::panic::Location;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub message: String,
    cause: Option<anyhow::Error>,
    location: &'static Location<'static>,
    /// Extra headers (e.g. `WWW-Authenticate`).
    www_authenticate: Option<&'static str>,
    /// Seconds for `Retry-After` (429, 503).
    retry_after: Option<u64>,
    /// OAuth endpoints answer `{"error": code, "error_description": …}` (RFC 6749).
    description: Option<String>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    #[track_caller]
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            cause: None,
            location: Location::caller(),
            www_authenticate: None,
            retry_after: None,
            description: None,
        }
    }

    /// An OAuth 2 error: `code` is one of RFC 6749's (`invalid_grant`…).
    #[track_caller]
    pub fn oauth(status: StatusCode, code: &str, description: impl Into<String>) -> Self {
        let mut e = Self::new(status, code);
        e.description = Some(description.into());
        e
    }

    #[track_caller]
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    #[track_caller]
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    #[track_caller]
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Record not found")
    }

    #[track_caller]
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 401 with the `WWW-Authenticate` challenge OAuth clients expect.
    #[track_caller]
    pub fn unauthorized(message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::UNAUTHORIZED, message);
        e.www_authenticate = Some("Bearer realm=\"passerelle\", error=\"invalid_token\"");
        e
    }

    #[track_caller]
    pub fn payload_too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large")
    }

    #[track_caller]
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error").with_cause(cause)
    }

    #[track_caller]
    pub fn db_unavailable(cause: impl Into<anyhow::Error>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "Database unavailable").with_cause(cause)
    }

    /// Tells the client when to try again (at least a second).
    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Self {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        self.retry_after = Some(secs.max(1));
        self
    }

    pub fn with_cause(mut self, cause: impl Into<anyhow::Error>) -> Self {
        self.cause = Some(cause.into());
        self
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.message)?;
        if let Some(c) = &self.cause {
            write!(f, ": {c:#}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AppError {}

impl From<diesel::result::Error> for AppError {
    #[track_caller]
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Self::not_found(),
            other => Self::internal(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(
                status = %self.status,
                at = %self.location,
                cause = ?self.cause,
                "{}", self.message
            );
        } else if let Some(cause) = &self.cause {
            tracing::debug!(status = %self.status, at = %self.location, cause = %cause, "{}", self.message);
        }
        let body = match &self.description {
            Some(d) => serde_json::json!({ "error": self.message, "error_description": d }),
            None => serde_json::json!({ "error": self.message }),
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(challenge) = self.www_authenticate {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            // The rest of the body was not read: the connection cannot carry
            // another request, and a client that pooled it would send one.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// A 422 naming the field, for validation failures in services.
#[track_caller]
pub fn invalid_field(field: &str, why: impl std::fmt::Display) -> AppError {
    AppError::unprocessable(format!("Validation failed: {field} {why}"))
}

impl From<activitypub_federation::error::Error> for AppError {
    #[track_caller]
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as F;

        use crate::federation::fetch_guard::FetchRefused;
        let status = match &e {
            F::NotFound | F::ObjectDeleted(_) => StatusCode::NOT_FOUND,
            F::ActivitySignatureInvalid | F::ActivityBodyDigestInvalid => StatusCode::UNAUTHORIZED,
            F::ResponseBodyLimit => StatusCode::PAYLOAD_TOO_LARGE,
            F::ReqwestMiddleware(reqwest_middleware::Error::Middleware(m))
                if matches!(
                    m.downcast_ref::<FetchRefused>(),
                    Some(FetchRefused::WrongContentType(_))
                ) =>
            {
                StatusCode::BAD_REQUEST
            }
            F::ReqwestMiddleware(reqwest_middleware::Error::Middleware(m))
                if matches!(
                    m.downcast_ref::<FetchRefused>(),
                    Some(FetchRefused::Denied(_))
                ) =>
            {
                StatusCode::NOT_FOUND
            }
            F::Reqwest(_) | F::ReqwestMiddleware(_) | F::IoError(_) => StatusCode::BAD_GATEWAY,
            F::StopActivityQueue(_)
            | F::ActivityQueueError(_)
            | F::SerializeOutgoingActivity(..) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        // Fixed texts: the library's own can quote a remote server's body or
        // name internal addresses. The cause is logged.
        let message = match (&e, status) {
            (_, StatusCode::UNAUTHORIZED) => "Invalid signature",
            (_, StatusCode::BAD_GATEWAY) => "Remote server unavailable",
            (_, StatusCode::INTERNAL_SERVER_ERROR) => "Internal server error",
            (_, StatusCode::NOT_FOUND) => "Record not found",
            (_, StatusCode::PAYLOAD_TOO_LARGE) => "The remote object is too large",
            (F::UrlVerificationError(why), _) => why,
            (F::WebfingerResolveFailed(_), _) => "The account could not be resolved",
            (F::DomainResolveError(_) | F::ResolveInternalIpError(..), _) => {
                "The address is not a public server"
            }
            _ => "Invalid or unsupported ActivityPub data",
        };
        Self::new(status, message).with_cause(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn federation_errors_never_quote_the_remote_body() {
        let parse = serde_json::from_str::<u8>("x").expect_err("not a number");
        let url = url::Url::parse("https://remote.example/o/1").expect("url");
        let e = AppError::from(activitypub_federation::error::Error::ParseFetchedObject(
            parse,
            url,
            "internal secret page".into(),
        ));
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(!e.message.contains("secret"), "{}", e.message);
        let e = AppError::from(activitypub_federation::error::Error::DomainResolveError(
            "intranet.corp".into(),
        ));
        assert!(!e.message.contains("intranet"), "{}", e.message);
    }
}
