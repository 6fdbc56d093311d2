//! The client side: the Mastodon API, OAuth, discovery and operations endpoints.

pub mod answers;
pub mod assets;
pub mod auth;
pub mod extract;
pub mod health;
pub mod id_path;
pub mod library_files;
pub mod mastodon;
pub mod media_files;
pub mod metrics;
pub mod multipart;
pub mod oauth;
pub mod passerelle;
pub mod upload_budget;
pub mod wellknown;
