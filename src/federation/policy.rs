//! Which remote hosts this instance federates with (`federation.mode` and lists).

use crate::{
    config::{FederationConfig, FederationMode},
    model::domain::DomainPattern,
};

#[derive(Debug, Clone)]
pub struct Policy {
    mode: FederationMode,
    allow: Vec<DomainPattern>,
    block: Vec<DomainPattern>,
}

impl Policy {
    pub fn from_config(c: &FederationConfig) -> Self {
        // validate() has checked every entry already.
        let parse = |v: &[String]| {
            v.iter()
                .filter_map(|d| DomainPattern::parse(d).ok())
                .collect()
        };
        Self {
            mode: c.mode,
            allow: parse(&c.allowlist),
            block: parse(&c.blocklist),
        }
    }

    /// Whether we exchange anything with `host` (a host name, as parsed from a URL).
    pub fn allows_host(&self, host: &str) -> bool {
        if self.block.iter().any(|p| p.matches(host)) {
            return false;
        }
        match self.mode {
            FederationMode::Open => true,
            FederationMode::Allowlist => self.allow.iter().any(|p| p.matches(host)),
            FederationMode::Closed => false,
        }
    }

    pub fn allows_url(&self, url: &url::Url) -> bool {
        url.host_str().is_some_and(|h| self.allows_host(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(mode: FederationMode, allow: &[&str], block: &[&str]) -> Policy {
        Policy::from_config(&FederationConfig {
            mode,
            allowlist: allow.iter().map(|s| s.to_string()).collect(),
            blocklist: block.iter().map(|s| s.to_string()).collect(),
            ..FederationConfig::default()
        })
    }

    #[test]
    fn modes() {
        let open = policy(FederationMode::Open, &[], &["*.bad.example"]);
        assert!(open.allows_host("good.example"));
        assert!(!open.allows_host("x.bad.example"));
        let allow = policy(FederationMode::Allowlist, &["*.partner.example"], &[]);
        assert!(allow.allows_host("a.partner.example"));
        assert!(!allow.allows_host("partner.example.evil.com"));
        assert!(!policy(FederationMode::Closed, &[], &[]).allows_host("partner.example"));
        let u = url::Url::parse("https://evil.com/partner.example").expect("url");
        assert!(!allow.allows_url(&u));
    }
}
