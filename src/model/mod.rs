//! Domain types, no I/O: parsed once at the edge, trusted everywhere else.

pub mod actor;
pub mod content;
pub mod domain;
pub mod format;
pub mod id;
pub mod name;
pub mod scope;
pub mod visibility;
