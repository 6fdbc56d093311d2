//! Which remote servers this instance federates with (`federation.mode` and the
//! allow, block and partner lists), and which of them are partners.
//!
//! The lists in `config.toml` always apply; administrators add entries at runtime
//! (admin API, table `federation_domains`) and may change the mode (stored with
//! the instance settings). Every node reloads both every few seconds
//! (`instance_settings::spawn_refresh`), and at once after a change it made itself.

use std::{
    fmt,
    str::FromStr,
    sync::{Arc, RwLock},
};

use crate::{
    config::{FederationConfig, FederationMode},
    db,
    error::AppResult,
    federation::objects::authority,
    model::domain::DomainPattern,
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Allow,
    Block,
    Partner,
}

impl ListKind {
    pub const ALL: [ListKind; 3] = [Self::Allow, Self::Block, Self::Partner];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Block => "block",
            Self::Partner => "partner",
        }
    }
}

impl FromStr for ListKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "allow" => Ok(Self::Allow),
            "block" => Ok(Self::Block),
            "partner" => Ok(Self::Partner),
            other => Err(format!("unknown list `{other}` (allow, block or partner)")),
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default)]
struct Lists {
    allow: Vec<DomainPattern>,
    block: Vec<DomainPattern>,
    partner: Vec<DomainPattern>,
}

impl Lists {
    fn get(&self, kind: ListKind) -> &[DomainPattern] {
        match kind {
            ListKind::Allow => &self.allow,
            ListKind::Block => &self.block,
            ListKind::Partner => &self.partner,
        }
    }

    fn push(&mut self, kind: ListKind, p: DomainPattern) {
        match kind {
            ListKind::Allow => self.allow.push(p),
            ListKind::Block => self.block.push(p),
            ListKind::Partner => self.partner.push(p),
        }
    }

    fn any(&self, kind: ListKind, authority: &str) -> bool {
        self.get(kind).iter().any(|p| p.matches(authority))
    }
}

/// One entry of a list, and whether it comes from `config.toml` (not removable
/// at runtime) or from an administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub list: ListKind,
    pub pattern: String,
    pub from_config: bool,
}

#[derive(Debug, Clone)]
pub struct Policy(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// `config.toml`'s mode, or the one an administrator chose at runtime.
    mode: RwLock<FederationMode>,
    /// `federation.authorized_fetch` as configured (unset: follows the mode).
    authorized_fetch: Option<bool>,
    /// `federation.allow_insecure`: plain http and IP literals allowed (test rigs).
    insecure: bool,
    config: Lists,
    runtime: RwLock<Lists>,
}

impl Policy {
    pub fn from_config(c: &FederationConfig) -> Self {
        // validate() has checked every entry already.
        let parse = |v: &[String]| {
            v.iter()
                .filter_map(|d| DomainPattern::parse(d).ok())
                .collect()
        };
        Self(Arc::new(Inner {
            mode: RwLock::new(c.mode),
            authorized_fetch: c.authorized_fetch,
            insecure: c.allow_insecure,
            config: Lists {
                allow: parse(&c.allowlist),
                block: parse(&c.blocklist),
                partner: parse(&c.partners),
            },
            runtime: RwLock::default(),
        }))
    }

    pub fn mode(&self) -> FederationMode {
        self.0.mode.read().map_or(FederationMode::Closed, |m| *m)
    }

    pub fn set_mode(&self, mode: FederationMode) {
        if let Ok(mut m) = self.0.mode.write() {
            *m = mode;
        }
    }

    /// Whether ActivityPub GETs need a signature: as configured, else whenever
    /// federation is limited (a server off the allowlist must not read even
    /// public documents anonymously).
    pub fn authorized_fetch(&self) -> bool {
        self.0
            .authorized_fetch
            .unwrap_or(self.mode() != FederationMode::Open)
    }

    /// Whether any allowlist entry exists (config or runtime).
    pub fn has_allowlist(&self) -> bool {
        !self.0.config.allow.is_empty() || self.0.runtime.read().is_ok_and(|r| !r.allow.is_empty())
    }

    fn any(&self, kind: ListKind, authority: &str) -> bool {
        self.0.config.any(kind, authority)
            || self.0.runtime.read().is_ok_and(|r| r.any(kind, authority))
    }

    /// Whether we exchange anything with the server at `authority` (`host` or
    /// `host:port`, as parsed from a URL).
    pub fn allows_authority(&self, authority: &str) -> bool {
        if self.any(ListKind::Block, authority) {
            return false;
        }
        match self.mode() {
            FederationMode::Open => true,
            FederationMode::Allowlist => self.any(ListKind::Allow, authority),
            FederationMode::Closed => false,
        }
    }

    /// A URL we may fetch from or deliver to: https on a DNS name (an IP literal
    /// would skip the resolver that refuses private addresses), and an allowed host.
    pub fn allows_url(&self, url: &url::Url) -> bool {
        let safe = self.0.insecure || (url.scheme() == "https" && url.domain().is_some());
        safe && url.host_str().is_some() && self.allows_authority(&authority(url))
    }

    /// A partner server: allowed, and on the partner list (in `allowlist` mode,
    /// the allowlist is the partner list).
    pub fn is_partner(&self, authority: &str) -> bool {
        self.allows_authority(authority)
            && (self.any(ListKind::Partner, authority)
                || (self.mode() == FederationMode::Allowlist
                    && self.any(ListKind::Allow, authority)))
    }

    /// Every entry, configuration first.
    pub fn entries(&self) -> Vec<Entry> {
        let mut out = Vec::new();
        let runtime = self.0.runtime.read().map(|r| r.clone()).unwrap_or_default();
        for (lists, from_config) in [(&self.0.config, true), (&runtime, false)] {
            for kind in ListKind::ALL {
                for p in lists.get(kind) {
                    out.push(Entry {
                        list: kind,
                        pattern: p.as_string(),
                        from_config,
                    });
                }
            }
        }
        out
    }

    /// Whether `pattern` is in `list` through `config.toml`.
    pub fn in_config(&self, list: ListKind, pattern: &str) -> bool {
        self.0
            .config
            .get(list)
            .iter()
            .any(|p| p.as_string() == pattern)
    }

    fn set_runtime(&self, rows: &[(String, String)]) {
        let mut lists = Lists::default();
        for (list, pattern) in rows {
            match (list.parse::<ListKind>(), DomainPattern::parse(pattern)) {
                (Ok(kind), Ok(p)) => lists.push(kind, p),
                _ => tracing::warn!(%list, %pattern, "ignoring an invalid federation list entry"),
            }
        }
        if let Ok(mut r) = self.0.runtime.write() {
            *r = lists;
        }
    }
}

/// Reads the runtime entries from the database into `state.policy`.
pub async fn reload(state: &AppState) -> AppResult<()> {
    let rows = state
        .db
        .run(|c| Ok(db::federation_domains::all(c)?))
        .await?;
    state.policy.set_runtime(&rows);
    Ok(())
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
        assert!(open.allows_authority("good.example"));
        assert!(!open.allows_authority("x.bad.example"));
        let allow = policy(FederationMode::Allowlist, &["*.partner.example"], &[]);
        assert!(allow.allows_authority("a.partner.example"));
        assert!(!allow.allows_authority("partner.example.evil.com"));
        assert!(!policy(FederationMode::Closed, &[], &[]).allows_authority("partner.example"));
        let u = url::Url::parse("https://evil.com/partner.example").expect("url");
        assert!(!allow.allows_url(&u));
        let u = url::Url::parse("https://partner.example@evil.com/").expect("url");
        assert!(!allow.allows_url(&u));
    }

    #[test]
    fn only_https_names_unless_insecure() {
        let strict = policy(FederationMode::Open, &[], &[]);
        for bad in [
            "http://partner.example/inbox",
            "https://127.0.0.1/inbox",
            "https://[::1]/inbox",
            "https://[::ffff:10.0.0.1]/inbox",
            "https://169.254.169.254/latest/meta-data",
            "ftp://partner.example/x",
        ] {
            let u = url::Url::parse(bad).expect("url");
            assert!(!strict.allows_url(&u), "{bad}");
        }
        assert!(strict.allows_url(&url::Url::parse("https://partner.example/inbox").expect("url")));
        let insecure = Policy::from_config(&FederationConfig {
            allow_insecure: true,
            ..FederationConfig::default()
        });
        assert!(insecure.allows_url(&url::Url::parse("http://localhost:8080/inbox").expect("url")));
    }

    #[test]
    fn runtime_entries_add_to_the_configuration() {
        let p = policy(FederationMode::Open, &[], &[]);
        assert!(p.allows_authority("spam.example"));
        assert!(!p.is_partner("acme.example"));
        p.set_runtime(&[
            ("block".into(), "*.spam.example".into()),
            ("partner".into(), "acme.example".into()),
            ("nonsense".into(), "x.example".into()),
        ]);
        assert!(!p.allows_authority("spam.example"));
        assert!(!p.allows_authority("a.spam.example:443"));
        assert!(p.is_partner("acme.example"));
        assert_eq!(p.entries().len(), 2, "the invalid row is ignored");
        // A blocked partner is no partner.
        p.set_runtime(&[
            ("block".into(), "acme.example".into()),
            ("partner".into(), "acme.example".into()),
        ]);
        assert!(!p.is_partner("acme.example"));
    }

    #[test]
    fn in_allowlist_mode_the_allowlist_is_the_partner_list() {
        let p = policy(FederationMode::Allowlist, &["acme.example"], &[]);
        assert!(p.is_partner("acme.example"));
        assert!(!p.is_partner("other.example"));
        assert!(p.in_config(ListKind::Allow, "acme.example"));
        assert!(!p.in_config(ListKind::Block, "acme.example"));
    }
}
