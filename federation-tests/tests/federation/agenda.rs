//! The agenda across servers: a community's event reaches a partner server as
//! an `Event` (date, place, capacity); a person there says they go (a `Join`),
//! which the organiser's server counts and accepts; a cancellation travels as
//! an `Update`; and the community's calendar file reads right in an
//! independent iCalendar parser (PyPI `icalendar`).

use federation_tests::{Backend, Instance, eventually};
use serde_json::{Value, json};

use super::clients::client_python;

/// The events of a calendar file as `icalendar` reads them.
async fn parse_ics(body: &str) -> Option<Value> {
    let python = client_python()?;
    let file = std::env::temp_dir().join(format!("passerelle-{}.ics", std::process::id()));
    std::fs::write(&file, body).expect("write ics");
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for e in cal.walk('VEVENT'):
    out.append({
        'uid': str(e.get('UID')),
        'summary': str(e.get('SUMMARY')),
        'sequence': int(e.get('SEQUENCE', 0)),
        'status': str(e.get('STATUS')),
        'start': e.decoded('DTSTART').isoformat(),
        'end': e.decoded('DTEND').isoformat(),
        'location': str(e.get('LOCATION', '')),
    })
print(json.dumps(out))
"#;
    let out = tokio::process::Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .await
        .expect("python");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "icalendar refused the file: {}\n{body}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("json"))
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .expect("alice");
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .expect("bob");
    let devs = alpha.create_community(&alice, "devs", "public").await;
    let devs_on_beta = beta
        .join_community(&bob, &format!("devs@{}", alpha.domain))
        .await;
    alpha.wait_members(&alice, &devs, 2).await;

    let (status, ev) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs}/events"),
            &alice,
            json!({"title": "Partner day", "description": "Meet the *partners*",
                   "starts_at": "2030-05-12T14:00", "ends_at": "2030-05-12T17:00",
                   "time_zone": "Europe/Paris", "location": "Lyon office", "capacity": 40}),
        )
        .await;
    assert_eq!(status, 200, "{ev}");
    let on_alpha = ev["id"].as_str().unwrap().to_string();

    let thread = eventually(20, "the event reaches beta", || async {
        beta.find_thread(&bob, &devs_on_beta, "Partner day").await
    })
    .await;
    let on_beta = thread["id"].as_str().unwrap().to_string();
    let (status, seen) = beta
        .get(&format!("/api/passerelle/v1/events/{on_beta}"), Some(&bob))
        .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["starts_at"], "2030-05-12T12:00:00.000Z", "{seen}");
    assert_eq!(seen["time_zone"], "Europe/Paris");
    assert_eq!(seen["location"], "Lyon office");
    assert_eq!(seen["capacity"], 40);
    assert_eq!(seen["cancelled"], false);
    assert_eq!(thread["spoiler_text"], "", "the date is no content warning");

    // Bob says he goes, on his own server: the organiser's server counts him.
    let (status, answered) = beta
        .post(
            &format!("/api/passerelle/v1/events/{on_beta}/answer"),
            &bob,
            json!({"answer": "going"}),
        )
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["my_answer"], "going");
    eventually(20, "alice's server counts bob", || async {
        let (_, list) = alpha
            .get(
                &format!("/api/passerelle/v1/events/{on_alpha}/answers"),
                Some(&alice),
            )
            .await;
        list.as_array()?
            .iter()
            .find(|a| {
                a["account"]["acct"] == format!("bob@{}", beta.domain) && a["answer"] == "going"
            })
            .map(|_| ())
    })
    .await;

    // The calendar file, read by an independent parser.
    let ics = reqwest::get(alpha.url("/c/devs/events.ics"))
        .await
        .expect("ics")
        .text()
        .await
        .expect("body");
    if let Some(events) = parse_ics(&ics).await {
        let e = &events[0];
        assert_eq!(e["summary"], "Partner day", "{events}");
        assert_eq!(e["start"], "2030-05-12T12:00:00+00:00");
        assert_eq!(e["end"], "2030-05-12T15:00:00+00:00");
        assert_eq!(e["location"], "Lyon office");
        assert_eq!(e["status"], "CONFIRMED");
        assert!(
            e["uid"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/statuses/{on_alpha}"))
        );
    }

    // Cancelled on alpha: beta hears it, and the calendar says so.
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/events/{on_alpha}/cancel"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(20, "the cancellation reaches beta", || async {
        let (_, seen) = beta
            .get(&format!("/api/passerelle/v1/events/{on_beta}"), Some(&bob))
            .await;
        (seen["cancelled"] == true).then_some(())
    })
    .await;
    let ics = reqwest::get(alpha.url(&format!("/events/{on_alpha}.ics")))
        .await
        .expect("ics")
        .text()
        .await
        .expect("body");
    if let Some(events) = parse_ics(&ics).await {
        assert_eq!(events[0]["status"], "CANCELLED", "{events}");
        assert_eq!(events[0]["sequence"], 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_answered_from_partner_servers() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
