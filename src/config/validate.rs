//! `Config::validate`: one check per section. The checks run in a fixed order,
//! so that of several mistakes the same one is always reported first.

use super::{
    Config, ConfigError, DatabaseConfig, FederationConfig, FederationMode, InstanceConfig,
    LimitsConfig, LogConfig, MediaConfig, MetricsConfig, ServerConfig,
};
use crate::model::domain::{DomainPattern, InstanceDomain};

pub(crate) fn invalid(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        key,
        message: message.into(),
    }
}

impl Config {
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_trusted_proxies(&self.server)?;
        check_instance(&self.instance)?;
        check_bind(&self.server)?;
        check_media(&self.media, &self.limits)?;
        check_connection_limits(&self.server)?;
        check_database(&self.database)?;
        check_federation_domains(&self.federation)?;
        check_federation_delivery(&self.federation)?;
        self.email.check()?;
        check_metrics(&self.metrics)?;
        check_log(&self.log)
    }
}

fn check_trusted_proxies(server: &ServerConfig) -> Result<(), ConfigError> {
    for p in &server.trusted_proxies {
        crate::rate_limit::parse_net(p).map_err(|e| invalid("server.trusted_proxies", e))?;
    }
    Ok(())
}

pub(crate) fn check_instance(instance: &InstanceConfig) -> Result<(), ConfigError> {
    InstanceDomain::parse(&instance.domain)
        .map_err(|e| invalid("instance.domain", e.to_string()))?;
    if instance.name.trim().is_empty() {
        return Err(invalid("instance.name", "must not be empty"));
    }
    if !is_hex_color(&instance.accent_color) {
        return Err(invalid(
            "instance.accent_color",
            "must be a colour like #2b59c3",
        ));
    }
    if crate::web::i18n::Lang::parse(&instance.default_language).is_none() {
        return Err(invalid(
            "instance.default_language",
            "must be one of the interface's languages: en, fr",
        ));
    }
    if instance.time_zone.parse::<chrono_tz::Tz>().is_err() {
        return Err(invalid(
            "instance.time_zone",
            "must be an IANA time zone such as Europe/Paris or UTC",
        ));
    }
    if let Some(logo) = &instance.logo_url {
        let ok = url::Url::parse(logo).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !ok {
            return Err(invalid("instance.logo_url", "must be an http(s) URL"));
        }
    }
    Ok(())
}

fn check_bind(server: &ServerConfig) -> Result<(), ConfigError> {
    server
        .bind
        .parse::<std::net::SocketAddr>()
        .map_err(|_| invalid("server.bind", "must be an address like 127.0.0.1:8080"))?;
    Ok(())
}

/// Media limits, and the upload memory that must hold the largest upload.
fn check_media(media: &MediaConfig, limits: &LimitsConfig) -> Result<(), ConfigError> {
    if media.path.trim().is_empty() {
        return Err(invalid("media.path", "must not be empty"));
    }
    if media.max_image_bytes < 1024 || media.max_document_bytes < 1024 {
        return Err(invalid(
            "media.max_image_bytes",
            "media limits must be at least 1024",
        ));
    }
    if limits.upload_memory_bytes < media.max_image_bytes.max(media.max_document_bytes) {
        return Err(invalid(
            "limits.upload_memory_bytes",
            "must be at least the largest media upload (media.max_document_bytes)",
        ));
    }
    Ok(())
}

/// Body size, timeouts and connections per address.
fn check_connection_limits(server: &ServerConfig) -> Result<(), ConfigError> {
    if server.max_body_bytes < 1024 {
        return Err(invalid("server.max_body_bytes", "must be at least 1024"));
    }
    for (key, seconds) in [
        (
            "server.header_read_timeout_seconds",
            server.header_read_timeout_seconds,
        ),
        ("server.idle_timeout_seconds", server.idle_timeout_seconds),
        (
            "server.body_read_timeout_seconds",
            server.body_read_timeout_seconds,
        ),
    ] {
        if !(1..=3600).contains(&seconds) {
            return Err(invalid(key, "must be between 1 and 3600 seconds"));
        }
    }
    if server.max_connections_per_address == 0 {
        return Err(invalid(
            "server.max_connections_per_address",
            "must be at least 1",
        ));
    }
    Ok(())
}

fn check_database(database: &DatabaseConfig) -> Result<(), ConfigError> {
    crate::db::Backend::from_url(&database.url)
        .map_err(|e| invalid("database.url", e.to_string()))?;
    if !(1..=256).contains(&database.pool_size) {
        return Err(invalid("database.pool_size", "must be between 1 and 256"));
    }
    Ok(())
}

/// The allow, block and partner lists, and an allowlist that is not empty when used.
fn check_federation_domains(f: &FederationConfig) -> Result<(), ConfigError> {
    for d in &f.allowlist {
        DomainPattern::parse(d).map_err(|e| invalid("federation.allowlist", e.to_string()))?;
    }
    for d in &f.blocklist {
        DomainPattern::parse(d).map_err(|e| invalid("federation.blocklist", e.to_string()))?;
    }
    for d in &f.partners {
        DomainPattern::parse(d).map_err(|e| invalid("federation.partners", e.to_string()))?;
    }
    if f.mode == FederationMode::Allowlist && f.allowlist.is_empty() {
        return Err(invalid(
            "federation.allowlist",
            "must name at least one domain when federation.mode = \"allowlist\" \
             (use federation.mode = \"closed\" for no federation)",
        ));
    }
    Ok(())
}

/// Workers, per-destination concurrency, retries and leases of the queues.
fn check_federation_delivery(f: &FederationConfig) -> Result<(), ConfigError> {
    if !(1..=1024).contains(&f.inbox_workers) {
        return Err(invalid(
            "federation.inbox_workers",
            "must be between 1 and 1024",
        ));
    }
    if !(1..=1024).contains(&f.workers) {
        return Err(invalid("federation.workers", "must be between 1 and 1024"));
    }
    if !(1..=64).contains(&f.concurrency_per_destination) {
        return Err(invalid(
            "federation.concurrency_per_destination",
            "must be between 1 and 64",
        ));
    }
    if f.retry_base_seconds == 0 || f.retry_max_seconds < f.retry_base_seconds {
        return Err(invalid(
            "federation.retry_max_seconds",
            "must be at least federation.retry_base_seconds, which must be at least 1",
        ));
    }
    if !(1..=3600).contains(&f.lease_seconds) {
        return Err(invalid(
            "federation.lease_seconds",
            "must be between 1 and 3600",
        ));
    }
    if f.unreachable_after_seconds == 0 {
        return Err(invalid(
            "federation.unreachable_after_seconds",
            "must be at least 1",
        ));
    }
    Ok(())
}

fn check_log(log: &LogConfig) -> Result<(), ConfigError> {
    tracing_subscriber::EnvFilter::try_new(&log.level)
        .map_err(|e| invalid("log.level", e.to_string()))?;
    Ok(())
}

/// A guessable token would open the metrics (partner names, queue sizes) to anyone.
fn check_metrics(m: &MetricsConfig) -> Result<(), ConfigError> {
    if m.token.is_empty() {
        return Ok(());
    }
    if m.token.chars().count() < 24 || !m.token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(invalid(
            "metrics.token",
            "must be empty or at least 24 printable characters without spaces (e.g. openssl rand -hex 32)",
        ));
    }
    Ok(())
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}
