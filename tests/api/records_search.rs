//! Full-text search over meetings' records on both databases: every word must match,
//! headings weigh more than text, snippets are escaped and marked, RESTRICTED records are
//! the ISU's alone, pages follow one another, and bad queries are refused.

use serde_json::{Value, json};

use crate::helpers::*;

const SEARCH: &str = "query($q: String!, $first: Int, $after: String, $language: Language) {
  search(query: $q, first: $first, after: $after, language: $language) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { score snippet hit { __typename
      ... on MeetingDocument { symbol title } ... on Decision { reference } } } } } }";

async fn search(app: &TestApp, token: Option<&str>, vars: Value) -> Value {
    app.graphql_with(token, SEARCH, vars).await
}

fn names(body: &Value) -> Vec<String> {
    body["data"]["search"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| {
            let h = &e["node"]["hit"];
            h["symbol"]
                .as_str()
                .or(h["reference"].as_str())
                .or(h["title"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn search_finds_what_the_viewer_may_read_best_first() {
    let app = spawn_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let meeting = app
        .graphql_as(
            &staff,
            "mutation { createMeeting(input: {kind: MEETING_OF_STATES_PARTIES, title: \"12MSP\",
               startsOn: \"2024-09-10\", endsOn: \"2024-09-13\"}) { meeting { id } } }",
            json!({}),
        )
        .await["data"]["createMeeting"]["meeting"]["id"]
        .clone();
    let doc = |symbol: &str, title: &str, language: &str, access: &str, text: &str| {
        json!({"i": {"meetingId": meeting, "kind": "WORKING_PAPER", "symbol": symbol, "title": title,
                     "language": language, "access": access, "text": text}})
    };
    for vars in [
        doc(
            "CCM/MSP/2024/WP.1",
            "Clearance of cluster munition remnants",
            "EN",
            "PUBLIC",
            "Progress in land release and survey. <script>alert(1)</script>",
        ),
        doc(
            "CCM/MSP/2024/WP.2",
            "Victim assistance",
            "EN",
            "PUBLIC",
            "Survivors need services; clearance of remnants continues in the south.",
        ),
        doc(
            "CCM/MSP/2024/WP.3",
            "Déminage",
            "FR",
            "PUBLIC",
            "Le déminage et la clearance des restes.",
        ),
        doc(
            "CCM/CC/2024/1",
            "Coordination Committee note on clearance remnants",
            "EN",
            "RESTRICTED",
            "Restricted discussion.",
        ),
    ] {
        let body = app
            .graphql_as(&staff, "mutation($i: AddMeetingDocumentInput!) { addMeetingDocument(input: $i) { userErrors { message } } }", vars)
            .await;
        assert_eq!(
            body["data"]["addMeetingDocument"]["userErrors"],
            json!([]),
            "{body}"
        );
    }
    let body = app
        .graphql_as(
            &staff,
            "mutation($i: RecordDecisionInput!) { recordDecision(input: $i) { userErrors { message } } }",
            json!({"i": {"meetingId": meeting, "kind": "DECISION", "reference": "para. 12",
                         "text": "The Meeting urged clearance of all remnants by 2030.", "access": "PUBLIC",
                         "responsible": "States parties"}}),
        )
        .await;
    assert_eq!(
        body["data"]["recordDecision"]["userErrors"],
        json!([]),
        "{body}"
    );

    // Both words, wherever they are (the French paper has only one); the title match first;
    // the restricted note only for the ISU.
    let anonymous = search(&app, None, json!({"q": "Clearance REMNANTS"})).await;
    assert!(anonymous["errors"].is_null(), "{anonymous}");
    let found = names(&anonymous);
    assert_eq!(anonymous["data"]["search"]["totalCount"], 3, "{anonymous}");
    assert_eq!(
        found[0], "CCM/MSP/2024/WP.1",
        "the title match ranks first: {found:?}"
    );
    assert!(found.contains(&"para. 12".to_owned()));
    assert!(!found.contains(&"CCM/CC/2024/1".to_owned()));
    let isu = search(&app, Some(&staff), json!({"q": "clearance remnants"})).await;
    assert_eq!(isu["data"]["search"]["totalCount"], 4, "{isu}");
    // A word that is an operator elsewhere is a word here: "or" is searched for, never read
    // as "either" (no text holds it, so nothing is found).
    let either = search(&app, Some(&staff), json!({"q": "clearance or remnants"})).await;
    assert_eq!(either["data"]["search"]["totalCount"], 0, "{either}");

    // Snippets: escaped, with the words marked.
    let snippets: Vec<&str> = anonymous["data"]["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["snippet"].as_str().unwrap())
        .collect();
    assert!(
        snippets.iter().all(|s| !s.contains("<script>")),
        "{snippets:?}"
    );
    assert!(
        snippets
            .iter()
            .any(|s| s.to_lowercase().contains("<mark>clearance</mark>")),
        "{snippets:?}"
    );

    // Pages follow one another.
    let first = search(&app, None, json!({"q": "clearance remnants", "first": 2})).await;
    let page = &first["data"]["search"];
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let rest = search(
        &app,
        None,
        json!({"q": "clearance remnants", "first": 2,
        "after": page["pageInfo"]["endCursor"]}),
    )
    .await;
    let mut all = names(&first);
    all.extend(names(&rest));
    assert_eq!(all, found, "two pages are the whole list");
    let past = search(
        &app,
        None,
        json!({"q": "clearance remnants", "first": 2,
        "after": rest["data"]["search"]["pageInfo"]["endCursor"]}),
    )
    .await;
    assert!(names(&past).is_empty(), "{past}");
    assert_eq!(
        past["data"]["search"]["totalCount"], first["data"]["search"]["totalCount"],
        "a page past the end still counts every hit"
    );
    assert_eq!(
        rest["data"]["search"]["totalCount"],
        first["data"]["search"]["totalCount"]
    );

    // A language keeps its documents and every decision.
    let french = search(&app, None, json!({"q": "clearance", "language": "FR"})).await;
    let mut fr = names(&french);
    fr.sort();
    assert_eq!(fr, ["CCM/MSP/2024/WP.3", "para. 12"]);

    // What looks like syntax is words.
    let odd = search(
        &app,
        None,
        json!({"q": "\"; DROP TABLE decisions; -- OR *"}),
    )
    .await;
    assert!(odd["errors"].is_null(), "{odd}");
    assert_eq!(odd["data"]["search"]["totalCount"], 0);

    // Refused: an empty search, one of 10 000 characters, a cursor not of this search.
    for q in [
        json!({"q": "  "}),
        json!({"q": "a".repeat(10_000)}),
        json!({"q": "x", "after": "nope"}),
    ] {
        let refused = search(&app, None, q).await;
        assert_eq!(error_code(&refused), Some("BAD_USER_INPUT"), "{refused}");
    }
}

#[tokio::test]
async fn a_document_s_new_text_is_searchable_at_once() {
    let app = spawn_app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let meeting = app
        .graphql_as(
            &staff,
            "mutation { createMeeting(input: {kind: INTERSESSIONAL, title: \"Intersessional\",
               startsOn: \"2025-05-05\", endsOn: \"2025-05-06\"}) { meeting { id } } }",
            json!({}),
        )
        .await["data"]["createMeeting"]["meeting"]["id"]
        .clone();
    let body = app
        .graphql_as(
            &staff,
            "mutation($i: AddMeetingDocumentInput!) { addMeetingDocument(input: $i) { document { id } } }",
            json!({"i": {"meetingId": meeting, "kind": "PRESENTATION", "title": "Slides",
                         "language": "EN", "access": "PUBLIC"}}),
        )
        .await;
    let id = body["data"]["addMeetingDocument"]["document"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        search(&app, None, json!({"q": "stockpiles"})).await["data"]["search"]["totalCount"],
        0
    );
    let resp = app
        .client
        .put(format!("{}/documents/{id}/file", app.base))
        .bearer_auth(&staff)
        .header("content-type", "text/plain")
        .body("Destruction of stockpiles completed in 2023.")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let found = search(&app, None, json!({"q": "stockpiles"})).await;
    assert_eq!(found["data"]["search"]["totalCount"], 1, "{found}");

    // A word far into a long text still shows, marked, in the snippet.
    let long = format!(
        "{}The Meeting noted the Zanzibarite survey.",
        "Preamble without the word. ".repeat(400)
    );
    let resp = app
        .client
        .put(format!("{}/documents/{id}/file", app.base))
        .bearer_auth(&staff)
        .header("content-type", "text/plain")
        .body(long)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let found = search(&app, None, json!({"q": "zanzibarite survey"})).await;
    let snippet = found["data"]["search"]["edges"][0]["node"]["snippet"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(snippet.contains("<mark>zanzibarite</mark>"), "{found}");
}
