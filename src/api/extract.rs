//! Request extractors that accept what real Mastodon clients send: JSON, form and
//! multipart bodies for the same endpoint, Rails-style arrays (`id[]=1`), nested
//! keys (`poll[options][]=a`) and booleans as strings. Every rejection is a JSON error.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Multipart, Request},
    http::{StatusCode, header, request::Parts},
};
use serde::{Deserialize, Deserializer, de::DeserializeOwned};

use crate::error::AppError;

/// Fields a form or query string may have. Real clients send a few dozen; the cap
/// keeps a body of 200,000 tiny fields from costing more than it is worth.
pub const MAX_FORM_FIELDS: usize = 1000;

fn qs_config() -> serde_qs::Config {
    // Not strict: clients percent-encode the brackets (`id%5B%5D=1`).
    serde_qs::Config::new(5, false)
}

/// Parses a form or query string. A key repeated without `[]` keeps its last value,
/// as Rails does (Mastodon.py, for one, repeats keys it does not mean to send).
/// Linear in the input (an index finds repeats) and capped at [`MAX_FORM_FIELDS`].
pub(super) fn parse_form<T: DeserializeOwned>(raw: &[u8]) -> Result<T, AppError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (count, (k, v)) in url::form_urlencoded::parse(raw).enumerate() {
        if count >= MAX_FORM_FIELDS {
            return Err(AppError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Too many form fields (at most {MAX_FORM_FIELDS})"),
            ));
        }
        if k.contains('\0') || v.contains('\0') {
            return Err(nul_refused());
        }
        if !k.contains('[') {
            if let Some(&at) = index.get(k.as_ref()) {
                pairs[at].1 = v.into_owned();
                continue;
            }
            index.insert(k.clone().into_owned(), pairs.len());
        }
        pairs.push((k.into_owned(), v.into_owned()));
    }
    let normalised = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    qs_config().deserialize_str(&normalised).map_err(qs_error)
}

/// NUL is no character anyone types; PostgreSQL refuses it in text and SQLite's
/// full-text search chokes on it, so it stops here with a clear answer.
fn nul_refused() -> AppError {
    AppError::unprocessable("Validation failed: text must not contain NUL characters")
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
            let multipart = Multipart::from_request(req, state)
                .await
                .map_err(super::multipart::rejected)?;
            let form = super::multipart::text_fields_as_form(multipart).await?;
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
    let value = serde_json::from_slice(bytes).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            AppError::unprocessable(format!("Validation failed: {e}"))
        }
        _ => AppError::bad_request(format!("Malformed JSON body: {e}")),
    })?;
    if json_has_nul(bytes) {
        return Err(nul_refused());
    }
    Ok(value)
}

/// Whether valid JSON text holds a `\u0000` escape (a raw NUL is invalid JSON).
/// Backslashes only occur inside strings, so skipping each escaped character is
/// enough to tell `\u0000` from `\\u0000`.
fn json_has_nul(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'\\') {
        let escape = rest.get(at + 1..).unwrap_or_default();
        if escape.starts_with(b"u0000") {
            return true;
        }
        rest = escape.get(1..).unwrap_or_default();
    }
    false
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

    #[derive(Deserialize, Debug)]
    struct Plain {
        x: Option<String>,
        #[serde(default, rename = "id")]
        ids: Vec<String>,
    }

    #[test]
    fn repeated_keys_keep_the_last_value_and_arrays_keep_every_value() {
        let f: Plain = parse_form(b"x=1&id[]=a&x=2&id[]=b&x=3").expect("form");
        assert_eq!(f.x.as_deref(), Some("3"));
        assert_eq!(f.ids, vec!["a", "b"]);
    }

    #[test]
    fn nul_characters_are_refused_in_forms_and_json() {
        let err = parse_form::<Plain>(b"x=a%00b").expect_err("NUL in a form");
        assert_eq!(err.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        let err = parse_json::<Plain>(br#"{"x":"a\u0000b"}"#).expect_err("NUL in JSON");
        assert_eq!(err.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        // An escaped backslash followed by `u0000` is six ordinary characters.
        let f: Plain = parse_json(br#"{"x":"a\\u0000"}"#).expect("no NUL");
        assert_eq!(f.x.as_deref(), Some("a\\u0000"));
    }

    #[test]
    fn forms_with_too_many_fields_are_refused() {
        let at_cap: String = (0..MAX_FORM_FIELDS).map(|i| format!("k{i}=v&")).collect();
        assert!(parse_form::<Plain>(at_cap.as_bytes()).is_ok());
        let over = format!("{at_cap}x=1");
        let err = parse_form::<Plain>(over.as_bytes()).expect_err("over the cap");
        assert_eq!(err.status, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        assert!(err.message.contains("fields"), "{}", err.message);
        // Repeats count too: one key sent 200,000 times is no cheaper to refuse late.
        let repeated = "x=1&".repeat(MAX_FORM_FIELDS + 1);
        assert!(parse_form::<Plain>(repeated.as_bytes()).is_err());
    }
}
