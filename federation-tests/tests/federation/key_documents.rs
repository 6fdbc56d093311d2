//! Key ids as other servers write them, on signed GETs to an instance that asks
//! for signatures everywhere: GoToSocial's key at a path of its own answering a
//! stub of the actor, a `CryptographicKey` naming its owner. A key that leads
//! nowhere is not fetched again on the next request, and a signature we cannot
//! verify on a public document reads it as an unsigned request would.

use federation_tests::{
    Backend, Instance,
    fake::{Remote, Signing},
};
use serde_json::json;

/// How many requests reached `remote` for `path`.
fn fetches(remote: &Remote, path: &str) -> usize {
    remote
        .fake
        .captured()
        .iter()
        .filter(|r| r.contains(path))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_stubs_and_key_documents_sign_fetches() {
    let alpha =
        Instance::start_with_federation("keys", Backend::Sqlite, "authorized_fetch = true\n")
            .await
            .expect("alpha");
    alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let outbox = alpha.url("/users/alice/outbox");

    // GoToSocial: the key id answers a stub of the actor (no inbox), whose id
    // is the actor's.
    let gts = Remote::start("gts").await.expect("fake");
    let stub_url = gts.fake.object_url("gts-main-key");
    gts.fake.add_object(
        "gts-main-key",
        json!({"id": gts.actor, "type": "Person", "preferredUsername": "gts",
               "publicKey": {"id": stub_url, "owner": gts.actor, "publicKeyPem": gts.keys.public_pem}}),
    );
    gts.fake.set_key_id(Some(stub_url));
    let (status, body) = gts.get(&outbox, Signing::Valid).await;
    assert_eq!(status, 200, "{body}");
    // The owner is remembered: the key document is not fetched for each request.
    let seen = fetches(&gts, "/objects/gts-main-key");
    assert_eq!(gts.get(&outbox, Signing::Valid).await.0, 200);
    assert_eq!(fetches(&gts, "/objects/gts-main-key"), seen);

    // A `CryptographicKey` document with its owner.
    let fed = Remote::start("fed").await.expect("fake");
    let key_url = fed.fake.object_url("fed-key");
    fed.fake.add_object(
        "fed-key",
        json!({"id": key_url, "type": "CryptographicKey", "owner": fed.actor,
               "publicKeyPem": fed.keys.public_pem}),
    );
    fed.fake.set_key_id(Some(key_url));
    assert_eq!(fed.get(&outbox, Signing::Valid).await.0, 200);
    // The right key id, the wrong key: still refused.
    assert_eq!(fed.get(&outbox, Signing::WrongKey).await.0, 401);

    // A key id that names no key: refused, and not fetched again at once.
    let odd = Remote::start("odd").await.expect("fake");
    let note_url = odd.fake.object_url("not-a-key");
    odd.fake.add_object(
        "not-a-key",
        json!({"id": note_url, "type": "Note", "content": "no key here"}),
    );
    odd.fake.set_key_id(Some(note_url));
    assert_eq!(odd.get(&outbox, Signing::Valid).await.0, 401);
    let seen = fetches(&odd, "/objects/not-a-key");
    assert!(seen >= 1);
    assert_eq!(odd.get(&outbox, Signing::Valid).await.0, 401);
    assert_eq!(fetches(&odd, "/objects/not-a-key"), seen);

    // A public document with a signature we cannot verify is served as to an
    // unsigned request (the short profile), not refused.
    let (status, person) = odd.get(&alpha.url("/users/alice"), Signing::WrongKey).await;
    assert_eq!(status, 200, "{person}");
    assert!(person.get("outbox").is_none(), "{person}");
}
