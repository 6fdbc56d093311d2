//! References to other objects as servers write them: a URL, an embedded object
//! with an `id` (Fedify embeds the actor of the `Follow` it accepts), or a list of
//! those (PeerTube's `attributedTo`; the first that names one is taken). The one
//! leniency for every field that names another object.

use activitypub_federation::{fetch::object_id::ObjectId, traits::Object};
use serde::{Deserialize, Deserializer, de::Error};
use serde_json::Value;
use url::Url;

/// The URL a reference names, if it names one.
pub fn url_of(v: &Value) -> Option<Url> {
    match v {
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(m) => m
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok()),
        Value::Array(items) => items.iter().find_map(url_of),
        _ => None,
    }
}

/// A field naming one object (`actor`, `object`, `attributedTo`).
pub fn one<'de, D, T>(d: D) -> Result<ObjectId<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Object + Send + 'static,
    for<'a> <T as Object>::Kind: Deserialize<'a>,
{
    one_url(d).map(ObjectId::from)
}

/// The same, as a plain URL.
pub fn one_url<'de, D: Deserializer<'de>>(d: D) -> Result<Url, D::Error> {
    let v = Value::deserialize(d)?;
    url_of(&v).ok_or_else(|| D::Error::custom("expected a URL, or an object with an `id`"))
}

/// An optional reference, as a string; `None` when it names nothing.
pub fn maybe<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(url_of(&v).map(String::from))
}

#[cfg(test)]
mod tests {
    use super::url_of;
    use serde_json::json;

    #[test]
    fn references_in_every_form() {
        let want = Some(url::Url::parse("https://a.example/users/x").unwrap());
        for v in [
            json!("https://a.example/users/x"),
            json!({"id": "https://a.example/users/x", "type": "Person"}),
            json!([{"type": "Link"}, "https://a.example/users/x"]),
        ] {
            assert_eq!(url_of(&v), want, "{v}");
        }
        for v in [
            json!(null),
            json!(3),
            json!({"type": "Person"}),
            json!("not a url"),
        ] {
            assert_eq!(url_of(&v), None, "{v}");
        }
    }
}
