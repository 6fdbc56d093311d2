//! `[email]`: the SMTP relay mail goes through, and what mail may say. Mail is
//! off while `smtp_url` is empty; everything else works without it.

use serde::{Deserialize, Serialize};

use super::{ConfigError, validate::invalid};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailConfig {
    /// `smtp://host:port` (plain; add `?tls=required` for STARTTLS) or
    /// `smtps://host:port` (implicit TLS), with optional `user:password@`
    /// (percent-encoded). Empty: no mail is sent.
    pub smtp_url: String,
    /// The sender, `Name <address>` or an address. Empty: the instance's name
    /// at `noreply@` the instance's host.
    pub from: String,
    /// Where replies go (empty: no `Reply-To`).
    pub reply_to: String,
    /// An alert waits this long for its reader to see it in an app or the web;
    /// alerts that came meanwhile go out together in one mail.
    pub alert_delay_minutes: u64,
    /// Whether mail may quote content of `members` and `internal` communities
    /// (and non-public posts); otherwise it says there is something new and links to it.
    pub include_confidential_content: bool,
    /// The hour (0–23, in `instance.time_zone`) digests go out; weekly ones on Mondays.
    pub digest_hour: u32,
    /// First retry of a mail the relay did not take; doubling up to 6 hours,
    /// for 3 days.
    pub retry_base_seconds: u64,
}

impl Default for EmailConfig {
    fn default() -> Self {
        Self {
            smtp_url: String::new(),
            from: String::new(),
            reply_to: String::new(),
            alert_delay_minutes: 10,
            include_confidential_content: false,
            digest_hour: 7,
            retry_base_seconds: 60,
        }
    }
}

impl EmailConfig {
    pub fn enabled(&self) -> bool {
        !self.smtp_url.trim().is_empty()
    }

    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        if self.enabled() {
            let url = url::Url::parse(self.smtp_url.trim())
                .map_err(|e| invalid("email.smtp_url", e.to_string()))?;
            let tls = url
                .query_pairs()
                .find(|(k, _)| k == "tls")
                .map(|(_, v)| v.to_string());
            match (url.scheme(), tls.as_deref()) {
                ("smtps", _) | ("smtp", None | Some("required" | "opportunistic")) => {}
                _ => {
                    return Err(invalid(
                        "email.smtp_url",
                        "must be smtp://HOST:PORT (optionally ?tls=required) or smtps://HOST:PORT",
                    ));
                }
            }
            let host = url.host_str().unwrap_or_default();
            if host.is_empty() {
                return Err(invalid("email.smtp_url", "names no host"));
            }
            // A password over a connection that may stay unencrypted would cross
            // the network in clear text; only a relay on this machine may do that.
            let encrypted = url.scheme() == "smtps" || tls.as_deref() == Some("required");
            let loopback = host == "localhost"
                || host
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if url.password().is_some() && !encrypted && !loopback {
                return Err(invalid(
                    "email.smtp_url",
                    "sends its password unencrypted: use smtps:// or ?tls=required",
                ));
            }
        }
        for (key, value) in [
            ("email.from", &self.from),
            ("email.reply_to", &self.reply_to),
        ] {
            if !value.trim().is_empty() && value.parse::<lettre::message::Mailbox>().is_err() {
                return Err(invalid(key, "must be an address or Name <address>"));
            }
        }
        if self.digest_hour > 23 {
            return Err(invalid("email.digest_hour", "must be between 0 and 23"));
        }
        if self.alert_delay_minutes > 24 * 60 {
            return Err(invalid(
                "email.alert_delay_minutes",
                "must be at most 1440 (a day)",
            ));
        }
        if self.retry_base_seconds == 0 {
            return Err(invalid("email.retry_base_seconds", "must be at least 1"));
        }
        Ok(())
    }
}
