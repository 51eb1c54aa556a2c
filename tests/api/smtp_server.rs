//! A real SMTP server for the tests: mailin-embedded on 127.0.0.1 (a port of its own), which
//! records every message it accepts (envelope, headers, decoded text and HTML parts) and can
//! be told to refuse: the next transactions with a code (451: try again later, as a
//! greylisting server answers), or a recipient (550: no such mailbox). Both are answered at
//! RCPT: mailin keeps a session in its DATA state after a refused end of data, so a refusal
//! there would leave the client's next command unanswered.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use mailin_embedded::{Handler, Response, Server, response};

/// One message the server accepted.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    /// The envelope's recipients (RCPT TO), lower-cased.
    pub to: Vec<String>,
    /// The message as it came over the wire (headers and body).
    pub raw: String,
}

#[derive(Default)]
struct Shared {
    accepted: Vec<Received>,
    /// Codes to answer the next transactions with, instead of accepting them.
    refusals: VecDeque<u16>,
    /// Recipients refused, and the code.
    refused_rcpt: HashMap<String, u16>,
    /// Transactions that reached a recipient, accepted or refused.
    transactions: usize,
}

/// The running server (its threads live as long as the test process).
pub struct SmtpServer {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
}

impl SmtpServer {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an SMTP port");
        let port = listener.local_addr().expect("addr").port();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let handler = Recorder {
            shared: Arc::clone(&shared),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
        };
        let mut server = Server::new(handler);
        server
            .with_name("smtp.test")
            // Senders keep pooled connections open, one thread each.
            .with_num_threads(64)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self { port, shared }
    }

    /// `smtp://127.0.0.1:{port}`: plain (the server offers no STARTTLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The next `n` transactions are answered `code` instead of being accepted.
    pub fn refuse_next(&self, n: usize, code: u16) {
        let mut s = self.shared.lock().expect("lock");
        s.refusals.extend(std::iter::repeat_n(code, n));
    }

    /// `address` is refused at RCPT with `code`.
    pub fn refuse_recipient(&self, address: &str, code: u16) {
        self.shared
            .lock()
            .expect("lock")
            .refused_rcpt
            .insert(address.to_lowercase(), code);
    }

    pub fn accepted(&self) -> Vec<Received> {
        self.shared.lock().expect("lock").accepted.clone()
    }

    /// Transactions that reached a recipient, accepted or refused.
    pub fn transactions(&self) -> usize {
        self.shared.lock().expect("lock").transactions
    }

    /// Waits up to `within` until at least `n` messages were accepted; answers them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let got = self.accepted();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} messages after {within:?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One per connection (mailin clones it): the transaction in progress.
#[derive(Clone)]
struct Recorder {
    shared: Arc<Mutex<Shared>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

fn bare(address: &str) -> String {
    address
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase()
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.from = bare(from);
        self.to.clear();
        self.data.clear();
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let to = bare(to);
        let Ok(mut s) = self.shared.lock() else {
            return response::INTERNAL_ERROR;
        };
        if self.to.is_empty() {
            s.transactions += 1;
            if let Some(code) = s.refusals.pop_front() {
                return Response::custom(code, "try again later".into());
            }
        }
        if let Some(code) = s.refused_rcpt.get(&to).copied() {
            return Response::custom(code, format!("{to}: mailbox unavailable"));
        }
        self.to.push(to);
        response::OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let Ok(mut s) = self.shared.lock() else {
            return response::INTERNAL_ERROR;
        };
        s.accepted.push(Received {
            from: self.from.clone(),
            to: std::mem::take(&mut self.to),
            raw: String::from_utf8_lossy(&std::mem::take(&mut self.data)).into_owned(),
        });
        response::OK
    }
}

/// Headers (unfolded) and body of a message or a MIME part.
fn split(raw: &str) -> (Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push_str(line);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_lowercase(), v.trim().to_owned()));
        }
    }
    (headers, body.to_owned())
}

fn header_of(headers: &[(String, String)], name: &str) -> Option<String> {
    let name = name.to_lowercase();
    headers
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.clone())
}

fn decode_body(headers: &[(String, String)], body: &str) -> String {
    match header_of(headers, "content-transfer-encoding")
        .map(|e| e.to_lowercase())
        .as_deref()
    {
        Some("base64") => {
            let joined: String = body.split_whitespace().collect();
            String::from_utf8_lossy(
                &base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .expect("base64 body"),
            )
            .into_owned()
        }
        Some("quoted-printable") => quoted_printable(body),
        _ => body.to_owned(),
    }
}

fn quoted_printable(s: &str) -> String {
    let s = s.replace("=\n", "");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded; whitespace between
/// two of them dropped.
fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while !rest.is_empty() {
        let Some(start) = rest.find("=?") else {
            out.push_str(rest);
            break;
        };
        let before = &rest[..start];
        if !(last_was_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let word = &rest[start + 2..];
        let mut parts = word.splitn(3, '?');
        let (_charset, enc, tail) = (parts.next(), parts.next(), parts.next());
        let (Some(enc), Some(tail)) = (enc, tail) else {
            out.push_str(&rest[start..]);
            break;
        };
        let Some(end) = tail.find("?=") else {
            out.push_str(&rest[start..]);
            break;
        };
        let text = &tail[..end];
        let decoded = if enc.eq_ignore_ascii_case("b") {
            String::from_utf8_lossy(
                &base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .expect("base64 word"),
            )
            .into_owned()
        } else {
            quoted_printable(&text.replace('_', " "))
        };
        out.push_str(&decoded);
        last_was_word = true;
        rest = &tail[end + 2..];
    }
    out
}

impl Received {
    /// A header's value as sent (unfolded, not decoded).
    pub fn header(&self, name: &str) -> Option<String> {
        header_of(&split(&self.raw).0, name)
    }

    pub fn message_id(&self) -> String {
        self.header("message-id").expect("a Message-ID")
    }

    /// The subject, decoded.
    pub fn subject(&self) -> String {
        decode_words(&self.header("subject").expect("a Subject"))
    }

    /// The decoded MIME parts: (content type, text).
    pub fn parts(&self) -> Vec<(String, String)> {
        let (headers, body) = split(&self.raw);
        let ctype = header_of(&headers, "content-type").unwrap_or_default();
        let Some(boundary) = ctype.split(';').find_map(|p| {
            p.trim()
                .strip_prefix("boundary=")
                .map(|b| b.trim_matches('"').to_owned())
        }) else {
            return vec![(ctype, decode_body(&headers, &body))];
        };
        body.split(&format!("--{boundary}"))
            .skip(1)
            .filter(|p| !p.starts_with("--"))
            .map(|p| {
                let (h, b) = split(p.trim_start_matches('\n'));
                (
                    header_of(&h, "content-type").unwrap_or_default(),
                    decode_body(&h, &b),
                )
            })
            .collect()
    }

    pub fn text(&self) -> String {
        self.parts()
            .into_iter()
            .find(|(t, _)| t.starts_with("text/plain"))
            .map(|(_, b)| b)
            .expect("a text/plain part")
    }

    pub fn html(&self) -> String {
        self.parts()
            .into_iter()
            .find(|(t, _)| t.starts_with("text/html"))
            .map(|(_, b)| b)
            .expect("a text/html part")
    }
}

#[test]
fn encoded_words_and_quoted_printable_decode() {
    assert_eq!(
        decode_words("=?utf-8?b?w4ljaMOpYW5jZQ==?= =?utf-8?q?_d=C3=A9pass=C3=A9e?="),
        "Échéance dépassée"
    );
    assert_eq!(decode_words("plain"), "plain");
    assert_eq!(quoted_printable("caf=C3=A9 =\nau lait"), "café au lait");
}
