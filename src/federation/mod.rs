//! The server-to-server side: ActivityPub objects and the endpoints that serve them.
//! Kept apart from the client API; both call the same services.

pub mod activities;
pub mod config;
pub mod delivery;
pub mod fetch_guard;
pub mod inbound;
pub mod intake;
pub mod keys;
pub mod message_signatures;
pub mod negotiate;
pub mod nodeinfo;
pub mod objects;
pub mod outbound;
pub mod policy;
pub mod profile_page;
pub mod protocol;
pub mod reach;
pub mod read_access;
pub mod remote_files;
pub mod routes;
pub mod signed_fetch;
pub mod urls;
