use super::*;

#[test]
fn defaults_are_valid_and_documented_values() {
    let c = Config::from_toml_str("").expect("defaults");
    assert_eq!(c.server.bind, "127.0.0.1:8080");
    assert_eq!(c.database.url, "sqlite://data/passerelle.db");
    assert_eq!(c.registration.mode, RegistrationMode::Closed);
    assert_eq!(c.federation.mode, FederationMode::Open);
    assert!(!c.federation.allow_insecure);
    assert_eq!(c.scheme(), "https");
}

#[test]
fn shipped_config_toml_parses() {
    let text = include_str!("../../config.toml");
    let c = Config::from_toml_str(text).expect("shipped config.toml is valid");
    assert_eq!(c.instance.domain, "localhost:8080");
}

fn err(toml: &str) -> String {
    Config::from_toml_str(toml)
        .expect_err("must be rejected")
        .to_string()
}

#[test]
fn unknown_keys_are_rejected_with_their_name() {
    assert!(err("[database]\nurll = \"x\"").contains("urll"));
    assert!(err("[nope]\na = 1").contains("nope"));
}

#[test]
fn bad_values_name_the_key() {
    assert!(err("[registration]\nmode = \"sometimes\"").contains("mode"));
    assert!(err("[server]\nbind = \"nowhere\"").contains("server.bind"));
    assert!(err("[server]\nidle_timeout_seconds = 0").contains("server.idle_timeout_seconds"));
    assert!(
        err("[server]\nmax_connections_per_address = 0")
            .contains("server.max_connections_per_address")
    );
    assert!(err("[database]\nurl = \"mysql://x\"").contains("database.url"));
    assert!(err("[instance]\ndomain = \"https://x.example/path\"").contains("instance.domain"));
    assert!(err("[instance]\naccent_color = \"blue\"").contains("instance.accent_color"));
    assert!(err("[federation]\nallowlist = [\"evil.com/x\"]").contains("federation.allowlist"));
    assert!(err("[metrics]\ntoken = \"short\"").contains("metrics.token"));
    assert!(
        err("[metrics]\ntoken = \"a token with spaces in it, long\"").contains("metrics.token")
    );
}

#[test]
fn impossible_combination_is_rejected() {
    let e = err("[federation]\nmode = \"allowlist\"");
    assert!(e.contains("federation.allowlist"), "{e}");
}

#[test]
fn csv_lists_are_accepted() {
    let c = Config::from_toml_str("[federation]\nblocklist = \"a.example, *.b.example\"")
        .expect("csv list");
    assert_eq!(c.federation.blocklist, vec!["a.example", "*.b.example"]);
}
