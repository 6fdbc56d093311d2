//! A remote group someone here follows tries to act in others' names through its
//! `Announce` (FEP-1b12): activities "by" our own people are refused whatever they
//! are, and a third server's person is believed only where the group has authority
//! (its own threads, as the author's server serves them). Nothing changes here.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{FakeServer, Keys, Signing, new_keys},
};
use serde_json::{Value, json};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

struct Guild {
    fake: FakeServer,
    keys: Keys,
    url: String,
}

impl Guild {
    async fn start(name: &str, members_only: bool) -> Guild {
        let fake = FakeServer::start().await.unwrap();
        let keys = new_keys().unwrap();
        let url = if members_only {
            fake.add_members_group(name, &keys)
        } else {
            fake.add_group(name, &keys)
        };
        Guild { fake, keys, url }
    }

    /// `token`'s owner joins the group (which accepts); its id on alpha.
    async fn joined_by(&self, alpha: &Instance, token: &str) -> String {
        let name = self.url.rsplit('/').next().unwrap();
        let id = alpha
            .join_community(token, &format!("{name}@{}", self.fake.domain))
            .await;
        let follow = eventually(15, "the Follow at the group", || async {
            self.fake
                .received()
                .into_iter()
                .find(|a| a["type"] == "Follow" && a["object"] == self.url.as_str())
        })
        .await;
        let accept = json!({"id": format!("{}/accept/{name}", self.fake.base), "type": "Accept",
            "actor": self.url, "object": follow});
        let code = self
            .fake
            .post(
                &alpha.url("/inbox"),
                &self.url,
                &self.keys,
                &accept,
                Signing::Valid,
            )
            .await
            .unwrap();
        assert_eq!(code, 202);
        id
    }

    /// Sends `inner` announced by the guild to alpha's shared inbox.
    async fn announce(&self, alpha: &Instance, n: &str, inner: Value) -> u16 {
        let announce = json!({"id": format!("{}/announce/{n}", self.fake.base), "type": "Announce",
            "actor": self.url, "to": [format!("{}/followers", self.url)], "cc": [PUBLIC], "object": inner});
        self.fake
            .post(
                &alpha.url("/inbox"),
                &self.url,
                &self.keys,
                &announce,
                Signing::Valid,
            )
            .await
            .unwrap()
    }
}

async fn status(alpha: &Instance, token: &str, text: &str) -> Value {
    let (code, s) = alpha
        .post("/api/v1/statuses", token, json!({"status": text}))
        .await;
    assert_eq!(code, 200, "{s}");
    s
}

async fn account_id(alpha: &Instance, token: &str) -> String {
    let (_, me) = alpha
        .get("/api/v1/accounts/verify_credentials", Some(token))
        .await;
    me["id"].as_str().unwrap().to_string()
}

async fn get_status(alpha: &Instance, token: &str, id: &Value) -> (u16, Value) {
    alpha
        .get(
            &format!("/api/v1/statuses/{}", id.as_str().unwrap()),
            Some(token),
        )
        .await
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .unwrap();
    let bob = alpha
        .create_user("bob", "bob password", scopes)
        .await
        .unwrap();
    let carol = alpha
        .create_user("carol", "carol password", scopes)
        .await
        .unwrap();
    let carol_id = account_id(&alpha, &carol).await;
    let carol_url = alpha.url("/users/carol");
    let alice_id = account_id(&alpha, &alice).await;
    let (alice_url, bob_url) = (alpha.url("/users/alice"), alpha.url("/users/bob"));

    // The guild (on its own server), which alice follows; trent on a third server.
    let guild = Guild::start("guild", false).await;
    let third = FakeServer::start().await.unwrap();
    let trent_keys = new_keys().unwrap();
    let trent = third.add_actor("trent", &trent_keys);
    let guild_id = guild.joined_by(&alpha, &alice).await;

    // What there is to lose: alice's statuses, bob's favourite and follow, alice's
    // block of carol, alice's community with bob in it, trent's follow of alice.
    let kept = status(&alpha, &alice, "kept as written").await;
    let doomed = status(&alpha, &alice, "not to be deleted").await;
    let faved = status(&alpha, &alice, "bob likes this").await;
    let (code, _) = alpha
        .post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                faved["id"].as_str().unwrap()
            ),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(code, 200);
    alpha.follow(&bob, &alice_id).await;
    let (code, club) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "club"}),
        )
        .await;
    assert_eq!(code, 200, "{club}");
    let club_id = club["id"].as_str().unwrap().to_string();
    let (code, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{club_id}/join"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(code, 200);
    let (code, _) = alpha
        .post(
            &format!("/api/v1/accounts/{carol_id}/block"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(code, 200);
    let trent_follow = json!({"id": format!("{}/follow/1", third.base), "type": "Follow",
        "actor": trent, "object": alice_url});
    let code = third
        .post(
            &alpha.url("/users/alice/inbox"),
            &trent,
            &trent_keys,
            &trent_follow,
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(code, 202);
    alpha.settled().await;

    // Every kind of activity in the name of alice or bob, through the guild: 403.
    let here = |path: &str| alpha.url(path);
    let note = json!({"id": here("/statuses/1"), "type": "Note", "attributedTo": alice_url,
        "content": "<p>forged</p>", "to": [PUBLIC], "cc": [guild.url], "audience": guild.url});
    let edited = json!({"id": kept["uri"], "type": "Note", "attributedTo": alice_url,
        "content": "<p>forged edit</p>", "to": [PUBLIC], "cc": [guild.url], "audience": guild.url});
    let forged = [
        json!({"id": here("/activities/create/1"), "type": "Create", "actor": alice_url,
            "to": [PUBLIC], "cc": [guild.url], "audience": guild.url, "object": note}),
        json!({"id": here("/activities/update/1"), "type": "Update", "actor": alice_url,
            "to": [PUBLIC], "cc": [guild.url], "audience": guild.url, "object": edited}),
        json!({"id": here("/activities/delete/1"), "type": "Delete", "actor": alice_url,
            "object": doomed["uri"], "audience": guild.url}),
        json!({"id": here("/activities/like/1"), "type": "Like", "actor": bob_url,
            "object": kept["uri"], "audience": guild.url}),
        json!({"id": here("/activities/undo/1"), "type": "Undo", "actor": bob_url,
            "object": {"id": here("/activities/like/2"), "type": "Like", "actor": bob_url,
                "object": faved["uri"]}}),
        json!({"id": here("/activities/undo/2"), "type": "Undo", "actor": bob_url,
            "object": {"id": here("/activities/follow/1"), "type": "Follow", "actor": bob_url,
                "object": alice_url}}),
        json!({"id": here("/activities/undo/3"), "type": "Undo", "actor": alice_url,
            "object": {"id": here("/activities/block/1"), "type": "Block", "actor": alice_url,
                "object": carol_url}}),
        json!({"id": here("/activities/block/2"), "type": "Block", "actor": alice_url,
            "object": bob_url, "target": here("/c/club"), "summary": "forged ban"}),
        json!({"id": here("/activities/add/1"), "type": "Add", "actor": alice_url,
            "object": bob_url, "target": format!("{}/moderators", guild.url)}),
        json!({"id": here("/activities/remove/1"), "type": "Remove", "actor": alice_url,
            "object": alice_url, "target": format!("{}/moderators", guild.url)}),
    ];
    // The answers are checked last, so that a regression shows what took effect.
    let mut answers = Vec::new();
    for (n, inner) in forged.into_iter().enumerate() {
        let kind = inner["type"].clone();
        answers.push((
            kind,
            guild.announce(&alpha, &format!("ours-{n}"), inner).await,
        ));
    }

    // A third server's person: only within the guild. Out of scope: refused.
    let out_of_scope = [
        json!({"id": format!("{}/undo/1", third.base), "type": "Undo", "actor": trent,
            "object": trent_follow}),
        json!({"id": format!("{}/block/1", third.base), "type": "Block", "actor": trent,
            "object": alice_url, "target": here("/c/club")}),
    ];
    for (n, inner) in out_of_scope.into_iter().enumerate() {
        let kind = inner["type"].clone();
        answers.push((
            kind,
            guild.announce(&alpha, &format!("scope-{n}"), inner).await,
        ));
    }
    // A like of a status that is not the guild's: accepted for the queue, not applied.
    let like = json!({"id": format!("{}/like/1", third.base), "type": "Like", "actor": trent,
        "object": kept["uri"]});
    guild.announce(&alpha, "scope-like", like).await;

    // Content: the author's server is asked. What it serves is what we keep…
    let page = |n: &str, text: &str| {
        json!({"id": third.object_url(n), "type": "Page", "attributedTo": trent,
            "name": format!("Trent's {n}"), "content": format!("<p>{text}</p>"),
            "to": [PUBLIC], "cc": [guild.url], "audience": guild.url})
    };
    third.add_object("genuine", page("genuine", "what trent wrote"));
    let create = |n: &str, object: Value| {
        json!({"id": format!("{}/create/{n}", third.base), "type": "Create", "actor": trent,
            "to": [PUBLIC], "cc": [guild.url], "audience": guild.url, "object": object})
    };
    let code = guild
        .announce(
            &alpha,
            "third-1",
            create("genuine", page("genuine", "words put in trent's mouth")),
        )
        .await;
    assert_eq!(code, 202);
    // …and what it does not serve, we do not keep.
    let code = guild
        .announce(
            &alpha,
            "third-2",
            create("invented", page("invented", "never written")),
        )
        .await;
    assert_eq!(code, 202);
    alpha.settled().await;

    let threads = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{guild_id}/threads"),
            Some(&alice),
        )
        .await
        .1;
    let threads = threads.as_array().cloned().unwrap_or_default();
    assert_eq!(threads.len(), 1, "only the genuine thread: {threads:?}");
    assert_eq!(threads[0]["passerelle"]["title"], "Trent's genuine");
    let content = threads[0]["content"].as_str().unwrap_or_default();
    // Below the heading apps are shown (the title and the community).
    assert!(
        content.ends_with("</p><p>what trent wrote</p>"),
        "{content}"
    );

    // A members-only group: trent's server will not serve its thread to us (only
    // the group knows who may read it), so the group's copy of its own thread stands.
    let board = Guild::start("board", true).await;
    let board_id = board.joined_by(&alpha, &alice).await;
    alpha.settled().await;
    let secret = json!({"id": third.object_url("secret"), "type": "Page", "attributedTo": trent,
        "name": "Board thread", "content": "<p>for members</p>",
        "to": [board.url, format!("{}/followers", board.url)], "audience": board.url});
    let create = json!({"id": format!("{}/create/secret", third.base), "type": "Create",
        "actor": trent, "to": [board.url], "audience": board.url, "object": secret});
    assert_eq!(board.announce(&alpha, "secret", create).await, 202);
    alpha.settled().await;
    let thread = alpha.find_thread(&alice, &board_id, "Board thread").await;
    assert!(thread.is_some(), "the members-only group's thread");

    // Nothing of ours changed.
    let (_, listed) = alpha
        .get(
            &format!("/api/v1/accounts/{alice_id}/statuses"),
            Some(&alice),
        )
        .await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        3,
        "no status added: {listed}"
    );
    let (_, s) = get_status(&alpha, &alice, &kept["id"]).await;
    assert_eq!(s["content"], kept["content"], "not edited");
    assert_eq!(s["favourites_count"], 0, "no favourite added");
    let (code, _) = get_status(&alpha, &alice, &doomed["id"]).await;
    assert_eq!(code, 200, "not deleted");
    let (_, s) = get_status(&alpha, &alice, &faved["id"]).await;
    assert_eq!(s["favourites_count"], 1, "bob's favourite kept");
    assert_eq!(alpha.relationship(&bob, &alice_id).await["following"], true);
    assert_eq!(
        alpha.relationship(&alice, &carol_id).await["blocking"],
        true
    );
    let (_, c) = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{club_id}"),
            Some(&alice),
        )
        .await;
    assert_eq!(c["members_count"], 2, "bob not banned: {c}");
    let (_, followers) = alpha
        .get(
            &format!("/api/v1/accounts/{alice_id}/followers"),
            Some(&alice),
        )
        .await;
    let followers = followers.as_array().unwrap();
    assert!(
        followers
            .iter()
            .any(|f| f["url"] == trent || f["uri"] == trent),
        "trent still follows alice: {followers:?}"
    );
    let (_, g) = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{guild_id}/moderators"),
            Some(&alice),
        )
        .await;
    assert!(
        !g.to_string().contains("\"bob\""),
        "bob not a moderator: {g}"
    );
    for (kind, code) in answers {
        assert_eq!(code, 403, "{kind}: refused at once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_cannot_act_in_anyone_elses_name() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
