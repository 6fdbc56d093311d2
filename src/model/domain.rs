//! Host names: this instance's domain and the patterns of allow/block lists.

use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("`{0}` is not a valid domain: {1}")]
pub struct DomainError(String, &'static str);

/// `host` or `host:port`, lowercase, nothing else (no scheme, path, user or query).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceDomain(String);

impl InstanceDomain {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let err = |why| DomainError(raw.to_string(), why);
        if raw.is_empty() {
            return Err(err("empty"));
        }
        if raw.contains(['/', '@', '?', '#', ' ', '\\']) {
            return Err(err(
                "use a bare host name such as social.example.com or localhost:8080",
            ));
        }
        // Let the URL parser do the strict host and port parsing.
        let url = url::Url::parse(&format!("http://{raw}")).map_err(|_| err("unparsable"))?;
        let host = match url.host() {
            Some(url::Host::Domain(h)) => h.to_string(),
            _ => return Err(err("must be a DNS name, not an IP address")),
        };
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Err(err("contains characters not allowed in a host name"));
        }
        Ok(match url.port() {
            Some(p) => Self(format!("{host}:{p}")),
            None if raw.ends_with(":80") => Self(format!("{host}:80")),
            None => Self(host),
        })
    }

    /// For values already validated elsewhere.
    pub fn unchecked(raw: &str) -> Self {
        Self(raw.to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `domain` (as given in an `acct:` URI) names this instance.
    pub fn matches(&self, domain: &str) -> bool {
        self.0.eq_ignore_ascii_case(domain)
    }
}

impl fmt::Display for InstanceDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An entry of `federation.allowlist` / `blocklist`: `partner.example` (that host)
/// or `*.partner.example` (that host's subdomains and the host itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPattern {
    base: String,
    wildcard: bool,
}

impl DomainPattern {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let (wildcard, rest) = match raw.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let domain = InstanceDomain::parse(rest)?;
        Ok(Self {
            base: domain.0,
            wildcard,
        })
    }

    /// Strict comparison on an authority (`host` or `host:port`) already extracted
    /// by a URL parser. A pattern without a port matches the host on any port; one
    /// with a port (`localhost:8081`, for test rigs) only that port.
    pub fn matches(&self, authority: &str) -> bool {
        let authority = authority.to_ascii_lowercase();
        let subject = if self.base.contains(':') {
            authority.as_str()
        } else {
            host_of(&authority)
        };
        if subject == self.base {
            return true;
        }
        self.wildcard
            && subject
                .strip_suffix(&self.base)
                .is_some_and(|prefix| prefix.ends_with('.'))
    }

    /// The pattern as written in lists (`*.partner.example`, `partner.example`).
    pub fn as_string(&self) -> String {
        if self.wildcard {
            format!("*.{}", self.base)
        } else {
            self.base.clone()
        }
    }
}

/// The host part of `host`, `host:port` or `[v6]:port`.
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .find(']')
            .map_or(authority, |end| &authority[..=end]);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_domains() {
        assert_eq!(
            InstanceDomain::parse("Social.Example.com").map(|d| d.0),
            Ok("social.example.com".into())
        );
        assert_eq!(
            InstanceDomain::parse("localhost:8080").map(|d| d.0),
            Ok("localhost:8080".into())
        );
        for bad in [
            "",
            "https://x.example",
            "x.example/path",
            "a@b.example",
            "127.0.0.1",
            "x.example:99999",
            "a b",
        ] {
            assert!(InstanceDomain::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn patterns_match_strictly() {
        let p = DomainPattern::parse("*.partner.example").expect("pattern");
        assert!(p.matches("partner.example"));
        assert!(p.matches("a.partner.example"));
        assert!(p.matches("A.B.Partner.Example"));
        assert!(!p.matches("evilpartner.example"));
        assert!(!p.matches("partner.example.evil.com"));
        let exact = DomainPattern::parse("partner.example").expect("pattern");
        assert!(!exact.matches("a.partner.example"));
        assert!(DomainPattern::parse("evil.com/partner.example").is_err());
        assert!(DomainPattern::parse("partner.example@evil.com").is_err());
        assert!(DomainPattern::parse("*.*.partner.example").is_err());
    }

    #[test]
    fn ports_in_patterns_and_authorities() {
        let host = DomainPattern::parse("partner.example").expect("pattern");
        assert!(host.matches("partner.example:8443"), "any port of the host");
        assert!(!host.matches("partner.example.evil.com:443"));
        let with_port = DomainPattern::parse("localhost:8081").expect("pattern");
        assert!(with_port.matches("localhost:8081"));
        assert!(!with_port.matches("localhost:8082"));
        assert!(!with_port.matches("localhost"));
        let wild = DomainPattern::parse("*.partner.example").expect("pattern");
        assert!(wild.matches("a.partner.example:8080"));
        assert!(!wild.matches("a.partner.example.evil:8080"));
        assert!(!wild.matches("[::1]:8080"));
        assert_eq!(wild.as_string(), "*.partner.example");
    }
}
