//! The analysis and the decision over HTTP (issue 27): the analysis group's numbered
//! questions (ISU staff) and the State's answers (its delegation or ISU staff), the meeting's
//! decision (ISU staff) whose grant is a deadline extension written in the same transaction,
//! and every refusal, each of which writes nothing.
//!
//! Requests are opened, completed and submitted through the lifecycle's own mutations. Lao
//! PDR's clearance deadline is 2030-08-01 (extended twice); its request asks for 2035-08-01
//! at a Meeting of States Parties in session on [`TODAY`].

use entity::audit_entry;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use serde_json::{Value, json};

use super::{TODAY, app, extend, lao_clearance_to_2030, meeting};
use crate::helpers::*;

const REQUEST_FIELDS: &str = "id status version currentDeadline requestedDeadline submittedOn
  elements { provision provided }
  questions { number askedOn question answer answeredOn }
  outcome grantedDeadline decidedOn
  decision { id reference }
  extension { id previousDeadline newDeadline grantedOn grantedAt }
  previous { id grantedDeadline }";

fn payload_query(mutation: &str, input: &str) -> String {
    format!(
        "mutation($input: {input}!) {{ {mutation}(input: $input) {{
  request {{ {REQUEST_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

const STATE: &str = "query($c: String!) { stateParty(code: $c) {
  obligations(kinds: [CLEARANCE]) { dueDate extended status }
  extensions { kind previousDeadline newDeadline grantedOn grantedAt } } }";

const RECORD_DECISION: &str = "mutation($i: RecordDecisionInput!) { recordDecision(input: $i) {
  decision { id } userErrors { code field message } } }";

/// The meeting every request here goes to: in session on [`TODAY`].
const MSP: &str = "Fourteenth Meeting of States Parties";

/// Runs mutation `name` with `input` and answers its payload; fails on a top-level error.
async fn mutate(app: &TestApp, token: &str, name: &str, input_type: &str, input: Value) -> Value {
    let body = app
        .graphql_as(
            token,
            &payload_query(name, input_type),
            json!({ "input": input }),
        )
        .await;
    assert!(body["errors"].is_null(), "{name}: {body}");
    body["data"][name].clone()
}

async fn ask(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(
        app,
        token,
        "askAnalysisQuestion",
        "AskAnalysisQuestionInput",
        input,
    )
    .await
}

async fn answer(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(
        app,
        token,
        "answerAnalysisQuestion",
        "AnswerAnalysisQuestionInput",
        input,
    )
    .await
}

async fn decide(app: &TestApp, token: &str, input: Value) -> Value {
    mutate(
        app,
        token,
        "decideExtensionRequest",
        "DecideExtensionRequestInput",
        input,
    )
    .await
}

/// Opens a request of `code` for `kind` to `requested` at `meeting` (a DRAFT); answers it.
async fn open(
    app: &TestApp,
    token: &str,
    code: &str,
    kind: &str,
    requested: &str,
    meeting: &str,
) -> Value {
    let p = mutate(
        app,
        token,
        "openExtensionRequest",
        "OpenExtensionRequestInput",
        json!({"stateCode": code, "kind": kind, "requestedDeadline": requested, "meetingId": meeting}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "open: {p}");
    p["request"].clone()
}

/// Fills every element of `draft` and submits it; answers the submitted request.
async fn complete_and_submit(app: &TestApp, token: &str, draft: &Value) -> Value {
    let elements: Vec<Value> = draft["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| json!({"provision": e["provision"], "text": format!("What {} asks for.", e["provision"])}))
        .collect();
    let p = mutate(
        app,
        token,
        "updateExtensionRequest",
        "UpdateExtensionRequestInput",
        json!({"id": draft["id"], "expectedVersion": draft["version"], "elements": elements}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "update: {p}");
    let p = mutate(
        app,
        token,
        "submitExtensionRequest",
        "SubmitExtensionRequestInput",
        json!({"id": draft["id"], "expectedVersion": p["request"]["version"]}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "submit: {p}");
    assert_eq!(p["request"]["status"], "SUBMITTED", "{p}");
    p["request"].clone()
}

struct Setup {
    app: TestApp,
    admin: String,
    staff: String,
    /// Lao PDR's delegation.
    lao: String,
    msp: String,
    /// Lao PDR's submitted clearance request, as submitted.
    request: Value,
}

impl Setup {
    fn id(&self) -> &str {
        self.request["id"].as_str().expect("request id")
    }

    /// The request as ISU staff read it.
    async fn request(&self, id: &str) -> Value {
        let body = self
            .app
            .graphql_as(
                &self.staff,
                &format!("query($id: ID!) {{ node(id: $id) {{ ... on ExtensionRequest {{ {REQUEST_FIELDS} }} }} }}"),
                json!({"id": id}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        body["data"]["node"].clone()
    }

    /// A State's clearance obligation and its extensions.
    async fn state(&self, code: &str) -> Value {
        let body = self.app.graphql(STATE, json!({"c": code})).await;
        assert!(body["errors"].is_null(), "{body}");
        body["data"]["stateParty"].clone()
    }

    /// What a refusal must leave as it was: the audit log's size, the request, Lao's
    /// obligation and extensions.
    async fn written(&self) -> (u64, Value, Value) {
        (
            self.app.audit_entries().await,
            self.request(self.id()).await,
            self.state("LAO").await,
        )
    }

    /// Records a PUBLIC decision of `meeting`; answers its ID.
    async fn decision(&self, meeting: &str, reference: &str) -> String {
        let body = self
            .app
            .graphql_as(
                &self.staff,
                RECORD_DECISION,
                json!({"i": {"meetingId": meeting, "kind": "DECISION", "reference": reference,
                       "text": "The meeting grants the request.", "access": "PUBLIC", "responsible": "Lao PDR"}}),
            )
            .await;
        body["data"]["recordDecision"]["decision"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("decision recorded: {body}"))
            .to_owned()
    }

    /// Asks one question as ISU staff, today; answers the payload.
    async fn ask(&self, question: &str) -> Value {
        let p = ask(
            &self.app,
            &self.staff,
            json!({"requestId": self.id(), "question": question, "askedOn": TODAY}),
        )
        .await;
        assert_eq!(p["userErrors"], json!([]), "{p}");
        p
    }
}

/// Today 2026-12-07; Lao PDR's clearance deadline extended to 2030-08-01; a Meeting of
/// States Parties from 2026-12-02 to 2026-12-09; Lao PDR's request for 2035-08-01 submitted
/// today by its delegation.
async fn setup() -> Setup {
    let app = app().await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    lao_clearance_to_2030(&app, &admin).await;
    let msp = meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        MSP,
        "2026-12-02",
        "2026-12-09",
    )
    .await;
    let draft = open(&app, &lao, "LAO", "CLEARANCE", "2035-08-01", &msp).await;
    let request = complete_and_submit(&app, &lao, &draft).await;
    assert_eq!(request["submittedOn"], TODAY);
    assert_eq!(request["currentDeadline"], "2030-08-01");
    Setup {
        app,
        admin,
        staff,
        lao,
        msp,
        request,
    }
}

/// Asserts that `payload` refused with `code` on `field` (null for none), and that nothing
/// was written since `before`.
async fn assert_refused(
    s: &Setup,
    before: &(u64, Value, Value),
    payload: &Value,
    code: &str,
    field: Value,
) {
    assert_eq!(payload["request"], Value::Null, "{payload}");
    assert_eq!(payload["userErrors"][0]["code"], code, "{payload}");
    assert_eq!(payload["userErrors"][0]["field"], field, "{payload}");
    let message = payload["userErrors"][0]["message"].as_str().unwrap_or("");
    assert!(!message.is_empty(), "{payload}");
    assert_eq!(&s.written().await, before, "a refusal wrote: {payload}");
}

fn field(name: &str) -> Value {
    json!(["input", name])
}

/// The latest `n` audit entries, newest first: (action, entity type).
async fn latest_entries(app: &TestApp, n: u64) -> Vec<(String, String)> {
    audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(n)
        .all(&app.db)
        .await
        .expect("audit entries")
        .into_iter()
        .map(|e| (e.action, e.entity_type))
        .collect()
}

#[tokio::test]
async fn questions_are_numbered_from_one_answered_and_read_by_whoever_reads_the_request() {
    let s = setup().await;
    let audit = s.app.audit_entries().await;
    let first = s.ask("What area remains to be surveyed?").await;
    assert_eq!(first["request"]["status"], "UNDER_ANALYSIS", "{first}");
    assert_eq!(
        first["request"]["version"],
        s.request["version"].as_i64().expect("version") + 1
    );
    assert_eq!(
        first["request"]["questions"],
        json!([{"number": 1, "askedOn": TODAY, "question": "What area remains to be surveyed?",
                "answer": null, "answeredOn": null}])
    );
    let second = s
        .ask("  How many teams will work each year?\nAnd where?  ")
        .await;
    assert_eq!(second["request"]["status"], "UNDER_ANALYSIS");
    let questions = &second["request"]["questions"];
    assert_eq!(questions[1]["number"], 2, "{second}");
    assert_eq!(
        questions[1]["question"],
        "How many teams will work each year?\nAnd where?"
    );
    assert_eq!(s.app.audit_entries().await, audit + 2);
    assert_eq!(
        latest_entries(&s.app, 1).await,
        [("askAnalysisQuestion".into(), "ExtensionRequest".into())]
    );

    // The State's delegation answers the first, ISU staff the second.
    let by_lao = answer(
        &s.app,
        &s.lao,
        json!({"requestId": s.id(), "number": 1, "answer": "About 12 km², by 2031."}),
    )
    .await;
    assert_eq!(by_lao["userErrors"], json!([]), "{by_lao}");
    assert_eq!(
        by_lao["request"]["questions"][0]["answer"],
        "About 12 km², by 2031."
    );
    assert_eq!(by_lao["request"]["questions"][0]["answeredOn"], TODAY);
    assert_eq!(by_lao["request"]["questions"][1]["answer"], Value::Null);
    let by_isu = answer(
        &s.app,
        &s.staff,
        json!({"requestId": s.id(), "number": 2, "answer": "Four teams."}),
    )
    .await;
    assert_eq!(by_isu["userErrors"], json!([]), "{by_isu}");
    assert_eq!(by_isu["request"]["questions"][1]["answer"], "Four teams.");
    // A new answer replaces the old; the same answer again writes nothing.
    let revised = answer(
        &s.app,
        &s.lao,
        json!({"requestId": s.id(), "number": 1, "answer": "About 11 km², by 2031."}),
    )
    .await;
    assert_eq!(
        revised["request"]["questions"][0]["answer"],
        "About 11 km², by 2031."
    );
    let version = revised["request"]["version"].clone();
    assert_eq!(s.app.audit_entries().await, audit + 5);
    let again = answer(
        &s.app,
        &s.lao,
        json!({"requestId": s.id(), "number": 1, "answer": "About 11 km², by 2031."}),
    )
    .await;
    assert_eq!(again["userErrors"], json!([]), "{again}");
    assert_eq!(again["request"]["version"], version);
    assert_eq!(s.app.audit_entries().await, audit + 5);

    // Whoever reads the request reads its questions and answers: another State's
    // delegation and a coordinator.
    let afg = s.app.token_for("DELEGATION", Some("AFG")).await;
    let coordinator = s.app.token_for("COORDINATOR", None).await;
    for token in [&afg, &coordinator] {
        let body = s
            .app
            .graphql_as(
                token,
                "query($id: ID!) { node(id: $id) { ... on ExtensionRequest {
                   questions { number question answer } } } }",
                json!({"id": s.id()}),
            )
            .await;
        assert_eq!(
            body["data"]["node"]["questions"],
            json!([
                {"number": 1, "question": "What area remains to be surveyed?", "answer": "About 11 km², by 2031."},
                {"number": 2, "question": "How many teams will work each year?\nAnd where?", "answer": "Four teams."}
            ]),
            "{body}"
        );
    }
}

#[tokio::test]
async fn concurrent_questions_never_share_a_number() {
    let s = setup().await;
    let asks = (1..=6).map(|n| {
        ask(
            &s.app,
            &s.staff,
            json!({"requestId": s.id(), "question": format!("Question {n}?"), "askedOn": TODAY}),
        )
    });
    let answers = futures_util::future::join_all(asks).await;
    let mut accepted = 0;
    for p in &answers {
        match p["userErrors"].as_array().map(Vec::as_slice) {
            Some([]) => accepted += 1,
            _ => assert_eq!(p["userErrors"][0]["code"], "CONFLICT", "{p}"),
        }
    }
    assert!(accepted >= 1, "{answers:?}");
    let numbers: Vec<Value> = s.request(s.id()).await["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["number"].clone())
        .collect();
    let expected: Vec<Value> = (1..=accepted).map(|n| json!(n)).collect();
    assert_eq!(numbers, expected);
}

#[tokio::test]
async fn refused_questions_write_nothing() {
    let s = setup().await;
    let coordinator = s.app.token_for("COORDINATOR", None).await;
    let input = |question: &str, asked_on: &str| json!({"requestId": s.id(), "question": question, "askedOn": asked_on});
    let cases = [
        // Only ISU staff ask, on the analysis group's behalf.
        (
            &s.lao,
            input("A question?", TODAY),
            "FORBIDDEN",
            Value::Null,
        ),
        (
            &coordinator,
            input("A question?", TODAY),
            "FORBIDDEN",
            Value::Null,
        ),
        (
            &s.staff,
            input("   ", TODAY),
            "INVALID_INPUT",
            field("question"),
        ),
        (
            &s.staff,
            input(&"q".repeat(10_001), TODAY),
            "INVALID_INPUT",
            field("question"),
        ),
        (
            &s.staff,
            input("A question?", "2026-12-08"),
            "INVALID_INPUT",
            field("askedOn"),
        ),
        // Before the request was submitted (today).
        (
            &s.staff,
            input("A question?", "2026-12-06"),
            "INVALID_INPUT",
            field("askedOn"),
        ),
        (
            &s.staff,
            json!({"requestId": "not-an-id", "question": "A question?", "askedOn": TODAY}),
            "NOT_FOUND",
            field("requestId"),
        ),
    ];
    for (token, input, code, f) in cases {
        let before = s.written().await;
        let p = ask(&s.app, token, input.clone()).await;
        assert_refused(&s, &before, &p, code, f).await;
    }

    // At most 100 questions.
    let (_, request_id) = ccm_isu::api::ids::decode(s.id()).expect("an ID");
    for number in 1..=100 {
        entity::extension_request_question::ActiveModel {
            request_id: Set(request_id),
            number: Set(number),
            asked_on: Set(super::date(TODAY)),
            question: Set(format!("Question {number}?")),
            answer: Set(None),
            answered_on: Set(None),
        }
        .insert(&s.app.db)
        .await
        .expect("a question");
    }
    let before = s.written().await;
    let p = ask(&s.app, &s.staff, input("One more?", TODAY)).await;
    assert_refused(&s, &before, &p, "INVALID_INPUT", field("question")).await;
}

#[tokio::test]
async fn questions_need_a_request_before_the_meeting_decides_it() {
    let s = setup().await;
    let afg = s.app.token_for("DELEGATION", Some("AFG")).await;
    // A DRAFT: Afghanistan's delegation cannot read Lao PDR's, ISU staff cannot ask yet.
    let (draft, _) = benin_draft(&s).await;
    let input = json!({"requestId": draft["id"], "question": "A question?", "askedOn": TODAY});
    let before = s.written().await;
    let p = ask(&s.app, &afg, input.clone()).await;
    assert_refused(&s, &before, &p, "NOT_FOUND", field("requestId")).await;
    let p = ask(&s.app, &s.staff, input).await;
    assert_refused(
        &s,
        &before,
        &p,
        "INVALID_STATE_TRANSITION",
        field("requestId"),
    )
    .await;
    // Answers wait for a question: the submitted request has none yet.
    let p = answer(
        &s.app,
        &s.lao,
        json!({"requestId": s.id(), "number": 1, "answer": "An answer."}),
    )
    .await;
    assert_refused(
        &s,
        &before,
        &p,
        "INVALID_STATE_TRANSITION",
        field("requestId"),
    )
    .await;
    // Once decided, no more questions.
    let decided = decide(
        &s.app,
        &s.staff,
        json!({"id": s.id(), "expectedVersion": s.request["version"], "outcome": "REFUSED", "decidedOn": TODAY}),
    )
    .await;
    assert_eq!(decided["userErrors"], json!([]), "{decided}");
    let before = s.written().await;
    let p = ask(
        &s.app,
        &s.staff,
        json!({"requestId": s.id(), "question": "Too late?", "askedOn": TODAY}),
    )
    .await;
    assert_refused(
        &s,
        &before,
        &p,
        "INVALID_STATE_TRANSITION",
        field("requestId"),
    )
    .await;
}

#[tokio::test]
async fn refused_answers_write_nothing() {
    let s = setup().await;
    s.ask("What area remains?").await;
    let afg = s.app.token_for("DELEGATION", Some("AFG")).await;
    let coordinator = s.app.token_for("COORDINATOR", None).await;
    let input = |number: i64, answer: &str| json!({"requestId": s.id(), "number": number, "answer": answer});
    let cases = [
        // Another State's delegation reads the request but does not speak for Lao PDR.
        (&afg, input(1, "Not ours to say."), "FORBIDDEN", Value::Null),
        (
            &coordinator,
            input(1, "Nor ours."),
            "FORBIDDEN",
            Value::Null,
        ),
        (
            &s.lao,
            input(2, "No such question."),
            "NOT_FOUND",
            field("number"),
        ),
        (&s.lao, input(1, " \n "), "INVALID_INPUT", field("answer")),
        (
            &s.lao,
            input(1, &"a".repeat(10_001)),
            "INVALID_INPUT",
            field("answer"),
        ),
        (
            &s.lao,
            json!({"requestId": "not-an-id", "number": 1, "answer": "An answer."}),
            "NOT_FOUND",
            field("requestId"),
        ),
    ];
    for (token, input, code, f) in cases {
        let before = s.written().await;
        let p = answer(&s.app, token, input.clone()).await;
        assert_refused(&s, &before, &p, code, f).await;
    }
}

#[tokio::test]
async fn a_grant_extends_the_deadline_in_the_same_transaction() {
    let s = setup().await;
    s.ask("What area remains?").await;
    let decision = s.decision(&s.msp, "Decision 14MSP/3").await;
    let version = s.request(s.id()).await["version"].clone();
    let audit = s.app.audit_entries().await;
    let p = decide(
        &s.app,
        &s.staff,
        json!({"id": s.id(), "expectedVersion": version, "outcome": "GRANTED",
               "decidedOn": TODAY, "decisionId": decision}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let r = &p["request"];
    assert_eq!(r["status"], "DECIDED");
    assert_eq!(r["outcome"], "GRANTED");
    assert_eq!(r["grantedDeadline"], "2035-08-01");
    assert_eq!(r["decidedOn"], TODAY);
    assert_eq!(r["decision"]["id"], decision.as_str());
    assert_eq!(r["version"], version.as_i64().expect("version") + 1);
    assert_eq!(r["extension"]["previousDeadline"], "2030-08-01", "{p}");
    assert_eq!(r["extension"]["newDeadline"], "2035-08-01");
    assert_eq!(r["extension"]["grantedOn"], TODAY);
    assert_eq!(r["extension"]["grantedAt"], MSP);

    // The obligation's due date moved at once.
    let lao = s.state("LAO").await;
    assert_eq!(lao["obligations"][0]["dueDate"], "2035-08-01", "{lao}");
    assert_eq!(lao["obligations"][0]["extended"], true);
    assert_eq!(lao["extensions"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        lao["extensions"][2],
        json!({"kind": "CLEARANCE", "previousDeadline": "2030-08-01", "newDeadline": "2035-08-01",
               "grantedOn": TODAY, "grantedAt": MSP})
    );
    // And so did the State's calendar feed.
    let feed = s
        .app
        .client
        .get(format!("{}/calendar/LAO.ics", s.app.base))
        .send()
        .await
        .expect("calendar")
        .text()
        .await
        .expect("text");
    let clearance = feed
        .split("BEGIN:VEVENT")
        .find(|e| e.contains("UID:LAO-CLEARANCE"))
        .unwrap_or_else(|| panic!("a clearance event: {feed}"));
    assert!(
        clearance.contains("DTSTART;VALUE=DATE:20350801"),
        "{clearance}"
    );
    // One unit of work: the extension and the request, under the decision's name.
    assert_eq!(s.app.audit_entries().await, audit + 2);
    let mut entries = latest_entries(&s.app, 2).await;
    entries.sort();
    assert_eq!(
        entries,
        [
            (
                "decideExtensionRequest".to_owned(),
                "DeadlineExtension".to_owned()
            ),
            (
                "decideExtensionRequest".to_owned(),
                "ExtensionRequest".to_owned()
            ),
        ]
    );
    // The decision's extension is the request's: found by node too.
    let stored = s.request(s.id()).await;
    assert_eq!(stored["extension"]["id"], r["extension"]["id"]);

    // Decided once: a second decision is refused.
    let before = s.written().await;
    let again = decide(
        &s.app,
        &s.staff,
        json!({"id": s.id(), "expectedVersion": r["version"], "outcome": "REFUSED", "decidedOn": TODAY}),
    )
    .await;
    assert_refused(&s, &before, &again, "INVALID_STATE_TRANSITION", field("id")).await;
}

#[tokio::test]
async fn a_shorter_grant_lies_strictly_between_the_two_deadlines() {
    let s = setup().await;
    let version = s.request["version"].clone();
    let input = |outcome: &str, granted: Value| {
        json!({"id": s.id(), "expectedVersion": version, "outcome": outcome,
               "grantedDeadline": granted, "decidedOn": TODAY})
    };
    for (outcome, granted) in [
        ("GRANTED_SHORTER", json!("2030-08-01")),
        ("GRANTED_SHORTER", json!("2035-08-01")),
        ("GRANTED_SHORTER", json!("2030-07-31")),
        ("GRANTED_SHORTER", Value::Null),
        // GRANTED grants what was asked.
        ("GRANTED", json!("2033-02-01")),
    ] {
        let before = s.written().await;
        let p = decide(&s.app, &s.staff, input(outcome, granted.clone())).await;
        assert_refused(&s, &before, &p, "INVALID_INPUT", field("grantedDeadline")).await;
    }
    let p = decide(
        &s.app,
        &s.staff,
        input("GRANTED_SHORTER", json!("2033-02-01")),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(p["request"]["outcome"], "GRANTED_SHORTER");
    assert_eq!(p["request"]["grantedDeadline"], "2033-02-01");
    assert_eq!(p["request"]["extension"]["newDeadline"], "2033-02-01");
    assert_eq!(p["request"]["decision"], Value::Null);
    let lao = s.state("LAO").await;
    assert_eq!(lao["obligations"][0]["dueDate"], "2033-02-01", "{lao}");
}

#[tokio::test]
async fn a_refusal_grants_nothing() {
    let s = setup().await;
    let version = s.request["version"].clone();
    let before = s.written().await;
    let p = decide(
        &s.app,
        &s.staff,
        json!({"id": s.id(), "expectedVersion": version, "outcome": "REFUSED",
               "grantedDeadline": "2033-02-01", "decidedOn": TODAY}),
    )
    .await;
    assert_refused(&s, &before, &p, "INVALID_INPUT", field("grantedDeadline")).await;

    let p = decide(
        &s.app,
        &s.staff,
        json!({"id": s.id(), "expectedVersion": version, "outcome": "REFUSED", "decidedOn": TODAY}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(p["request"]["status"], "DECIDED");
    assert_eq!(p["request"]["outcome"], "REFUSED");
    assert_eq!(p["request"]["grantedDeadline"], Value::Null);
    assert_eq!(p["request"]["extension"], Value::Null);
    assert_eq!(s.app.audit_entries().await, before.0 + 1);
    assert_eq!(s.state("LAO").await, before.2, "the deadline stays");
}

#[tokio::test]
async fn refused_decisions_write_nothing() {
    let s = setup().await;
    let coordinator = s.app.token_for("COORDINATOR", None).await;
    let other = meeting(
        &s.app,
        &s.admin,
        "MEETING_OF_STATES_PARTIES",
        "Thirteenth Meeting of States Parties",
        "2025-09-16",
        "2025-09-19",
    )
    .await;
    let elsewhere = s.decision(&other, "Decision 13MSP/1").await;
    let version = s.request["version"].as_i64().expect("version");
    let input = |changes: Value| {
        let mut i = json!({"id": s.id(), "expectedVersion": version, "outcome": "GRANTED", "decidedOn": TODAY});
        if let (Some(i), Some(c)) = (i.as_object_mut(), changes.as_object()) {
            i.extend(c.clone());
        }
        i
    };
    let unknown = ccm_isu::api::ids::encode("Decision", uuid::Uuid::now_v7()).0;
    let cases = [
        // Only ISU staff record the meeting's decision.
        (&s.lao, input(json!({})), "FORBIDDEN", Value::Null),
        (&coordinator, input(json!({})), "FORBIDDEN", Value::Null),
        (
            &s.staff,
            input(json!({"decidedOn": "2026-12-08"})),
            "INVALID_INPUT",
            field("decidedOn"),
        ),
        // The meeting opened on 2026-12-02.
        (
            &s.staff,
            input(json!({"decidedOn": "2026-12-01"})),
            "INVALID_INPUT",
            field("decidedOn"),
        ),
        (
            &s.staff,
            input(json!({"decisionId": elsewhere})),
            "INVALID_INPUT",
            field("decisionId"),
        ),
        (
            &s.staff,
            input(json!({"decisionId": unknown})),
            "NOT_FOUND",
            field("decisionId"),
        ),
        (
            &s.staff,
            input(json!({"decisionId": "not-an-id"})),
            "NOT_FOUND",
            field("decisionId"),
        ),
        (
            &s.staff,
            input(json!({"expectedVersion": version - 1})),
            "CONFLICT",
            field("expectedVersion"),
        ),
        (
            &s.staff,
            input(json!({"id": "not-an-id"})),
            "NOT_FOUND",
            field("id"),
        ),
    ];
    for (token, input, code, f) in cases {
        let before = s.written().await;
        let p = decide(&s.app, token, input.clone()).await;
        assert_refused(&s, &before, &p, code, f).await;
    }

    // A DRAFT is not decided, whoever reads it.
    let (draft, benin) = benin_draft(&s).await;
    let before = s.written().await;
    let benin_before = s.state("BEN").await;
    let p = decide(
        &s.app,
        &s.staff,
        json!({"id": draft["id"], "expectedVersion": draft["version"], "outcome": "GRANTED", "decidedOn": TODAY}),
    )
    .await;
    assert_refused(&s, &before, &p, "INVALID_STATE_TRANSITION", field("id")).await;
    assert_eq!(s.state("BEN").await, benin_before);
    let p = decide(
        &s.app,
        &benin,
        json!({"id": draft["id"], "expectedVersion": draft["version"], "outcome": "GRANTED", "decidedOn": TODAY}),
    )
    .await;
    assert_refused(&s, &before, &p, "FORBIDDEN", Value::Null).await;
    assert_eq!(s.request(draft["id"].as_str().expect("id")).await, draft);
}

#[tokio::test]
async fn a_decision_conflicts_when_another_extension_was_recorded_since_the_request_was_opened() {
    let s = setup().await;
    s.ask("What area remains?").await;
    // The meeting's extension was recorded directly, after the request was opened.
    extend(&s.app, &s.admin, "LAO", "CLEARANCE", "2032-08-01", TODAY).await;
    let version = s.request(s.id()).await["version"].clone();
    for outcome in [json!({"outcome": "GRANTED"}), json!({"outcome": "REFUSED"})] {
        let before = s.written().await;
        let mut input = json!({"id": s.id(), "expectedVersion": version, "decidedOn": TODAY});
        input["outcome"] = outcome["outcome"].clone();
        let p = decide(&s.app, &s.staff, input).await;
        assert_refused(&s, &before, &p, "CONFLICT", field("id")).await;
        let message = p["userErrors"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.contains("2030-08-01") && message.contains("2032-08-01"),
            "{message}"
        );
    }
    assert_eq!(
        s.state("LAO").await["obligations"][0]["dueDate"],
        "2032-08-01"
    );
}

/// Benin, recorded as contaminated: a clearance deadline of 2028-01-01 never extended.
/// Answers Benin's delegation.
async fn benin_contaminated(s: &Setup) -> String {
    let body = s
        .app
        .graphql_as(
            &s.admin,
            "mutation($input: UpdateStatePartyInput!) { updateStateParty(input: $input) {
               userErrors { field message code } } }",
            json!({"input": {"code": "BEN", "contaminated": true}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateStateParty"]["userErrors"],
        json!([]),
        "{body}"
    );
    s.app.token_for("DELEGATION", Some("BEN")).await
}

/// Benin's first clearance request, a DRAFT for 2033-01-01 at the meeting; and Benin's
/// delegation.
async fn benin_draft(s: &Setup) -> (Value, String) {
    let benin = benin_contaminated(s).await;
    let draft = open(&s.app, &benin, "BEN", "CLEARANCE", "2033-01-01", &s.msp).await;
    assert_eq!(draft["status"], "DRAFT");
    assert_eq!(draft["currentDeadline"], "2028-01-01", "{draft}");
    (draft, benin)
}

#[tokio::test]
async fn after_a_grant_a_further_request_starts_from_it_and_reports_on_it() {
    let s = setup().await;
    let (draft, benin) = benin_draft(&s).await;
    let provisions = |r: &Value| -> Vec<String> {
        r["elements"]
            .as_array()
            .expect("elements")
            .iter()
            .map(|e| e["provision"].as_str().expect("provision").to_owned())
            .collect()
    };
    assert!(!provisions(&draft).contains(&"Article 4(8)".to_owned()));
    let first = complete_and_submit(&s.app, &benin, &draft).await;
    let p = decide(
        &s.app,
        &s.staff,
        json!({"id": first["id"], "expectedVersion": first["version"], "outcome": "GRANTED_SHORTER",
               "grantedDeadline": "2031-01-01", "decidedOn": TODAY}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    assert_eq!(
        s.state("BEN").await["obligations"][0]["dueDate"],
        "2031-01-01"
    );

    // The obligation is free for a new request, measured from the granted deadline.
    let next = open(&s.app, &benin, "BEN", "CLEARANCE", "2036-01-01", &s.msp).await;
    assert_eq!(next["currentDeadline"], "2031-01-01", "{next}");
    assert_eq!(next["previous"]["id"], first["id"]);
    assert_eq!(next["previous"]["grantedDeadline"], "2031-01-01");
    let listed = provisions(&next);
    assert_eq!(listed.last().map(String::as_str), Some("Article 4(8)"));
    assert_eq!(listed.len(), provisions(&draft).len() + 1);

    // Lao PDR's request, decided the same way, frees its obligation too.
    let p = decide(
        &s.app,
        &s.staff,
        json!({"id": s.id(), "expectedVersion": s.request["version"], "outcome": "GRANTED", "decidedOn": TODAY}),
    )
    .await;
    assert_eq!(p["userErrors"], json!([]), "{p}");
    let lao = open(&s.app, &s.lao, "LAO", "CLEARANCE", "2040-08-01", &s.msp).await;
    assert_eq!(lao["currentDeadline"], "2035-08-01");
    assert_eq!(lao["previous"]["id"], s.id());
    assert!(provisions(&lao).contains(&"Article 4(8)".to_owned()));
}
