//! Meetings' records over HTTP: documents and decisions, their follow-up, the filters and
//! counts, and who reads what (PUBLIC for everyone, RESTRICTED for the ISU).

use serde_json::{Value, json};

use crate::helpers::*;

const MEETING: &str = "mutation($i: CreateMeetingInput!) { createMeeting(input: $i) {
    meeting { id } userErrors { code field message } } }";

const ADD_DOCUMENT: &str =
    "mutation($i: AddMeetingDocumentInput!) { addMeetingDocument(input: $i) {
    document { id kind symbol title language access publishedOn downloadPath text
      submittedBy { code } meeting { id } }
    userErrors { code field message } } }";

const RECORD: &str = "mutation($i: RecordDecisionInput!) { recordDecision(input: $i) {
    decision { id kind reference status overdue version dueOn actionPlanActions access
      responsibleState { code } updates { status comment by { email } } }
    userErrors { code field message } } }";

const UPDATE: &str = "mutation($i: UpdateDecisionStatusInput!) { updateDecisionStatus(input: $i) {
    decision { id status overdue version dueOn managementResponse supersededBy { id }
      updates { status comment evidence { id } } }
    userErrors { code field message } } }";

struct Setup {
    app: TestApp,
    staff: String,
    meeting: String,
}

/// Today 2026-12-06; a meeting that opened 2025-09-16.
async fn setup() -> Setup {
    let app = spawn_app_with(|s| s.today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app
        .graphql_as(
            &staff,
            MEETING,
            json!({"i": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Thirteenth Meeting of States Parties",
                         "startsOn": "2025-09-16", "endsOn": "2025-09-19"}}),
        )
        .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();
    Setup {
        app,
        staff,
        meeting,
    }
}

async fn write(s: &Setup, token: &str, query: &str, field: &str, input: Value) -> Value {
    let body = s.app.graphql_as(token, query, json!({ "i": input })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"][field].clone()
}

fn decision_input(meeting: &str, reference: &str, due: Option<&str>, access: &str) -> Value {
    json!({"meetingId": meeting, "kind": "DECISION", "reference": reference,
           "text": format!("The ISU is to act on {reference}."), "access": access,
           "responsible": "ISU", "dueOn": due, "actionPlanActions": [44, 3, 44]})
}

#[tokio::test]
async fn decisions_are_recorded_followed_up_and_superseded_atomically() {
    let s = setup().await;
    let recorded = write(
        &s,
        &s.staff,
        RECORD,
        "recordDecision",
        decision_input(&s.meeting, "para. 27(c)", Some("2026-06-30"), "PUBLIC"),
    )
    .await;
    assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
    let d = &recorded["decision"];
    assert_eq!(d["status"], "NOT_STARTED");
    assert_eq!(d["overdue"], true, "due 2026-06-30, today 2026-12-06");
    assert_eq!(d["actionPlanActions"], json!([3, 44]));
    assert_eq!(
        d["updates"].as_array().map(Vec::len),
        Some(1),
        "the recording is the first update"
    );
    let id = d["id"].as_str().unwrap().to_owned();

    // A stale version conflicts and writes nothing.
    let stale = write(
        &s,
        &s.staff,
        UPDATE,
        "updateDecisionStatus",
        json!({"id": id, "status": "IN_PROGRESS", "expectedVersion": 7}),
    )
    .await;
    assert_eq!(codes(&stale), ["CONFLICT"]);
    let moved = write(
        &s,
        &s.staff,
        UPDATE,
        "updateDecisionStatus",
        json!({"id": id, "status": "IN_PROGRESS", "expectedVersion": 1, "comment": "Started.",
               "dueOn": "2027-03-31", "managementResponse": "The ISU will report."}),
    )
    .await;
    assert_eq!(moved["userErrors"], json!([]), "{moved}");
    let d = &moved["decision"];
    assert_eq!(
        (
            d["status"].as_str(),
            d["version"].as_i64(),
            d["overdue"].as_bool()
        ),
        (Some("IN_PROGRESS"), Some(2), Some(false))
    );
    assert_eq!(d["updates"][1]["comment"], "Started.");

    // NOT_ACCEPTED needs a comment.
    let bare = write(
        &s,
        &s.staff,
        UPDATE,
        "updateDecisionStatus",
        json!({"id": id, "status": "NOT_ACCEPTED", "expectedVersion": 2}),
    )
    .await;
    assert_eq!(codes(&bare), ["INVALID_INPUT"]);
    assert_eq!(bare["userErrors"][0]["field"], json!(["input", "comment"]));

    // Superseding: the old one becomes SUPERSEDED in the same write; again is refused.
    let mut input = decision_input(&s.meeting, "para. 31", Some("2027-09-01"), "PUBLIC");
    input["supersedesId"] = json!(id);
    let newer = write(&s, &s.staff, RECORD, "recordDecision", input.clone()).await;
    assert_eq!(newer["userErrors"], json!([]), "{newer}");
    let newer_id = newer["decision"]["id"].as_str().unwrap().to_owned();
    let old = s
        .app
        .graphql_as(
            &s.staff,
            "query($id: ID!) { node(id: $id) { ... on Decision {
        status version supersededBy { id } updates { status } } } }",
            json!({"id": id}),
        )
        .await;
    let old = &old["data"]["node"];
    assert_eq!(old["status"], "SUPERSEDED");
    assert_eq!(old["supersededBy"]["id"], newer_id.as_str());
    assert_eq!(old["version"], 3);
    input["reference"] = json!("para. 32");
    let again = write(&s, &s.staff, RECORD, "recordDecision", input).await;
    assert_eq!(codes(&again), ["INVALID_STATE_TRANSITION"]);

    // Final statuses: staff may not move them, an administrator may.
    let done = write(
        &s,
        &s.staff,
        UPDATE,
        "updateDecisionStatus",
        json!({"id": newer_id, "status": "IMPLEMENTED", "expectedVersion": 1}),
    )
    .await;
    assert_eq!(done["userErrors"], json!([]));
    let reopen = json!({"id": newer_id, "status": "IN_PROGRESS", "expectedVersion": 2, "comment": "Reopened."});
    let refused = write(&s, &s.staff, UPDATE, "updateDecisionStatus", reopen.clone()).await;
    assert_eq!(codes(&refused), ["INVALID_STATE_TRANSITION"]);
    let admin = s.app.admin_token().await;
    let reopened = write(&s, &admin, UPDATE, "updateDecisionStatus", reopen).await;
    assert_eq!(reopened["decision"]["status"], "IN_PROGRESS", "{reopened}");
}

#[tokio::test]
async fn bad_records_are_refused_and_nothing_is_written() {
    let s = setup().await;
    let entries = s.app.audit_entries().await;
    let unknown_meeting = "TWVldGluZzowMTkzMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA";
    let cases = [
        (
            decision_input(unknown_meeting, "para. 1", None, "PUBLIC"),
            "NOT_FOUND",
            "meetingId",
        ),
        (
            decision_input(&s.meeting, "para. 1", Some("2025-09-15"), "PUBLIC"),
            "INVALID_INPUT",
            "dueOn",
        ),
        (
            decision_input(&s.meeting, "", None, "PUBLIC"),
            "INVALID_INPUT",
            "reference",
        ),
    ];
    for (input, code, field) in cases {
        let refused = write(&s, &s.staff, RECORD, "recordDecision", input).await;
        assert_eq!(codes(&refused), [code], "{refused}");
        assert_eq!(refused["userErrors"][0]["field"], json!(["input", field]));
    }
    let mut actions = decision_input(&s.meeting, "para. 2", None, "PUBLIC");
    actions["actionPlanActions"] = json!([0, 101]);
    assert_eq!(
        codes(&write(&s, &s.staff, RECORD, "recordDecision", actions).await),
        ["INVALID_INPUT"]
    );

    let doc = json!({"meetingId": s.meeting, "kind": "REPORT", "symbol": "CCM/MSP/2025/7",
                     "title": "Final report", "language": "EN", "access": "PUBLIC"});
    let first = write(
        &s,
        &s.staff,
        ADD_DOCUMENT,
        "addMeetingDocument",
        doc.clone(),
    )
    .await;
    assert_eq!(first["userErrors"], json!([]), "{first}");
    let twice = write(
        &s,
        &s.staff,
        ADD_DOCUMENT,
        "addMeetingDocument",
        doc.clone(),
    )
    .await;
    assert_eq!(codes(&twice), ["ALREADY_EXISTS"]);
    let mut french = doc.clone();
    french["language"] = json!("FR");
    french["title"] = json!("Rapport final");
    let other_language = write(&s, &s.staff, ADD_DOCUMENT, "addMeetingDocument", french).await;
    assert_eq!(
        other_language["userErrors"],
        json!([]),
        "the same symbol in another language"
    );
    let mut no_meeting = doc;
    no_meeting["meetingId"] = json!(unknown_meeting);
    no_meeting["symbol"] = json!("CCM/MSP/2025/8");
    assert_eq!(
        codes(&write(&s, &s.staff, ADD_DOCUMENT, "addMeetingDocument", no_meeting).await),
        ["NOT_FOUND"]
    );
    // Two documents written, two entries; nothing else.
    assert_eq!(s.app.audit_entries().await, entries + 2);

    // Only the ISU writes.
    let lao = s.app.token_for("DELEGATION", Some("LAO")).await;
    let refused = write(
        &s,
        &lao,
        RECORD,
        "recordDecision",
        decision_input(&s.meeting, "para. 3", None, "PUBLIC"),
    )
    .await;
    assert_eq!(codes(&refused), ["FORBIDDEN"]);
}

#[tokio::test]
async fn restricted_records_are_the_isus_alone_on_every_path() {
    let s = setup().await;
    for (reference, access, due) in [
        ("para. 1", "PUBLIC", Some("2026-01-31")),
        ("para. 2", "RESTRICTED", Some("2026-02-28")),
        ("para. 3", "PUBLIC", None),
    ] {
        let r = write(
            &s,
            &s.staff,
            RECORD,
            "recordDecision",
            decision_input(&s.meeting, reference, due, access),
        )
        .await;
        assert_eq!(r["userErrors"], json!([]));
    }
    let doc = |access: &str, symbol: &str| {
        json!({"meetingId": s.meeting, "kind": "WORKING_PAPER",
        "symbol": symbol, "title": "A paper", "language": "EN", "access": access, "submittedByStateCode": "lao"})
    };
    write(
        &s,
        &s.staff,
        ADD_DOCUMENT,
        "addMeetingDocument",
        doc("PUBLIC", "CCM/MSP/2025/WP.1"),
    )
    .await;
    let restricted = write(
        &s,
        &s.staff,
        ADD_DOCUMENT,
        "addMeetingDocument",
        doc("RESTRICTED", "CCM/MSP/2025/WP.2"),
    )
    .await;
    assert_eq!(restricted["document"]["submittedBy"]["code"], "LAO");
    let restricted_id = restricted["document"]["id"].clone();

    let record = "query($id: ID!, $filter: DecisionFilter) { meeting(id: $id) {
        documents(first: 10) { totalCount edges { node { access } } }
        decisions(first: 10) { totalCount }
        implementationSummary { total overdue byStatus { status count } } }
      decisions(first: 10, filter: $filter) { totalCount edges { node { reference } } }
      implementationSummary(filter: $filter) { total overdue } }";
    let coordinator = s.app.coordinator_token(&["CLEARANCE"]).await;
    for (who, token, documents, decisions) in [
        ("staff", Some(s.staff.as_str()), 2, 3),
        ("coordinator", Some(coordinator.as_str()), 1, 2),
        ("anonymous", None, 1, 2),
    ] {
        let body = s
            .app
            .graphql_with(
                token,
                record,
                json!({"id": s.meeting, "filter": {"meetingId": s.meeting}}),
            )
            .await;
        assert!(body["errors"].is_null(), "{who}: {body}");
        let m = &body["data"]["meeting"];
        assert_eq!(m["documents"]["totalCount"], documents, "{who}");
        assert_eq!(m["decisions"]["totalCount"], decisions, "{who}");
        assert_eq!(m["implementationSummary"]["total"], decisions, "{who}");
        assert_eq!(body["data"]["decisions"]["totalCount"], decisions, "{who}");
        // para. 1 is overdue for everyone; para. 2 too, for the ISU only.
        assert_eq!(
            body["data"]["implementationSummary"]["overdue"],
            decisions - 1,
            "{who}"
        );
        let node = s
            .app
            .graphql_with(
                token,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": restricted_id}),
            )
            .await;
        assert_eq!(
            node["data"]["node"].is_null(),
            who != "staff",
            "{who}: {node}"
        );
    }
    // The export holds what the caller may read.
    let export = |token: Option<String>, query: String| {
        let (client, base) = (s.app.client.clone(), s.app.base.clone());
        async move {
            let mut req = client.get(format!("{base}/exports/decisions.csv?{query}"));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let resp = req.send().await.expect("export");
            (resp.status().as_u16(), resp.text().await.expect("text"))
        }
    };
    let meeting_q = format!("meeting={}", s.meeting);
    let (status, anonymous) = export(None, meeting_q.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(
        anonymous.lines().count(),
        3,
        "header and the two PUBLIC ones: {anonymous}"
    );
    assert!(
        anonymous.starts_with("meeting,reference,kind,text,responsible,due_on,status,overdue,")
    );
    assert!(!anonymous.contains("para. 2"));
    let (_, staff_csv) = export(Some(s.staff.clone()), meeting_q.clone()).await;
    assert_eq!(staff_csv.lines().count(), 4, "{staff_csv}");
    let para1 = staff_csv
        .lines()
        .find(|l| l.contains("para. 1"))
        .expect("para. 1");
    assert!(para1.contains(",NOT_STARTED,yes,"), "{para1}");
    let (_, none) = export(
        Some(s.staff.clone()),
        format!("{meeting_q}&status=IMPLEMENTED"),
    )
    .await;
    assert_eq!(none.lines().count(), 1);
    let (bad, _) = export(None, "status=DONE".into()).await;
    assert_eq!(bad, 400);
    let (bad, _) = export(None, "meeting=nope".into()).await;
    assert_eq!(bad, 400);
    // The filters.
    let filtered = |filter: Value| {
        let app = &s.app;
        let staff = s.staff.clone();
        async move {
            let body = app
                .graphql_as(
                    &staff,
                    "query($f: DecisionFilter) { decisions(first: 10, filter: $f) {
                edges { node { reference } } } }",
                    json!({"f": filter}),
                )
                .await;
            body["data"]["decisions"]["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["node"]["reference"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        filtered(json!({"overdue": true})).await,
        ["para. 1", "para. 2"]
    );
    assert_eq!(filtered(json!({"overdue": false})).await, ["para. 3"]);
    assert_eq!(
        filtered(json!({"dueBefore": "2026-02-01"})).await,
        ["para. 1"]
    );
    assert_eq!(filtered(json!({"actionPlanAction": 44})).await.len(), 3);
    assert_eq!(
        filtered(json!({"actionPlanAction": 4})).await.len(),
        0,
        "44 is not 4"
    );
    assert_eq!(filtered(json!({"responsible": "is"})).await.len(), 3);
    assert_eq!(filtered(json!({"status": ["IMPLEMENTED"]})).await.len(), 0);
}
