//! `Page` (a thread), `Note` (a comment or a post): what people write, on the wire.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use url::Url;

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Whether an addressee is the public collection (in any of its spellings).
pub fn is_public(url: &Url) -> bool {
    matches!(url.as_str(), PUBLIC | "as:Public" | "Public")
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub content: String,
    pub media_type: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApPost {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    #[serde(deserialize_with = "super::refs::one_url")]
    pub attributed_to: Url,
    #[serde(default, deserialize_with = "addressees")]
    pub to: Vec<Url>,
    #[serde(
        default,
        deserialize_with = "addressees",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub cc: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content: String,
    /// Content by language (ActivityStreams' natural language values), read
    /// when `content` is absent (`text`); we write `content` only.
    #[serde(default, skip_serializing, deserialize_with = "lenient")]
    pub content_map: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing, deserialize_with = "lenient")]
    pub name_map: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, deserialize_with = "list")]
    pub tag: Vec<Tag>,
    #[serde(
        default,
        deserialize_with = "list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<Value>,
    /// A `Question`'s options: one of them, or any of them.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub one_of: Option<Vec<PollOption>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub any_of: Option<Vec<PollOption>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub end_time: Option<DateTime<Utc>>,
    /// When a `Question` closed (a date; some servers send `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub voters_count: Option<i64>,
    /// An `Event`'s date and place (empty for other objects).
    #[serde(flatten)]
    pub event: super::event::EventFields,
    /// A library document's folder and versions (empty for other objects).
    #[serde(flatten)]
    pub document: super::document::DocumentFields,
    /// Passerelle: a survey's questions, or a partner's answers to one.
    #[serde(flatten)]
    pub survey: super::survey::SurveyFields,
}

/// An option of a `Question`, with its votes so far.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PollOption {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<PollReplies>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PollReplies {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub total_items: i64,
}

/// A `Mention` or `Hashtag` (other tag types are kept as `Other` and ignored).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type")]
pub enum Tag {
    Mention {
        href: Url,
        #[serde(default)]
        name: Option<String>,
    },
    Hashtag {
        #[serde(default)]
        href: Option<Url>,
        name: String,
    },
    #[serde(other)]
    Other,
}

/// A natural language value: the plain one, else the map's English entry, else
/// its first (by language tag).
fn in_any_language(
    plain: Option<&str>,
    map: Option<&std::collections::BTreeMap<String, String>>,
) -> Option<String> {
    plain
        .filter(|p| !p.is_empty())
        .map(String::from)
        .or_else(|| {
            let map = map?;
            map.get("en").or_else(|| map.values().next()).cloned()
        })
}

impl ApPost {
    /// The content, from `content` or `contentMap`.
    pub fn text(&self) -> String {
        in_any_language(Some(&self.content), self.content_map.as_ref()).unwrap_or_default()
    }

    /// The title (or a poll vote's choice), from `name` or `nameMap`.
    pub fn title(&self) -> Option<String> {
        in_any_language(self.name.as_deref(), self.name_map.as_ref())
    }

    /// A vote for option `name` of `poll`, by `voter`, seen only by `author`.
    pub fn vote(id: Url, voter: Url, name: String, poll: Url, author: Url) -> ApPost {
        ApPost {
            kind: "Note".into(),
            id,
            attributed_to: voter,
            to: vec![author],
            cc: vec![],
            name: Some(name),
            content: String::new(),
            content_map: None,
            name_map: None,
            media_type: None,
            source: None,
            summary: None,
            sensitive: None,
            in_reply_to: Some(poll),
            audience: None,
            published: None,
            updated: None,
            url: None,
            tag: vec![],
            attachment: vec![],
            one_of: None,
            any_of: None,
            end_time: None,
            closed: None,
            voters_count: None,
            event: Default::default(),
            document: Default::default(),
            survey: Default::default(),
        }
    }

    /// A vote in a poll, as Mastodon sends it: a `Note` answering the `Question`
    /// with the option's title as `name` and no content.
    pub fn is_vote(&self) -> bool {
        self.kind == "Note"
            && self.name.is_some()
            && self.in_reply_to.is_some()
            && self.content.trim().is_empty()
    }

    /// A partner's answers to one of our surveys: a `Note` replying to it
    /// with Passerelle's `surveyAnswer` (and no name, so never a poll vote).
    pub fn is_survey_answer(&self) -> bool {
        self.kind == "Note" && self.in_reply_to.is_some() && self.survey.survey_answer.is_some()
    }

    /// Every addressee, `to` then `cc`.
    pub fn addressees(&self) -> impl Iterator<Item = &Url> {
        self.to.iter().chain(self.cc.iter())
    }
}

/// Addressees given as one URL, a list, or `null`; entries that are not URLs
/// (or are objects without an id) are dropped.
pub fn addressees<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items.iter().filter_map(super::refs::url_of).collect(),
        Value::Null => vec![],
        one => super::refs::url_of(&one).into_iter().collect(),
    })
}

/// One item or a list; items that do not parse are dropped instead of failing the whole object.
pub(crate) fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let v = Value::deserialize(d)?;
    let items = match v {
        Value::Array(items) => items,
        Value::Null => vec![],
        one => vec![one],
    };
    Ok(items
        .into_iter()
        .filter_map(|i| serde_json::from_value(i).ok())
        .collect())
}

pub(crate) fn lenient<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(serde_json::from_value(Value::deserialize(d)?).ok())
}
