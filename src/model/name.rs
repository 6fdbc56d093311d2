//! Local names: people and communities share one name space per instance.

use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{0}")]
pub struct NameError(&'static str);

/// Names reserved for routes, roles and well-known mailboxes, so no person or
/// community can take them (sign-up, the CLI's `admin create-user` and new
/// communities alike: they share one name space). Compared lowercase.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "system",
    "actor",
    "inbox",
    "outbox",
    "api",
    "oauth",
    "users",
    "c",
    "u",
    "well-known",
    "nodeinfo",
    "healthz",
    "static",
    "media",
    "about",
    "passerelle",
    "support",
    "security",
    "abuse",
    "postmaster",
    "webmaster",
    // Roles and pages people could mistake for the server's own voice.
    "moderator",
    "moderators",
    "settings",
    "metrics",
    "instance",
    "public",
    "local",
    "noreply",
    "no_reply",
    "statuses",
    "help",
    "www",
];

/// A local person's or community's name: 1–30 of `a-z 0-9 _`, stored lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalName(String);

impl LocalName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let name = raw.trim().to_ascii_lowercase();
        if name.is_empty() || name.len() > 30 {
            return Err(NameError("a name has 1 to 30 characters"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(NameError("a name uses only letters, digits and _"));
        }
        if RESERVED.contains(&name.as_str()) {
            return Err(NameError("this name is reserved"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocalName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `name` or `name@domain` (a leading `@` and an `acct:` prefix are accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    pub name: String,
    pub domain: Option<String>,
}

impl Handle {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let raw = raw.strip_prefix("acct:").unwrap_or(raw);
        let raw = raw.strip_prefix('@').unwrap_or(raw);
        let (name, domain) = match raw.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (raw, None),
        };
        let name_ok = !name.is_empty()
            && name.len() <= 100
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        let domain_ok = domain.is_none_or(|d| {
            !d.is_empty()
                && d.len() <= 253
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        });
        (name_ok && domain_ok).then(|| Self {
            name: name.to_string(),
            domain: domain.map(str::to_ascii_lowercase),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names() {
        assert_eq!(
            LocalName::parse("Alice_1").map(|n| n.0),
            Ok("alice_1".into())
        );
        for bad in ["", "a b", "émile", "inbox", &"x".repeat(31)] {
            assert!(LocalName::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn handles() {
        let h = Handle::parse("acct:alice@Social.Example").expect("handle");
        assert_eq!(h.name, "alice");
        assert_eq!(h.domain.as_deref(), Some("social.example"));
        assert_eq!(Handle::parse("@bob").map(|h| h.domain), Some(None));
        assert!(Handle::parse("a@b@c").is_none());
        assert!(Handle::parse("").is_none());
        assert!(Handle::parse("x@evil.com/path").is_none());
    }
}
