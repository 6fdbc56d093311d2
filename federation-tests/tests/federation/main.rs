//! Process-level tests in one binary (one link step instead of one per file):
//! real Passerelle instances on loopback, federating and serving real clients.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests fail loudly by design

mod account_deletion;
mod agenda;
mod authorized_fetch;
mod blocks;
mod browser;
mod clients;
mod communities;
mod confidentiality;
mod delivery;
mod direct_and_media;
mod double_knock;
mod fedify;
mod fixtures;
mod fixtures_misskey_akkoma;
mod fixtures_reactions;
mod forged_announces;
mod hostile;
mod hostile_account_life;
mod hostile_votes;
mod instances;
mod key_documents;
mod library;
mod matrix;
mod nodes;
mod notifications;
mod peers;
mod personal_fetch;
mod polls;
mod remote_suspension;
mod reshares;
mod reverse_proxy;
mod revocation;
mod surveys;
mod visibility;
