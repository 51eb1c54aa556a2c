//! Documents' files over HTTP, in the database and in a directory: upload by the ISU,
//! download by whoever may read the document, with what a file claims checked against what
//! it is, and nothing stored of a refused or broken upload.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::helpers::*;

const ADD_DOCUMENT: &str =
    "mutation($i: AddMeetingDocumentInput!) { addMeetingDocument(input: $i) {
    document { id } userErrors { message } } }";

const DOCUMENT: &str = "query($id: ID!) { node(id: $id) { ... on MeetingDocument {
    mediaType byteSize sha256 downloadPath text } } }";

struct Setup {
    app: TestApp,
    staff: String,
    public: String,
    restricted: String,
}

async fn setup(configure: impl FnOnce(&mut ccm_isu::kernel::config::Settings)) -> Setup {
    let app = spawn_app_with(configure).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let meeting = app
        .graphql_as(
            &staff,
            "mutation { createMeeting(input: {kind: MEETING_OF_STATES_PARTIES, title: \"13MSP\",
               startsOn: \"2025-09-16\", endsOn: \"2025-09-19\"}) { meeting { id } } }",
            json!({}),
        )
        .await["data"]["createMeeting"]["meeting"]["id"]
        .clone();
    let mut ids = Vec::new();
    for (symbol, access) in [
        ("CCM/MSP/2025/7", "PUBLIC"),
        ("CCM/CC/2025/1", "RESTRICTED"),
    ] {
        let body = app
            .graphql_as(
                &staff,
                ADD_DOCUMENT,
                json!({"i": {"meetingId": meeting, "kind": "REPORT", "symbol": symbol,
                             "title": "Final report", "language": "EN", "access": access}}),
            )
            .await;
        ids.push(
            body["data"]["addMeetingDocument"]["document"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_owned(),
        );
    }
    Setup {
        app,
        staff,
        restricted: ids.pop().unwrap(),
        public: ids.pop().unwrap(),
    }
}

async fn put(
    s: &Setup,
    token: Option<&str>,
    id: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = s
        .app
        .client
        .put(format!("{}/documents/{id}/file", s.app.base))
        .header("content-type", content_type)
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("upload");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn get(s: &Setup, token: Option<&str>, id: &str, etag: Option<&str>) -> reqwest::Response {
    let mut req = s
        .app
        .client
        .get(format!("{}/documents/{id}/file", s.app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(e) = etag {
        req = req.header("if-none-match", e);
    }
    req.send().await.expect("download")
}

async fn document(s: &Setup, id: &str) -> Value {
    s.app
        .graphql_as(&s.staff, DOCUMENT, json!({"id": id}))
        .await["data"]["node"]
        .clone()
}

fn markdown() -> Vec<u8> {
    let mut text = String::from("# Final report of the Thirteenth Meeting\n\n");
    while text.len() < 600 * 1024 {
        text.push_str("The Meeting decided to extend the deadline. Décidé à Genève.\n");
    }
    text.into_bytes()
}

async fn files_go_in_and_come_out(s: Setup) {
    let content = markdown();
    let (status, body) = put(
        &s,
        Some(&s.staff),
        &s.public,
        "text/markdown; charset=utf-8",
        content.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let sha: String = Sha256::digest(&content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(body["sha256"], sha.as_str());
    let doc = document(&s, &s.public).await;
    assert_eq!(doc["mediaType"], "text/markdown");
    assert_eq!(doc["byteSize"], content.len());
    assert_eq!(doc["downloadPath"], format!("/documents/{}/file", s.public));
    assert!(
        doc["text"].as_str().unwrap().starts_with("# Final report"),
        "the text is searchable"
    );

    // Anyone reads a PUBLIC document's file, whole, with its headers.
    let resp = get(&s, None, &s.public, None).await;
    assert_eq!(resp.status().as_u16(), 200);
    let h = resp.headers().clone();
    assert_eq!(h["content-type"], "text/markdown");
    assert_eq!(h["content-length"], content.len().to_string().as_str());
    assert_eq!(h["etag"], format!("\"{sha}\"").as_str());
    assert_eq!(
        h["content-disposition"],
        "attachment; filename=\"CCM_MSP_2025_7-en.md\""
    );
    assert_eq!(resp.bytes().await.unwrap().to_vec(), content);
    let unchanged = get(&s, None, &s.public, Some(&format!("\"{sha}\""))).await;
    assert_eq!(unchanged.status().as_u16(), 304);

    // A RESTRICTED one's file is the ISU's alone.
    let (status, _) = put(
        &s,
        Some(&s.staff),
        &s.restricted,
        "text/plain",
        b"restricted notes".to_vec(),
    )
    .await;
    assert_eq!(status, 200);
    let lao = s.app.token_for("DELEGATION", Some("LAO")).await;
    assert_eq!(
        get(&s, None, &s.restricted, None).await.status().as_u16(),
        404
    );
    assert_eq!(
        get(&s, Some(&lao), &s.restricted, None)
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        get(&s, Some(&s.staff), &s.restricted, None)
            .await
            .status()
            .as_u16(),
        200
    );

    // Refused uploads store nothing: the file stays the one uploaded.
    let entries = s.app.audit_entries().await;
    for (token, content_type, body, expected) in [
        (Some(lao.as_str()), "text/plain", b"hi".to_vec(), 403),
        (None, "text/plain", b"hi".to_vec(), 401),
        (
            Some(s.staff.as_str()),
            "image/png",
            b"\x89PNG....".to_vec(),
            415,
        ),
        (
            Some(s.staff.as_str()),
            "application/pdf",
            b"not a PDF at all".to_vec(),
            415,
        ),
        (
            Some(s.staff.as_str()),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"%PDF-1.7".to_vec(),
            415,
        ),
        (
            Some(s.staff.as_str()),
            "text/plain",
            vec![b'a', 0xff, 0xfe, b'b'],
            415,
        ),
    ] {
        let (status, body) = put(&s, token, &s.public, content_type, body).await;
        assert_eq!(status, expected, "{content_type}: {body}");
    }
    // Cut off midway: the connection closes before the declared length.
    let addr = s.app.base.trim_start_matches("http://").to_owned();
    let mut raw = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!(
        "PUT /documents/{}/file HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {}\r\ncontent-type: text/plain\r\ncontent-length: 100000\r\n\r\n",
        s.public, s.staff
    );
    raw.write_all(head.as_bytes()).await.unwrap();
    raw.write_all(&[b'x'; 5000]).await.unwrap();
    drop(raw);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(s.app.audit_entries().await, entries, "nothing written");
    assert_eq!(document(&s, &s.public).await["sha256"], sha.as_str());

    // A new upload replaces the file; the entry keeps both hashes.
    let pdf = b"%PDF-1.7\n% sample\n".to_vec();
    let (status, body) = put(
        &s,
        Some(&s.staff),
        &s.public,
        "application/pdf",
        pdf.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let resp = get(&s, None, &s.public, None).await;
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(s.app.audit_entries().await, entries + 1);
    assert!(
        document(&s, &s.public).await["text"]
            .as_str()
            .unwrap()
            .starts_with("# Final report"),
        "a PDF whose text cannot be read leaves the document the text it had"
    );
}

#[tokio::test]
async fn document_files_in_the_database() {
    files_go_in_and_come_out(setup(|_| {}).await).await;
}

#[tokio::test]
async fn document_files_in_a_directory() {
    let dir = std::env::temp_dir().join(format!("ccm-isu-documents-{}", uuid::Uuid::now_v7()));
    let d = dir.clone();
    files_go_in_and_come_out(setup(move |s| s.document_dir = Some(d)).await).await;
    let files = std::fs::read_dir(&dir).expect("dir").count();
    assert_eq!(files, 2, "the replaced file is gone, no partial file stays");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_and_nothing_is_stored() {
    let s = setup(|s| s.document_max_bytes = 1000).await;
    let (status, _) = put(
        &s,
        Some(&s.staff),
        &s.public,
        "text/plain",
        vec![b'a'; 1001],
    )
    .await;
    assert_eq!(status, 413);
    assert!(
        document(&s, &s.public).await["sha256"].is_null(),
        "nothing stored"
    );
    let (status, _) = put(
        &s,
        Some(&s.staff),
        &s.public,
        "text/plain",
        vec![b'a'; 1000],
    )
    .await;
    assert_eq!(status, 200);
}

/// The PDF printed from `tests/fixtures/sample-msp.html` by headless Chromium: embedded
/// subset fonts with their ToUnicode maps, compressed streams, as word processors write.
const SAMPLE_PDF: &[u8] = include_bytes!("../fixtures/sample-msp.pdf");

#[tokio::test]
async fn a_pdf_or_html_file_gives_its_text_and_search_finds_it() {
    let s = setup(|_| {}).await;
    let (status, body) = put(
        &s,
        Some(&s.staff),
        &s.public,
        "application/pdf",
        SAMPLE_PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let text = document(&s, &s.public).await["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for words in [
        "Twelfth Meeting of States Parties",
        "completion of stockpile destruction under Article 3",
        "Déminage et réduction des risques",
        "Zanzibarite is a sample word",
    ] {
        assert!(text.contains(words), "{words:?} in {text:?}");
    }
    let found = s
        .app
        .graphql_with(
            None,
            "{ search(query: \"zanzibarite\") { totalCount edges { node {
                snippet hit { ... on MeetingDocument { symbol } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(found["data"]["search"]["totalCount"], 1, "{found}");
    let hit = &found["data"]["search"]["edges"][0]["node"];
    assert_eq!(hit["hit"]["symbol"], "CCM/MSP/2025/7");
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains("<mark>Zanzibarite</mark>"),
        "{hit}"
    );

    let html = "<!doctype html><html><head><title>Coordination notes</title>
        <style>p { color: red }</style><script>var secret = '<p>hidden</p>';</script>
        <body><h1>Clearance</h1><p>Extension requests &amp; their <b>analysis</b>.</p>";
    let (status, body) = put(
        &s,
        Some(&s.staff),
        &s.restricted,
        "text/html; charset=utf-8",
        html.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        document(&s, &s.restricted).await["text"],
        "Coordination notes\n\nClearance\n\nExtension requests & their analysis."
    );
}

/// A source of one piece.
struct Once(Option<Vec<u8>>);

impl ccm_isu::kernel::blobs::ChunkSource for Once {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, String> {
        Ok(self.0.take())
    }
}

#[tokio::test]
async fn the_sweep_deletes_old_files_that_no_document_names() {
    use ccm_isu::domain::records::files::sweep;
    let s = setup(|_| {}).await;
    let (status, _) = put(
        &s,
        Some(&s.staff),
        &s.public,
        "text/plain",
        b"named".to_vec(),
    )
    .await;
    assert_eq!(status, 200);
    let blobs = ccm_isu::kernel::blobs::Blobs::new(s.app.db.clone(), None);
    let orphan = blobs
        .put(Once(Some(b"left by a dead upload".to_vec())), 1000)
        .await
        .expect("stored");
    assert_eq!(blobs.ids().await.expect("ids").len(), 2);

    // A file stored within the hour may be an upload under way: it stays.
    let an_hour_ago = ccm_isu::kernel::clock::now() - chrono::Duration::hours(1);
    assert_eq!(
        sweep(&s.app.db, &blobs, an_hour_ago).await.expect("sweep"),
        0
    );
    assert_eq!(blobs.ids().await.expect("ids").len(), 2);

    let later = ccm_isu::kernel::clock::now() + chrono::Duration::seconds(2);
    assert_eq!(sweep(&s.app.db, &blobs, later).await.expect("sweep"), 1);
    let left = blobs.ids().await.expect("ids");
    assert_eq!(left.len(), 1);
    assert!(!left.contains(&orphan.id), "the orphan is gone");
    let resp = get(&s, None, &s.public, None).await;
    assert_eq!(resp.status().as_u16(), 200, "the named file stays");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), b"named");
}
