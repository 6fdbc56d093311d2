//! Sending one delivery: signed RFC 9421 to servers known to take it, else (and
//! at once when one refuses it) draft-cavage; the answer's status and `Retry-After`.

use std::{sync::Arc, time::Duration};

use url::Url;

use super::{Worker, backoff, knock, sign};
use crate::db::{self, outbox};

/// A delivery ready to be signed either way.
pub(super) struct Signed {
    inbox: Url,
    body: Vec<u8>,
    key_id: String,
    key: Arc<sign::SigningKey>,
}

impl Worker {
    /// Signs (off the executor) and POSTs one delivery; the status and any
    /// `Retry-After`, or why no answer came. RFC 9421 to servers known to take
    /// it, draft-cavage at once if one refuses it (`knock`).
    pub(super) async fn send(
        &self,
        d: &outbox::DueDelivery,
    ) -> Result<(u16, Option<Duration>), String> {
        let inbox = Url::parse(&d.inbox).map_err(|e| e.to_string())?;
        if !self.state.policy.allows_url(&inbox) {
            return Ok((403, None));
        }
        let key = self.key(d.actor_id).await.map_err(|e| e.to_string())?;
        let actor_id = d.actor_id;
        let sender = self
            .state
            .db
            .run(move |c| Ok(db::actors::by_id(c, actor_id)?.ap_id))
            .await
            .map_err(|e| e.to_string())?;
        let domain = crate::federation::objects::authority(&inbox);
        let signed = Signed {
            inbox,
            body: d.body.clone().into_bytes(),
            key_id: crate::federation::protocol::actor::main_key_id(&sender),
            key,
        };
        if knock::rfc9421(&self.state, &domain).await {
            let answer = self.post(&signed, true).await?;
            if !matches!(answer.0, 400 | 401 | 403) {
                return Ok(answer);
            }
            knock::refused(&self.state, &domain).await;
        }
        self.post(&signed, false).await
    }

    /// One signed POST, RFC 9421 or draft-cavage.
    async fn post(&self, s: &Signed, rfc9421: bool) -> Result<(u16, Option<Duration>), String> {
        let (target, payload, key_id, key) = (
            s.inbox.clone(),
            s.body.clone(),
            s.key_id.clone(),
            s.key.clone(),
        );
        let headers =
            tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<(&str, String)>> {
                Ok(if rfc9421 {
                    let h = sign::sign_post_rfc9421(&target, &payload, &key_id, &key)?;
                    vec![
                        ("content-digest", h.content_digest),
                        ("signature-input", h.signature_input),
                        ("signature", h.signature),
                    ]
                } else {
                    let h = sign::sign_post(&target, &payload, &key_id, &key)?;
                    vec![
                        ("host", h.host),
                        ("date", h.date),
                        ("digest", h.digest),
                        ("signature", h.signature),
                    ]
                })
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        let mut request = self
            .client
            .post(s.inbox.clone())
            .header("content-type", "application/activity+json");
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request
            .body(s.body.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(backoff::parse_retry_after);
        Ok((response.status().as_u16(), retry_after))
    }
}
