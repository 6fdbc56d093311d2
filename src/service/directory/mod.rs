//! The people directory: the organisation's profile fields (`profile`), the
//! directory listing (`listing`) and "find an expert" (`experts`). Which
//! fields exist is config's `[directory] fields`. The fields are for the
//! instance's own signed-in people: nothing here is shown to anonymous readers
//! or sent to other servers.

pub mod experts;
pub mod listing;
pub mod profile;
