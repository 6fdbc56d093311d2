//! The streams a listener may follow, by their Mastodon names, and the listener.

use crate::{db::actors::Actor, error::AppError, service::oauth::Authenticated};

/// One stream a listener follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    /// Home timeline and notifications.
    User,
    Notifications,
    Public {
        local: Option<bool>,
    },
    Hashtag {
        tag: String,
        local: bool,
    },
    /// Direct conversations.
    Direct,
    /// One of the listener's lists (someone else's list sends nothing).
    List {
        id: i64,
    },
}

impl Stream {
    /// A stream by its Mastodon name; `tag` for hashtag streams, `list` for lists.
    pub fn parse(
        name: &str,
        tag: Option<&str>,
        list: Option<&str>,
    ) -> Result<Stream, &'static str> {
        let tag = || {
            tag.map(|t| t.trim_start_matches('#').to_lowercase())
                .filter(|t| !t.is_empty())
                .ok_or("The hashtag stream needs a tag")
        };
        Ok(match name {
            "user" => Stream::User,
            "user:notification" => Stream::Notifications,
            "public" | "public:media" => Stream::Public { local: None },
            "public:local" | "public:local:media" => Stream::Public { local: Some(true) },
            "public:remote" | "public:remote:media" => Stream::Public { local: Some(false) },
            "hashtag" => Stream::Hashtag {
                tag: tag()?,
                local: false,
            },
            "hashtag:local" => Stream::Hashtag {
                tag: tag()?,
                local: true,
            },
            "direct" => Stream::Direct,
            "list" => Stream::List {
                id: list
                    .and_then(|l| l.trim().parse().ok())
                    .ok_or("The list stream needs a list id")?,
            },
            _ => return Err("Unknown stream type"),
        })
    }

    /// The `stream` array of a message.
    pub(super) fn names(&self) -> Vec<String> {
        let name = match self {
            Stream::User => "user",
            Stream::Notifications => "user:notification",
            Stream::Public { local: None } => "public",
            Stream::Public { local: Some(true) } => "public:local",
            Stream::Public { local: Some(false) } => "public:remote",
            Stream::Hashtag { local: false, .. } => "hashtag",
            Stream::Hashtag { local: true, .. } => "hashtag:local",
            Stream::Direct => "direct",
            Stream::List { .. } => "list",
        };
        match self {
            Stream::Hashtag { tag, .. } => vec![name.into(), tag.clone()],
            Stream::List { id } => vec![name.into(), id.to_string()],
            _ => vec![name.into()],
        }
    }

    /// The scope a token needs for it; `None`: anyone, signed in or not.
    pub(super) fn scope(&self) -> Option<&'static str> {
        match self {
            Stream::User | Stream::Direct => Some("read:statuses"),
            Stream::List { .. } => Some("read:lists"),
            Stream::Notifications => Some("read:notifications"),
            _ => None,
        }
    }
}

/// Someone listening, and what to.
pub(super) struct Listener {
    pub(super) viewer: Option<Actor>,
    pub(super) auth: Option<Authenticated>,
    pub(super) streams: Vec<Stream>,
    /// Held while an anonymous listener listens (see `stream_shared`).
    pub(super) _slot: Option<crate::api::mastodon::stream_shared::Slot>,
}

impl Listener {
    pub(super) fn add(&mut self, stream: Stream) -> Result<(), AppError> {
        if let Some(scope) = stream.scope() {
            let Some(auth) = &self.auth else {
                return Err(AppError::unauthorized("Missing access token"));
            };
            if !auth.scopes.grants(scope) {
                return Err(AppError::forbidden(
                    "This action is outside the authorized scopes",
                ));
            }
            if auth.user.is_none() {
                return Err(AppError::unprocessable(
                    "This method requires an authenticated user",
                ));
            }
        }
        if !self.streams.contains(&stream) {
            self.streams.push(stream);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Stream;

    #[test]
    fn streams_parse_by_their_mastodon_names() {
        assert_eq!(Stream::parse("user", None, None), Ok(Stream::User));
        assert_eq!(
            Stream::parse("public:local", None, None),
            Ok(Stream::Public { local: Some(true) })
        );
        assert_eq!(
            Stream::parse("hashtag", Some("#Rust"), None),
            Ok(Stream::Hashtag {
                tag: "rust".into(),
                local: false
            })
        );
        assert!(Stream::parse("hashtag", None, None).is_err());
        assert!(Stream::parse("list", None, None).is_err());
        assert_eq!(
            Stream::parse("list", None, Some("12")),
            Ok(Stream::List { id: 12 })
        );
        assert!(Stream::parse("nonsense", None, None).is_err());
        assert_eq!(
            Stream::parse("hashtag", Some("x"), None).unwrap().names(),
            ["hashtag", "x"]
        );
    }
}
