//! Request extractors that accept what real Mastodon clients send: JSON, form and
//! multipart bodies for the same endpoint, Rails-style arrays (`id[]=1`), nested
//! keys (`poll[options][]=a`) and booleans as strings. Every rejection is a JSON error.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Multipart, Request},
    http::{header, request::Parts},
};
use serde::{Deserialize, Deserializer, de::DeserializeOwned};

use crate::error::AppError;

fn qs_config() -> serde_qs::Config {
    // Not strict: clients percent-encode the brackets (`id%5B%5D=1`).
    serde_qs::Config::new(5, false)
}

/// Parses a form or query string. A key repeated without `[]` keeps its last value,
/// as Rails does (Mastodon.py, for one, repeats keys it does not mean to send).
fn parse_form<T: DeserializeOwned>(raw: &[u8]) -> Result<T, AppError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(raw) {
        if !k.contains('[')
            && let Some(existing) = pairs.iter_mut().find(|(key, _)| *key == k)
        {
            existing.1 = v.into_owned();
            continue;
        }
        pairs.push((k.into_owned(), v.into_owned()));
    }
    let normalised = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    qs_config().deserialize_str(&normalised).map_err(qs_error)
}

fn qs_error(e: serde_qs::Error) -> AppError {
    AppError::unprocessable(format!("Validation failed: {e}"))
}

/// Query string parsed with Rails-style arrays and nested keys.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parse_form(parts.uri.query().unwrap_or("").as_bytes()).map(Query)
    }
}

/// A request body in any of the three encodings clients use (or none at all).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let multipart = Multipart::from_request(req, state).await.map_err(|e| {
                AppError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
            })?;
            let form = multipart_to_form(multipart).await?;
            return parse_form(form.as_bytes()).map(Body);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::payload_too_large()
            } else {
                AppError::bad_request(e.body_text())
            }
        })?;
        if content_type.starts_with("application/json") || content_type.ends_with("+json") {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return parse_json(b"{}").map(Body);
            }
            return parse_json(&bytes).map(Body);
        }
        // Form-encoded, or no content type with an empty body.
        parse_form(&bytes).map(Body)
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            AppError::unprocessable(format!("Validation failed: {e}"))
        }
        _ => AppError::bad_request(format!("Malformed JSON body: {e}")),
    })
}

/// A body like [`Body`], with the files of a multipart one (profile pictures):
/// `(field name, bytes)`, each at most the media image limit (413 beyond it).
/// Its route lifts the global body limit.
pub struct BodyWithFiles<T> {
    pub form: T,
    pub files: Vec<(String, Vec<u8>)>,
}

impl<T: DeserializeOwned> FromRequest<crate::state::AppState> for BodyWithFiles<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &crate::state::AppState) -> Result<Self, AppError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"));
        if !multipart {
            // Without the global limit on this route, plain bodies keep it.
            let limit = state.config.server.max_body_bytes;
            let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
            let Body(form) = Body::from_request(req, state).await?;
            return Ok(BodyWithFiles {
                form,
                files: vec![],
            });
        }
        let malformed = |e: axum::extract::multipart::MultipartError| {
            AppError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
        };
        let mut multipart = Multipart::from_request(req, state).await.map_err(|e| {
            AppError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
        })?;
        let max = state.config.media.max_image_bytes;
        let (mut pairs, mut files) = (Vec::new(), Vec::new());
        while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            if field.file_name().is_some() {
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                    if bytes.len() + chunk.len() > max {
                        return Err(AppError::payload_too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                files.push((name, bytes));
            } else {
                let text = field.text().await.map_err(malformed)?;
                if text.len() > 64 * 1024 {
                    return Err(AppError::payload_too_large());
                }
                pairs.push((name, text));
            }
        }
        let mut encoded = url::form_urlencoded::Serializer::new(String::new());
        encoded.extend_pairs(pairs);
        let form = parse_form(encoded.finish().as_bytes())?;
        Ok(BodyWithFiles { form, files })
    }
}

/// Text fields of a multipart body, re-encoded as a form so one parser handles both.
async fn multipart_to_form(mut multipart: Multipart) -> Result<String, AppError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::payload_too_large()
        } else {
            AppError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
        }
    })? {
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        if field.file_name().is_some() {
            // File parts belong to the media endpoints, which read them themselves.
            continue;
        }
        let text = field.text().await.map_err(|e| {
            AppError::bad_request(format!("Malformed multipart field: {}", e.body_text()))
        })?;
        pairs.push((name, text));
    }
    // Built after the last await: the serializer is not Send.
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(pairs);
    Ok(form.finish())
}

/// `true`, `"true"`, `"1"`, `1`, `"on"` … as clients send them.
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bool(bool),
        Int(i64),
        Str(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Bool(b)) => Ok(Some(b)),
        Some(Raw::Int(i)) => Ok(Some(i != 0)),
        Some(Raw::Str(s)) => match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "on" | "yes" | "t" => Ok(Some(true)),
            "false" | "0" | "off" | "no" | "f" | "" => Ok(Some(false)),
            other => Err(serde::de::Error::custom(format!(
                "`{other}` is not a boolean"
            ))),
        },
    }
}

/// A whole number sent as a number or as a string (forms send strings).
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Str(String),
    }
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::Int(i)) => Ok(Some(i)),
        Some(Raw::Str(s)) if s.trim().is_empty() => Ok(None),
        Some(Raw::Str(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a whole number"))),
    }
}

/// A list of whole numbers, each a number or a string (`choices[]=0&choices[]=2`).
pub fn lenient_i64_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Str(String),
    }
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<Raw>),
        One(Raw),
    }
    let items = match Option::<OneOrMany>::deserialize(d)? {
        None => vec![],
        Some(OneOrMany::Many(v)) => v,
        Some(OneOrMany::One(r)) => vec![r],
    };
    items
        .into_iter()
        .map(|r| match r {
            Raw::Int(i) => Ok(i),
            Raw::Str(s) => s
                .trim()
                .parse()
                .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a whole number"))),
        })
        .collect()
}

/// A list given as an array, or as one string of space- or newline-separated items.
pub fn string_or_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        One(String),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|raw| match raw {
        Raw::List(v) => v,
        Raw::One(s) => s.split_whitespace().map(String::from).collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Form {
        #[serde(default, rename = "id")]
        ids: Vec<String>,
        #[serde(default, deserialize_with = "lenient_bool")]
        flag: Option<bool>,
        poll: Option<Poll>,
    }

    #[derive(Deserialize, Debug)]
    struct Poll {
        options: Vec<String>,
        expires_in: String,
    }

    #[test]
    fn rails_arrays_nested_keys_and_string_booleans() {
        let f: Form = parse_form(b"id[]=1&id%5B%5D=2&flag=1&poll[options][]=a&poll[options][]=b&poll[expires_in]=60&x=1&x=2")
            .expect("form");
        assert_eq!(f.ids, vec!["1", "2"]);
        assert_eq!(f.flag, Some(true));
        let poll = f.poll.expect("poll");
        assert_eq!(poll.options, vec!["a", "b"]);
        assert_eq!(poll.expires_in, "60");
        let j: Form = serde_json::from_str(r#"{"id":["3"],"flag":"false"}"#).expect("json");
        assert_eq!(j.flag, Some(false));
    }
}
