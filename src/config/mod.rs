//! Typed configuration: the TOML file, then `PASSERELLE__SECTION__KEY` environment
//! variables, then `validate()`. Unknown keys and bad values stop startup with a
//! message naming the key.

use std::path::{Path, PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Deserializer, Serialize};

use crate::model::domain::InstanceDomain;

mod directory;
mod email;
pub(crate) mod validate;

pub use directory::{DirectoryConfig, DirectoryField};
pub use email::EmailConfig;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub instance: InstanceConfig,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub registration: RegistrationConfig,
    pub federation: FederationConfig,
    pub limits: LimitsConfig,
    pub media: MediaConfig,
    pub directory: DirectoryConfig,
    pub email: EmailConfig,
    pub metrics: MetricsConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    pub domain: String,
    pub name: String,
    pub description: String,
    pub contact_email: String,
    pub logo_url: Option<String>,
    pub accent_color: String,
    pub source_url: String,
    /// The instance's rules, shown to people in apps (`/api/v1/instance/rules`).
    pub rules: Vec<String>,
    /// The web interface's language for people who chose none and whose browser
    /// asks for none we speak (`en` or `fr`).
    pub default_language: String,
    /// The organisation's time zone (IANA name, e.g. `Europe/Paris`): new
    /// events' default, and how dates are shown.
    pub time_zone: String,
}

impl Default for InstanceConfig {
    fn default() -> Self {
        Self {
            domain: "localhost:8080".into(),
            name: "Passerelle".into(),
            description: "An enterprise social network".into(),
            contact_email: String::new(),
            logo_url: None,
            accent_color: "#2b59c3".into(),
            source_url: String::new(),
            rules: vec![],
            default_language: "en".into(),
            time_zone: "UTC".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub bind: String,
    pub max_body_bytes: usize,
    /// Reverse proxies (IPs or CIDR ranges) whose `X-Forwarded-For` is believed, so
    /// rate limits apply to the real client address.
    #[serde(deserialize_with = "list_or_csv")]
    pub trusted_proxies: Vec<String>,
    /// Seconds a client has to send a request's headers (also the longest wait
    /// for the next request on an HTTP/1 keep-alive connection).
    pub header_read_timeout_seconds: u64,
    /// Seconds a connection may carry no bytes and no request before it is closed.
    pub idle_timeout_seconds: u64,
    /// Seconds a client has to send a whole request body.
    pub body_read_timeout_seconds: u64,
    /// Connections open at once from one client address (trusted proxies exempt).
    pub max_connections_per_address: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            max_body_bytes: 1024 * 1024,
            trusted_proxies: vec![],
            header_read_timeout_seconds: 30,
            idle_timeout_seconds: 75,
            body_read_timeout_seconds: 60,
            max_connections_per_address: 256,
        }
    }
}

/// Uploaded media: where the files go and how large they may be.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Folder of the media store (relative to the working directory).
    pub path: String,
    pub max_image_bytes: usize,
    /// Images larger than this many pixels (width × height) are refused.
    pub max_image_pixels: u64,
    /// Other files: video, audio, documents.
    pub max_document_bytes: usize,
}

impl Default for MediaConfig {
    fn default() -> Self {
        // Mastodon's limits: 16 MB images of up to 8192 × 4050 pixels.
        Self {
            path: "data/media".into(),
            max_image_bytes: 16 * 1024 * 1024,
            max_image_pixels: 33_177_600,
            max_document_bytes: 40 * 1024 * 1024,
        }
    }
}

/// Who may read `GET /metrics` besides clients on this host.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// A bearer token that opens the metrics to any address (empty: none does).
    pub token: String,
}

/// Requests allowed per minute (with bursts of as many); 0 turns a limit off.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Client API, OAuth and ActivityPub reads, per client IP.
    pub api_per_minute: u32,
    /// Deliveries to the inbox, per remote server (the signing key's host).
    pub inbox_per_server_per_minute: u32,
    /// Deliveries to the inbox, per client IP.
    pub inbox_per_ip_per_minute: u32,
    /// Failed password checks for one account before it is locked out (0: off).
    pub login_failures: u32,
    /// The span in which those failures are counted.
    pub login_window_secs: u64,
    /// The first lockout; each further failure doubles it, up to the maximum.
    pub login_lockout_secs: u64,
    pub login_lockout_max_secs: u64,
    /// Live streaming connections without an access token, per node (0: no limit).
    pub anonymous_streams: u32,
    /// Uploaded file bytes held in memory at once by all requests, per node.
    pub upload_memory_bytes: usize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            api_per_minute: 600,
            inbox_per_server_per_minute: 3000,
            inbox_per_ip_per_minute: 3000,
            login_failures: 5,
            login_window_secs: 900,
            login_lockout_secs: 60,
            login_lockout_max_secs: 900,
            anonymous_streams: 1000,
            upload_memory_bytes: 256 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://data/passerelle.db".into(),
            pool_size: 8,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    #[default]
    Closed,
    Invite,
    Open,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrationConfig {
    pub mode: RegistrationMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    #[default]
    Open,
    Allowlist,
    Closed,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    pub mode: FederationMode,
    #[serde(deserialize_with = "list_or_csv")]
    pub allowlist: Vec<String>,
    #[serde(deserialize_with = "list_or_csv")]
    pub blocklist: Vec<String>,
    /// Partner servers: `partners` communities federate with them (in `allowlist`
    /// mode, the allowlist is the partner list too).
    #[serde(deserialize_with = "list_or_csv")]
    pub partners: Vec<String>,
    pub allow_insecure: bool,
    /// Require an HTTP signature on ActivityPub GETs (public keys and the instance
    /// actor excepted). Unset: on in `allowlist` and `closed` modes, off in `open`.
    /// Non-public content always requires one.
    pub authorized_fetch: Option<bool>,
    /// Whether a `partners` or `members` community shows that it exists (its name
    /// and key, nothing else) to servers outside its reach.
    pub reveal_restricted_communities: bool,
    /// Deliveries in flight at once, all destinations together.
    pub workers: usize,
    /// Deliveries in flight at once to one remote server.
    pub concurrency_per_destination: usize,
    /// Received activities applied at once (fetching what they need).
    pub inbox_workers: usize,
    /// First retry delay; it doubles at each failure up to `retry_max_seconds`.
    pub retry_base_seconds: u64,
    pub retry_max_seconds: u64,
    /// A server failing for longer than this is marked unreachable and skipped
    /// until it contacts us again.
    pub unreachable_after_seconds: u64,
    /// How long a worker holds a claimed delivery; after a crash its work is taken
    /// up again once the lease runs out.
    pub lease_seconds: u64,
}

impl Default for FederationConfig {
    fn default() -> Self {
        Self {
            mode: FederationMode::Open,
            allowlist: vec![],
            blocklist: vec![],
            partners: vec![],
            allow_insecure: false,
            authorized_fetch: None,
            reveal_restricted_communities: true,
            workers: 16,
            concurrency_per_destination: 4,
            inbox_workers: 8,
            retry_base_seconds: 30,
            retry_max_seconds: 6 * 3600,
            unreachable_after_seconds: 7 * 24 * 3600,
            lease_seconds: 120,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

/// Lists come as TOML arrays from the file and as comma-separated strings from
/// environment variables.
fn list_or_csv<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        Csv(String),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::List(v) => v,
        Raw::Csv(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} not found")]
    Missing(PathBuf),
    #[error("configuration: {0}")]
    Parse(String),
    #[error("configuration key `{key}`: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Config {
    /// Reads the file at `path`, overlays `PASSERELLE__*` variables, validates.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        if !path.exists() {
            return Err(ConfigError::Missing(path.to_path_buf()));
        }
        Self::from_figment(Figment::new().merge(Toml::file_exact(path)))
    }

    /// Builds a configuration from a TOML string plus the environment (for tests and tools).
    pub fn from_toml_str(toml: &str) -> Result<Config, ConfigError> {
        Self::from_figment(Figment::new().merge(Toml::string(toml)))
    }

    fn from_figment(figment: Figment) -> Result<Config, ConfigError> {
        let config: Config = Figment::from(Serialized::defaults(Config::default()))
            .merge(figment)
            .merge(Env::prefixed("PASSERELLE__").split("__").lowercase(true))
            .extract()
            .map_err(|e| ConfigError::Parse(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    pub fn domain(&self) -> InstanceDomain {
        // validate() has accepted it already; fall back to the raw text otherwise.
        InstanceDomain::parse(&self.instance.domain)
            .unwrap_or_else(|_| InstanceDomain::unchecked(&self.instance.domain))
    }

    /// `https`, or `http` when `federation.allow_insecure` is on (local testing).
    pub fn scheme(&self) -> &'static str {
        if self.federation.allow_insecure {
            "http"
        } else {
            "https"
        }
    }
}

#[cfg(test)]
mod tests;
