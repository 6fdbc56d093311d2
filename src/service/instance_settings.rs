//! The instance's name, branding, rules, default language, registration mode
//! and federation mode: `config.toml`, overridden by what administrators change at runtime
//! (stored in the database, so every node of a cluster picks it up within
//! seconds, without a restart).

use std::{ops::Deref, sync::Arc, time::Duration};

use crate::{
    config::{Config, FederationMode, InstanceConfig, RegistrationMode, validate::check_instance},
    db::{self, users::User},
    error::{AppError, AppResult},
    service::now,
    state::AppState,
};

/// How often a node picks up changes made through another node.
const REFRESH: Duration = Duration::from_secs(5);
const MAX_RULES: usize = 20;
const MAX_RULE_CHARS: usize = 500;

#[derive(Debug, Clone)]
pub struct Settings {
    pub instance: InstanceConfig,
    pub registration: RegistrationMode,
    pub federation: FederationMode,
}

impl Deref for Settings {
    type Target = InstanceConfig;
    fn deref(&self) -> &InstanceConfig {
        &self.instance
    }
}

impl Settings {
    pub fn from_config(config: &Config) -> Self {
        Self {
            instance: config.instance.clone(),
            registration: config.registration.mode,
            federation: config.federation.mode,
        }
    }

    /// `self` with the stored values applied; a value that does not pass the
    /// configuration's own checks is skipped (and logged), never half-applied.
    fn overlaid(&self, rows: &[(String, String)]) -> Self {
        let mut out = self.clone();
        for (key, value) in rows {
            let mut next = out.clone();
            let applied = next.apply(key, value).is_ok() && check_instance(&next.instance).is_ok();
            if applied {
                out = next;
            } else {
                tracing::warn!(%key, "a stored instance setting is not valid; config.toml's applies");
            }
        }
        out
    }

    fn apply(&mut self, key: &str, value: &str) -> Result<(), String> {
        let i = &mut self.instance;
        match key {
            "name" => i.name = value.to_string(),
            "description" => i.description = value.to_string(),
            "contact_email" => i.contact_email = value.to_string(),
            "logo_url" => i.logo_url = Some(value.to_string()).filter(|v| !v.is_empty()),
            "accent_color" => i.accent_color = value.to_string(),
            "default_language" => i.default_language = value.to_string(),
            "rules" => i.rules = serde_json::from_str(value).map_err(|e| e.to_string())?,
            "registration" => {
                self.registration = serde_json::from_value(serde_json::Value::String(value.into()))
                    .map_err(|e| e.to_string())?
            }
            "federation_mode" => {
                self.federation = serde_json::from_value(serde_json::Value::String(value.into()))
                    .map_err(|e| e.to_string())?
            }
            other => return Err(format!("unknown setting {other}")),
        }
        Ok(())
    }
}

/// What an administrator submits: every setting at once, as the form shows them.
pub struct Change {
    pub name: String,
    pub description: String,
    pub contact_email: String,
    pub logo_url: String,
    pub accent_color: String,
    pub default_language: String,
    pub rules: Vec<String>,
    pub registration: String,
}

impl Change {
    fn pairs(&self) -> AppResult<Vec<(&'static str, String)>> {
        let rules: Vec<String> = self
            .rules
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        if rules.len() > MAX_RULES || rules.iter().any(|r| r.chars().count() > MAX_RULE_CHARS) {
            return Err(AppError::unprocessable(format!(
                "At most {MAX_RULES} rules of at most {MAX_RULE_CHARS} characters"
            )));
        }
        Ok(vec![
            ("name", self.name.trim().to_string()),
            ("description", self.description.trim().to_string()),
            ("contact_email", self.contact_email.trim().to_string()),
            ("logo_url", self.logo_url.trim().to_string()),
            ("accent_color", self.accent_color.trim().to_lowercase()),
            ("default_language", self.default_language.trim().to_string()),
            (
                "rules",
                serde_json::to_string(&rules).map_err(AppError::internal)?,
            ),
            ("registration", self.registration.trim().to_string()),
        ])
    }
}

/// An administrator changes the settings: checked as `config.toml` is, stored,
/// and in effect on this node at once.
pub async fn update(state: &AppState, by: &User, change: Change) -> AppResult<Arc<Settings>> {
    if !by.admin {
        return Err(AppError::forbidden("Administrators only"));
    }
    let pairs = change.pairs()?;
    let mut next = state.instance().as_ref().clone();
    for (key, value) in &pairs {
        next.apply(key, value)
            .map_err(|e| AppError::unprocessable(format!("{key}: {e}")))?;
    }
    check_instance(&next.instance).map_err(|e| AppError::unprocessable(e.to_string()))?;
    state
        .db
        .write(move |c| {
            let at = now();
            for (key, value) in &pairs {
                db::instance_settings::set(c, key, Some(value), at)?;
            }
            Ok(())
        })
        .await?;
    tracing::info!(admin = by.id, "instance settings changed");
    reload(state).await?;
    Ok(state.instance())
}

/// An administrator changes the federation mode. `allowlist` needs a server on
/// the allowlist first (else it would silently mean `closed`). Deliveries and
/// requests follow the new mode at once; servers no longer allowed keep their
/// follows, which resume if the mode opens again.
pub async fn set_federation_mode(state: &AppState, by: &User, mode: &str) -> AppResult<()> {
    if !by.admin {
        return Err(AppError::forbidden("Administrators only"));
    }
    let parsed: FederationMode = serde_json::from_value(serde_json::Value::String(mode.into()))
        .map_err(|_| crate::error::invalid_field("mode", "must be open, allowlist or closed"))?;
    if parsed == FederationMode::Allowlist && !state.policy.has_allowlist() {
        return Err(crate::error::invalid_field(
            "mode",
            "add at least one server to the allowlist first",
        ));
    }
    let value = mode.to_string();
    state
        .db
        .write(move |c| {
            Ok(db::instance_settings::set(
                c,
                "federation_mode",
                Some(&value),
                now(),
            )?)
        })
        .await?;
    tracing::info!(admin = by.id, %mode, "federation mode changed");
    reload(state).await?;
    // Servers allowed again may have deliveries waiting.
    state.wake_delivery();
    Ok(())
}

/// Reads the stored settings over `config.toml`.
pub async fn reload(state: &AppState) -> AppResult<()> {
    let rows = state.db.run(|c| Ok(db::instance_settings::all(c)?)).await?;
    let settings = Settings::from_config(&state.config).overlaid(&rows);
    state.policy.set_mode(settings.federation);
    state.set_instance(settings);
    Ok(())
}

/// Keeps this node's settings and federation lists in step with changes made
/// through other nodes (one task for both: they change together in the admin pages).
pub fn spawn_refresh(state: AppState) {
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(REFRESH) => {}
                () = state.shutdown.cancelled() => break,
            }
            if let Err(e) = reload(&state).await {
                tracing::warn!(error = %e, "reloading the instance settings failed");
            }
            if let Err(e) = crate::federation::policy::reload(&state).await {
                tracing::warn!(error = %e, "reloading the federation lists failed");
            }
        }
    });
}
