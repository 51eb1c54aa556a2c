//! Connections that cannot be held hostage (issue 26, item 5), over real TCP: a half-sent
//! header and an idle keep-alive are closed, a client past the cap still gets in, and a
//! request in flight at shutdown is finished.

use std::time::Duration;

use ccm_isu::kernel::config::Settings;
use ccm_isu::startup::Application;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

/// Far longer than any deadline set here: a socket still open after it was not closed.
const PATIENCE: Duration = Duration::from_secs(15);

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// Waits for the server to close the socket (end of file or reset), reading and discarding
/// whatever comes first; false if it is still open after [`PATIENCE`].
async fn closed_by_server(stream: &mut TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    let waited = tokio::time::timeout(PATIENCE, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    waited.is_ok()
}

/// Reads one response with a `Content-Length` body and returns its head.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(PATIENCE, stream.read(&mut buf))
            .await
            .expect("a response in time")
            .expect("read");
        assert!(n > 0, "closed before a whole response");
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = text[..end].to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().expect("length"));
            if data.len() >= end + 4 + length {
                return head;
            }
        }
    }
}

const LIVE: &[u8] = b"GET /health/live HTTP/1.1\r\nHost: isu\r\n\r\n";
const HALF: &[u8] = b"GET /health/live HTTP/1.1\r\nHost: isu\r\nX-Slow: ";

#[tokio::test]
async fn a_half_sent_header_is_closed_after_the_header_timeout() {
    let app = spawn_app_with(|s| s.connections.header_read_timeout_secs = 1).await;
    let mut slow = TcpStream::connect(addr(&app)).await.expect("connect");
    slow.write_all(HALF).await.expect("write");
    // A byte now and then does not extend the deadline.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = slow.write_all(b"a").await;
    assert!(
        closed_by_server(&mut slow).await,
        "the slow header was kept"
    );
    // A connection that sends nothing at all is closed too.
    let mut silent = TcpStream::connect(addr(&app)).await.expect("connect");
    assert!(
        closed_by_server(&mut silent).await,
        "the silent connection was kept"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_is_closed_after_the_idle_timeout_not_the_header_timeout() {
    let app = spawn_app_with(|s| {
        s.connections.header_read_timeout_secs = 1;
        s.connections.idle_timeout_secs = 4;
    })
    .await;
    let mut conn = TcpStream::connect(addr(&app)).await.expect("connect");
    conn.write_all(LIVE).await.expect("write");
    assert!(read_response(&mut conn).await.starts_with("http/1.1 200"));
    // Idle for longer than the header timeout: the connection is still good.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    conn.write_all(LIVE).await.expect("write");
    assert!(read_response(&mut conn).await.starts_with("http/1.1 200"));
    assert!(
        closed_by_server(&mut conn).await,
        "the idle connection was kept"
    );
}

#[tokio::test]
async fn past_the_cap_a_new_client_takes_the_place_of_the_oldest_idle_connection() {
    let app = spawn_app_with(|s| s.connections.max_connections = Some(3)).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut s = TcpStream::connect(addr(&app)).await.expect("connect");
        s.write_all(HALF).await.expect("write");
        held.push(s);
    }
    // Past the cap, with every place held by a half-sent header (timeout 10 s).
    let resp = tokio::time::timeout(
        PATIENCE,
        app.client.get(format!("{}/health/live", app.base)).send(),
    )
    .await
    .expect("served in time")
    .expect("served");
    assert_eq!(resp.status(), 200);
    // The oldest half-sent header made the room; the newer ones are still open.
    assert!(closed_by_server(&mut held[0]).await);
    held[2].write_all(b"x\r\n\r\n").await.expect("write");
    assert!(
        read_response(&mut held[2])
            .await
            .starts_with("http/1.1 200")
    );
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight_and_stops_accepting() {
    let app = spawn_app().await;
    let mut settings = Settings::for_database(&app.url);
    settings.bootstrap_admin_email = None;
    let server = Application::build(settings).await.expect("builds");
    let address = server.local_addr().expect("bound");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until_stopped(async {
        let _ = stopped.await;
    }));
    let body = br#"{"query":"{ __typename }"}"#;
    let mut conn = TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: isu\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.expect("write");
    conn.write_all(&body[..5]).await.expect("write");
    // The handler is now waiting for the rest of the body.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).expect("stop");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        TcpStream::connect(address).await.is_err(),
        "still accepting after shutdown"
    );
    conn.write_all(&body[5..]).await.expect("write");
    let head = read_response(&mut conn).await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    tokio::time::timeout(PATIENCE, running)
        .await
        .expect("stopped in time")
        .expect("joined")
        .expect("served");
}
