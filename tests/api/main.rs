//! API tests: one binary, each test on SQLite and (when configured) PostgreSQL.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests fail loudly by design

mod helpers;

mod account_life;
mod accounts;
mod anonymous_streams;
mod blocks;
mod bookmarks;
mod browser;
mod cli;
mod client_extras;
mod communities;
mod community_settings;
mod conversations;
mod discovery;
mod errors;
mod federation_lists;
mod hardening;
mod interop;
mod leaks;
mod lists;
mod login_abuse;
mod mastodon_apps;
mod media;
mod migrations;
mod notifications;
mod oauth;
mod polls;
mod profiles;
mod push;
mod query_plans;
mod rate_limits;
mod reblogs;
mod registration;
mod remote_likes;
mod remote_urls;
mod reports;
mod search;
mod statuses;
mod streaming;
mod tags;
mod upload_budget;
mod web_pages;
mod web_visibility;
mod wire_shapes;
