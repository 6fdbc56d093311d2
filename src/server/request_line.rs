//! The first request line of each connection, read before hyper sees it. hyper
//! answers a request line it cannot parse, or a URI over 64 KB, itself and with
//! an empty body; here such requests get a JSON error like every other refusal.
//! Later requests on a kept-alive connection are hyper's alone (documented).

use std::time::Duration;

use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    time::timeout,
};

/// The longest request line taken: URIs are at most a few KB in practice.
pub const MAX_REQUEST_LINE: usize = 16 * 1024;

/// Reads the connection's first request line, within `deadline`. Returns what
/// was read (for hyper to read again), or `None` once the connection has been
/// answered (400, 414) or has ended.
pub async fn first<S>(stream: &mut S, deadline: Duration) -> Option<Vec<u8>>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut read = Vec::with_capacity(1024);
    let line = timeout(deadline, async {
        loop {
            if let Some(line) = complete_line(&read) {
                return Some(Ok(line));
            }
            if read.len() > MAX_REQUEST_LINE {
                return Some(Err(()));
            }
            match stream.read_buf(&mut read).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
    .flatten()?;
    match line {
        Err(()) => {
            let message = format!(
                "The request line is too long (at most {} KB)",
                MAX_REQUEST_LINE / 1024
            );
            answer(stream, "414 URI Too Long", &message).await;
            None
        }
        Ok(line) if !well_formed(line.as_slice()) => {
            answer(stream, "400 Bad Request", "Malformed request line").await;
            None
        }
        Ok(_) => Some(read),
    }
}

/// The first non-empty line (senders may precede it with empty lines), once whole.
fn complete_line(read: &[u8]) -> Option<Vec<u8>> {
    let start = read.iter().position(|b| *b != b'\r' && *b != b'\n')?;
    let end = start + read[start..].iter().position(|b| *b == b'\n')?;
    let line = &read[start..end];
    Some(line.strip_suffix(b"\r").unwrap_or(line).to_vec())
}

/// `METHOD TARGET HTTP/x`: a token, a target without spaces or controls, a version.
fn well_formed(line: &[u8]) -> bool {
    let parts: Vec<&[u8]> = line.split(|b| *b == b' ').collect();
    let [method, target, version] = parts.as_slice() else {
        return false;
    };
    let token = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    !method.is_empty()
        && method.iter().all(token)
        && !target.is_empty()
        && target.iter().all(|b| *b > b' ' && *b != 0x7f)
        && version.starts_with(b"HTTP/")
}

async fn answer<S: AsyncWrite + Unpin>(stream: &mut S, status: &str, message: &str) {
    let body = serde_json::json!({ "error": message }).to_string();
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        assert!(well_formed(b"GET /api/v1/instance HTTP/1.1"));
        assert!(well_formed(b"PRI * HTTP/2.0"));
        assert!(well_formed(b"GET /caf\xc3\xa9 HTTP/1.1"));
        assert!(!well_formed(b"GET /a b HTTP/1.1"));
        assert!(!well_formed(b"GET\t/ HTTP/1.1"));
        assert!(!well_formed(b"G(T / HTTP/1.1"));
        assert!(!well_formed(b"GET / FTP/1.0"));
        assert!(!well_formed(b"\x16\x03\x01\x02\x00"));
    }

    #[test]
    fn the_line_is_complete_at_its_newline() {
        assert_eq!(
            complete_line(b"GET / HTTP/1.1\r\nHost"),
            Some(b"GET / HTTP/1.1".to_vec())
        );
        assert_eq!(
            complete_line(b"\r\nGET / HTTP/1.1\n"),
            Some(b"GET / HTTP/1.1".to_vec())
        );
        assert_eq!(complete_line(b"GET / HT"), None);
    }

    #[tokio::test]
    async fn bad_lines_are_answered_in_json_and_good_ones_given_back() {
        let (mut client, mut server) = tokio::io::duplex(64 * 1024);
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let read = first(&mut server, Duration::from_secs(5))
            .await
            .expect("good");
        assert!(read.starts_with(b"GET / HTTP/1.1\r\n"));

        let (mut client, mut server) = tokio::io::duplex(64 * 1024);
        client.write_all(b"HELLO\r\n\r\n").await.unwrap();
        assert!(first(&mut server, Duration::from_secs(5)).await.is_none());
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
        assert!(
            answer.ends_with(r#"{"error":"Malformed request line"}"#),
            "{answer}"
        );
    }
}
