//! The upload budget: file bytes held in memory by all requests together are
//! bounded, so an upload beyond it waits until another one ends.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use tokio::{io::AsyncWriteExt, net::TcpStream};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp},
};

backend_tests!(an_upload_waits_while_others_hold_the_budget);

async fn an_upload_waits_while_others_hold_the_budget(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.media.max_image_bytes = 100_000;
        c.media.max_document_bytes = 200_000;
        c.limits.upload_memory_bytes = 200_000;
    })
    .await;
    let alice = app.user_with_token("alice", "write").await;

    // A slow upload: 150 KB of a 190 KB document sent, the rest held back.
    let boundary = "budget-test";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let length = head.len() + 190_000 + tail.len();
    let mut slow = TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .unwrap();
    let request = format!(
        "POST /api/v2/media HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {alice}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\r\n{head}",
        app.domain
    );
    slow.write_all(request.as_bytes()).await.unwrap();
    slow.write_all(&[7u8; 150_000]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A second one needs 100 KB more than is left: it waits.
    let client = app.client.clone();
    let url = app.url("/api/v2/media");
    let token = alice.clone();
    let second = tokio::spawn(async move {
        let part = Part::bytes(vec![8u8; 100_000])
            .file_name("b.pdf")
            .mime_str("application/pdf")
            .unwrap();
        client
            .post(url)
            .bearer_auth(token)
            .multipart(Form::new().part("file", part))
            .send()
            .await
            .map(|r| r.status().as_u16())
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!second.is_finished(), "the second upload did not wait");

    // The slow client gives up: its bytes are given back and the second goes through.
    drop(slow);
    let status = tokio::time::timeout(Duration::from_secs(8), second)
        .await
        .expect("the second upload still waits")
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
}
