//! Wire types: the JSON other servers send and receive.

pub mod actor;
pub mod collection;
pub mod context;
pub mod post;
