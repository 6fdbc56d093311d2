//! Everything a request handler or background job needs, passed explicitly.

use std::{ops::Deref, sync::Arc};

use crate::{config::Config, db::Db, federation::urls::Urls};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub urls: Urls,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let urls = Urls::new(config.scheme(), config.domain().as_str());
        Self(Arc::new(Inner { config, db, urls }))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
