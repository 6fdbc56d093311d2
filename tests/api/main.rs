//! API tests: one binary, each test on SQLite and (when configured) PostgreSQL.

mod helpers;

mod accounts;
mod cli;
mod discovery;
mod errors;
mod migrations;
mod oauth;
