//! A request's life before the meeting, over HTTP: a delegation opens a request, sets out
//! its elements, attaches a document and submits it; who reads it while it is a draft and
//! once submitted; and every refusal of open, update, submit and withdraw, each with its
//! code and field, and nothing written.

use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{Value, json};

use super::{TODAY, app, date, extend, lao_clearance_to_2030, meeting};
use crate::helpers::TestApp;

const REQUEST_FIELDS: &str = "id kind status version currentDeadline requestedDeadline
  requestedMonths maximumMonths submitBy submittedOn late complete
  state { code } meeting { id }
  elements { provision requirement text provided } documents { id }";

fn open_q() -> String {
    format!(
        "mutation($input: OpenExtensionRequestInput!) {{ openExtensionRequest(input: $input) {{
  request {{ {REQUEST_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn update_q() -> String {
    format!(
        "mutation($input: UpdateExtensionRequestInput!) {{ updateExtensionRequest(input: $input) {{
  request {{ {REQUEST_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

fn submit_q() -> String {
    format!(
        "mutation($input: SubmitExtensionRequestInput!) {{ submitExtensionRequest(input: $input) {{
  request {{ {REQUEST_FIELDS} }} userErrors {{ field message code }} }} }}"
    )
}

const WITHDRAW: &str = "mutation($input: WithdrawExtensionRequestInput!) {
  withdrawExtensionRequest(input: $input) {
  request { id status version } userErrors { field message code } } }";

fn node_q() -> String {
    format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on ExtensionRequest {{ {REQUEST_FIELDS} }} }} }}"
    )
}

const LIST: &str = "{ extensionRequests(first: 100) { totalCount edges { node { id status } } } }";
const OF_STATE: &str =
    "query($code: String!) { stateParty(code: $code) { extensionRequests { id } } }";
const OF_MEETING: &str = "query($id: ID!) { meeting(id: $id) { extensionRequests { id } } }";

const UPDATE_STATE: &str =
    "mutation($input: UpdateStatePartyInput!) { updateStateParty(input: $input) {
  stateParty { code } userErrors { field message code } } }";

const ADD_DOCUMENT: &str =
    "mutation($i: AddMeetingDocumentInput!) { addMeetingDocument(input: $i) {
  document { id } userErrors { field message code } } }";

/// Article 4(6)(a)–(i) and Article 4(8): what a further clearance request sets out.
const CLEARANCE_ELEMENTS: [&str; 10] = [
    "Article 4(6)(a)",
    "Article 4(6)(b)",
    "Article 4(6)(c)",
    "Article 4(6)(d)",
    "Article 4(6)(e)",
    "Article 4(6)(f)",
    "Article 4(6)(g)",
    "Article 4(6)(h)",
    "Article 4(6)(i)",
    "Article 4(8)",
];

const STOCKPILE_ELEMENTS: [&str; 6] = [
    "Article 3(4)(a)",
    "Article 3(4)(b)",
    "Article 3(4)(c)",
    "Article 3(4)(d)",
    "Article 3(4)(e)",
    "Article 3(4)(f)",
];

/// Everyone a test needs, on [`TODAY`], with Lao PDR's clearance deadline at 2030-08-01 and
/// the 14th MSP (opening 2029-09-10, so `submitBy` is 2028-12-10) recorded.
struct World {
    app: TestApp,
    admin: String,
    staff: String,
    /// Lao PDR's delegation.
    lao: String,
    /// Afghanistan's delegation: another State.
    other: String,
    coordinator: String,
    msp: String,
}

async fn world() -> World {
    let app = app().await;
    let admin = app.admin_token().await;
    lao_clearance_to_2030(&app, &admin).await;
    let msp = meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "Fourteenth Meeting of States Parties",
        "2029-09-10",
        "2029-09-13",
    )
    .await;
    World {
        staff: app.token_for("ISU_STAFF", None).await,
        lao: app.token_for("DELEGATION", Some("LAO")).await,
        other: app.token_for("DELEGATION", Some("AFG")).await,
        coordinator: app.coordinator_token(&[]).await,
        admin,
        msp,
        app,
    }
}

/// The payload of `field` in `body`.
fn payload<'a>(body: &'a Value, field: &str) -> &'a Value {
    &body["data"][field]
}

/// Runs a mutation that must succeed; returns the request it answers.
async fn ok(app: &TestApp, token: &str, q: &str, input: Value, field: &str) -> Value {
    let body = app.graphql_as(token, q, json!({ "input": input })).await;
    let p = payload(&body, field);
    assert_eq!(p["userErrors"], json!([]), "{body}");
    p["request"].clone()
}

fn open_input(code: &str, kind: &str, requested: &str, meeting: &str) -> Value {
    json!({"stateCode": code, "kind": kind, "requestedDeadline": requested, "meetingId": meeting})
}

/// Opens Lao PDR's clearance request to 2035-08-01 before the 14th MSP, as its delegation.
async fn open_lao(w: &World) -> Value {
    ok(
        &w.app,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2035-08-01", &w.msp),
        "openExtensionRequest",
    )
    .await
}

/// Element inputs giving each of `provisions` a text.
fn texts(provisions: &[&str]) -> Value {
    provisions
        .iter()
        .map(|p| json!({"provision": p, "text": format!("  What {p} asks, set out.  ")}))
        .collect()
}

/// Gives every element of `request` a text; returns the request after.
async fn fill(w: &World, token: &str, request: &Value, provisions: &[&str]) -> Value {
    ok(
        &w.app,
        token,
        &update_q(),
        json!({"id": request["id"], "expectedVersion": request["version"],
               "elements": texts(provisions)}),
        "updateExtensionRequest",
    )
    .await
}

/// Submits `request`; returns it after.
async fn submit(w: &World, token: &str, request: &Value) -> Value {
    ok(
        &w.app,
        token,
        &submit_q(),
        json!({"id": request["id"], "expectedVersion": request["version"]}),
        "submitExtensionRequest",
    )
    .await
}

/// The request `id` as ISU staff read it.
async fn read(w: &World, id: &Value) -> Value {
    let body = w
        .app
        .graphql_as(&w.staff, &node_q(), json!({"id": id}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"].clone()
}

async fn stored_requests(app: &TestApp) -> u64 {
    entity::extension_request::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

/// Runs `q` as `token` and checks that it is refused with `code` on `path` and writes
/// nothing: no audit entry, no new request, and the request `id` (when given) as it was.
#[allow(clippy::too_many_arguments)]
async fn refused(
    w: &World,
    token: &str,
    q: &str,
    input: Value,
    field: &str,
    code: &str,
    path: &[&str],
    id: Option<&Value>,
) -> Value {
    let audit = w.app.audit_entries().await;
    let count = stored_requests(&w.app).await;
    let before = match id {
        Some(id) => Some(read(w, id).await),
        None => None,
    };
    let body = w.app.graphql_as(token, q, json!({ "input": input })).await;
    let p = payload(&body, field);
    let errors = p["userErrors"].as_array().cloned().unwrap_or_default();
    let expected = if path.is_empty() {
        Value::Null
    } else {
        json!(path)
    };
    assert!(
        errors
            .iter()
            .any(|e| e["code"] == code && e["field"] == expected),
        "expected {code} on {path:?}: {body}"
    );
    assert!(p["request"].is_null(), "{body}");
    assert_eq!(
        w.app.audit_entries().await,
        audit,
        "nothing audited: {body}"
    );
    assert_eq!(stored_requests(&w.app).await, count, "no request: {body}");
    if let (Some(id), Some(before)) = (id, before) {
        assert_eq!(read(w, id).await, before, "the request is unchanged");
    }
    body
}

/// The message of the first userError of `body`'s `field` payload.
fn message(body: &Value, field: &str) -> String {
    payload(body, field)["userErrors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The IDs a list of requests holds.
fn ids_in(list: &Value) -> Vec<Value> {
    list.as_array()
        .map(|a| a.iter().map(|r| r["id"].clone()).collect())
        .unwrap_or_default()
}

/// Adds a document to `meeting` with `access`; answers its ID.
async fn document(w: &World, meeting: &str, access: &str, symbol: &str) -> String {
    let body = w
        .app
        .graphql_as(
            &w.staff,
            ADD_DOCUMENT,
            json!({"i": {"meetingId": meeting, "kind": "WORKING_PAPER", "symbol": symbol,
                         "title": format!("Request annex {symbol}"), "language": "EN",
                         "access": access}}),
        )
        .await;
    body["data"]["addMeetingDocument"]["document"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("document added: {body}"))
        .to_owned()
}

/// A second server on the same database whose today is `today`; answers its base URL.
async fn server_on(app: &TestApp, today: &str) -> String {
    app.second_server(|s| {
        s.today = Some(date(today));
        s.records_since = chrono::NaiveDate::from_ymd_opt(2008, 12, 3);
        s.shipped_history = false;
    })
    .await
}

#[tokio::test]
async fn a_delegation_opens_sets_out_attaches_and_submits_a_further_clearance_request() {
    let w = world().await;
    let audit = w.app.audit_entries().await;
    let r = open_lao(&w).await;
    assert_eq!(
        w.app.audit_entries().await,
        audit + 1,
        "one entry per write"
    );
    assert_eq!(r["kind"], "CLEARANCE");
    assert_eq!(r["status"], "DRAFT");
    assert_eq!(r["version"], 1);
    assert_eq!(r["state"]["code"], "LAO");
    assert_eq!(r["meeting"]["id"], w.msp.as_str());
    assert_eq!(r["currentDeadline"], "2030-08-01");
    assert_eq!(r["requestedDeadline"], "2035-08-01");
    assert_eq!(r["requestedMonths"], 60);
    assert_eq!(r["maximumMonths"], 60);
    assert_eq!(
        r["submitBy"], "2028-12-10",
        "nine months before the MSP opens"
    );
    assert_eq!(r["submittedOn"], Value::Null);
    assert_eq!(r["late"], false);
    assert_eq!(r["complete"], false);
    assert_eq!(r["documents"], json!([]));
    // Lao PDR's clearance was extended before: Article 4(8) is asked as well.
    let provisions: Vec<&str> = r["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| e["provision"].as_str().expect("provision"))
        .collect();
    assert_eq!(provisions, CLEARANCE_ELEMENTS);
    assert_eq!(
        r["elements"][3],
        json!({"provision": "Article 4(6)(d)",
               "requirement": "The total contaminated area at entry into force and identified since",
               "text": null, "provided": false})
    );
    assert_eq!(
        r["elements"][9]["requirement"],
        "What was done during the previous extension"
    );

    // Part of the elements first, by the delegation.
    let r = fill(&w, &w.lao, &r, &CLEARANCE_ELEMENTS[..4]).await;
    assert_eq!(r["version"], 2);
    assert_eq!(r["complete"], false);
    assert_eq!(
        r["elements"][0]["text"], "What Article 4(6)(a) asks, set out.",
        "trimmed"
    );
    assert_eq!(r["elements"][0]["provided"], true);
    assert_eq!(r["elements"][4]["provided"], false);
    assert_eq!(w.app.audit_entries().await, audit + 2);

    // The rest, and the request itself as a meeting document, by ISU staff.
    let doc = document(&w, &w.msp, "PUBLIC", "CCM/MSP/2029/WP.1").await;
    let audit = w.app.audit_entries().await;
    let r = ok(
        &w.app,
        &w.staff,
        &update_q(),
        json!({"id": r["id"], "expectedVersion": 2, "elements": texts(&CLEARANCE_ELEMENTS[4..]),
               "documentIds": [doc]}),
        "updateExtensionRequest",
    )
    .await;
    assert_eq!(r["version"], 3);
    assert_eq!(r["complete"], true);
    assert_eq!(r["documents"], json!([{"id": doc}]));
    assert_eq!(
        w.app.audit_entries().await,
        audit + 1,
        "one entry for the update"
    );
    let entry = entity::audit_entry::Entity::find()
        .order_by_desc(entity::audit_entry::Column::Id)
        .all(&w.app.db)
        .await
        .expect("entries")
        .into_iter()
        .find(|e| e.action == "updateExtensionRequest")
        .expect("the update's entry");
    assert_eq!(entry.entity_type, "ExtensionRequest");
    let after: Value = serde_json::from_str(entry.after.as_deref().expect("after")).expect("json");
    assert_eq!(
        after["elements"]["Article 4(8)"],
        "What Article 4(8) asks, set out."
    );
    assert!(
        after["elements"].get("Article 4(6)(a)").is_none(),
        "only what changed: {after}"
    );
    assert_eq!(after["documentIds"].as_array().map(Vec::len), Some(1));

    // The same again changes nothing and writes nothing.
    let audit = w.app.audit_entries().await;
    let same = ok(
        &w.app,
        &w.lao,
        &update_q(),
        json!({"id": r["id"], "expectedVersion": 3, "elements": texts(&CLEARANCE_ELEMENTS[4..]),
               "documentIds": [doc], "requestedDeadline": "2035-08-01", "meetingId": w.msp}),
        "updateExtensionRequest",
    )
    .await;
    assert_eq!(same["version"], 3);
    assert_eq!(w.app.audit_entries().await, audit);

    let s = submit(&w, &w.lao, &r).await;
    assert_eq!(s["status"], "SUBMITTED");
    assert_eq!(s["submittedOn"], TODAY);
    assert_eq!(s["version"], 4);
    assert_eq!(s["late"], false, "submitted before 2028-12-10");
    assert_eq!(w.app.audit_entries().await, audit + 1);

    // A submitted request may still be revised, by a new version.
    let revised = ok(
        &w.app,
        &w.lao,
        &update_q(),
        json!({"id": s["id"], "expectedVersion": 4, "requestedDeadline": "2034-08-01"}),
        "updateExtensionRequest",
    )
    .await;
    assert_eq!(revised["version"], 5);
    assert_eq!(revised["requestedMonths"], 48);
    assert_eq!(revised["status"], "SUBMITTED");
}

#[tokio::test]
async fn a_request_submitted_after_its_submit_by_is_late() {
    let w = world().await;
    // Opens 2027-09-01: the last day to submit was 2026-12-01, before today.
    let msp = meeting(
        &w.app,
        &w.admin,
        "MEETING_OF_STATES_PARTIES",
        "Thirteenth Meeting of States Parties",
        "2027-09-01",
        "2027-09-04",
    )
    .await;
    let r = ok(
        &w.app,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2032-02-01", &msp),
        "openExtensionRequest",
    )
    .await;
    assert_eq!(r["submitBy"], "2026-12-01");
    assert_eq!(r["late"], false, "not submitted yet");
    assert_eq!(r["requestedMonths"], 18);
    let r = fill(&w, &w.lao, &r, &CLEARANCE_ELEMENTS).await;
    let s = submit(&w, &w.lao, &r).await;
    assert_eq!(s["submittedOn"], TODAY);
    assert_eq!(s["late"], true);
    assert_eq!(
        s["status"], "SUBMITTED",
        "the meeting may still consider it"
    );
}

/// What `token` reads of the request `id`: by `node`, in the list (and its count), under
/// Lao PDR and under the meeting.
async fn sees(w: &World, token: Option<&str>, id: &Value) -> [bool; 4] {
    let node = w
        .app
        .graphql_with(token, &node_q(), json!({"id": id}))
        .await;
    let list = w.app.graphql_with(token, LIST, json!({})).await;
    let state = w
        .app
        .graphql_with(token, OF_STATE, json!({"code": "LAO"}))
        .await;
    let at = w
        .app
        .graphql_with(token, OF_MEETING, json!({"id": w.msp}))
        .await;
    let listed = ids_in(
        &list["data"]["extensionRequests"]["edges"]
            .as_array()
            .map(|a| a.iter().map(|e| e["node"].clone()).collect::<Vec<_>>())
            .map(Value::from)
            .unwrap_or_default(),
    );
    let count = list["data"]["extensionRequests"]["totalCount"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(
        count,
        listed.len() as u64,
        "the count follows the list: {list}"
    );
    [
        node["data"]["node"]["id"] == *id,
        listed.contains(id),
        ids_in(&state["data"]["stateParty"]["extensionRequests"]).contains(id),
        ids_in(&at["data"]["meeting"]["extensionRequests"]).contains(id),
    ]
}

#[tokio::test]
async fn a_draft_is_read_by_its_state_and_the_isu_and_a_submitted_request_by_every_signed_in_user()
{
    let w = world().await;
    let r = open_lao(&w).await;
    let id = r["id"].clone();
    let all = [true; 4];
    let none = [false; 4];
    assert_eq!(
        sees(&w, Some(&w.lao), &id).await,
        all,
        "its State's delegation"
    );
    assert_eq!(sees(&w, Some(&w.staff), &id).await, all, "ISU staff");
    assert_eq!(sees(&w, Some(&w.admin), &id).await, all, "an administrator");
    assert_eq!(
        sees(&w, Some(&w.other), &id).await,
        none,
        "another State's delegation"
    );
    assert_eq!(
        sees(&w, Some(&w.coordinator), &id).await,
        none,
        "a coordinator"
    );
    assert_eq!(sees(&w, None, &id).await, none, "anonymous");

    let r = fill(&w, &w.lao, &r, &CLEARANCE_ELEMENTS).await;
    submit(&w, &w.staff, &r).await;
    for (who, token) in [
        ("its State's delegation", &w.lao),
        ("ISU staff", &w.staff),
        ("another State's delegation", &w.other),
        ("a coordinator", &w.coordinator),
    ] {
        assert_eq!(sees(&w, Some(token), &id).await, all, "{who}");
    }
    assert_eq!(sees(&w, None, &id).await, none, "anonymous");
    // The other delegation reads the elements of a submitted request.
    let body = w
        .app
        .graphql_as(&w.other, &node_q(), json!({"id": id}))
        .await;
    assert_eq!(body["data"]["node"]["complete"], true, "{body}");
}

#[tokio::test]
async fn a_stockpile_request_sets_out_article_3_4_a_to_f() {
    let w = world().await;
    // The Philippines: in force 2019-07-01, so its Article 3 deadline is 2027-07-01.
    let body = w
        .app
        .graphql_as(
            &w.admin,
            UPDATE_STATE,
            json!({"input": {"code": "PHL", "holdsStockpiles": true}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateStateParty"]["userErrors"],
        json!([]),
        "{body}"
    );
    let revcon = meeting(
        &w.app,
        &w.admin,
        "REVIEW_CONFERENCE",
        "Fourth Review Conference",
        "2027-06-14",
        "2027-06-18",
    )
    .await;
    let phl = w.app.token_for("DELEGATION", Some("PHL")).await;
    // Exactly the article's step is allowed.
    let r = ok(
        &w.app,
        &phl,
        &open_q(),
        open_input("PHL", "STOCKPILE_DESTRUCTION", "2031-07-01", &revcon),
        "openExtensionRequest",
    )
    .await;
    assert_eq!(r["kind"], "STOCKPILE_DESTRUCTION");
    assert_eq!(r["currentDeadline"], "2027-07-01");
    assert_eq!(r["maximumMonths"], 48);
    assert_eq!(r["requestedMonths"], 48);
    assert_eq!(r["submitBy"], "2026-09-14");
    let provisions: Vec<&str> = r["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .map(|e| e["provision"].as_str().expect("provision"))
        .collect();
    assert_eq!(provisions, STOCKPILE_ELEMENTS);
    assert_eq!(
        r["elements"][2]["requirement"],
        "A plan for how and when stockpile destruction will be completed"
    );
    // A clearance provision is not one of its elements.
    refused(
        &w,
        &phl,
        &update_q(),
        json!({"id": r["id"], "expectedVersion": 1,
               "elements": [{"provision": "Article 3(4)(a)", "text": "48 months"},
                            {"provision": "Article 4(6)(a)", "text": "48 months"}]}),
        "updateExtensionRequest",
        "INVALID_INPUT",
        &["input", "elements", "1", "provision"],
        Some(&r["id"]),
    )
    .await;
    let r = fill(&w, &phl, &r, &STOCKPILE_ELEMENTS).await;
    assert_eq!(r["complete"], true);
    let s = submit(&w, &phl, &r).await;
    assert_eq!(s["late"], true, "submitted after 2026-09-14");
}

#[tokio::test]
async fn opening_refuses_a_kind_other_than_stockpiles_or_clearance() {
    let w = world().await;
    for kind in ["ANNUAL_TRANSPARENCY_REPORT", "INITIAL_TRANSPARENCY_REPORT"] {
        refused(
            &w,
            &w.lao,
            &open_q(),
            open_input("LAO", kind, "2035-08-01", &w.msp),
            "openExtensionRequest",
            "INVALID_INPUT",
            &["input", "kind"],
            None,
        )
        .await;
    }
}

#[tokio::test]
async fn opening_refuses_an_obligation_already_met_or_that_the_state_does_not_have() {
    let w = world().await;
    let body = w
        .app
        .graphql_as(
            &w.admin,
            UPDATE_STATE,
            json!({"input": {"code": "LAO", "clearanceCompletedOn": "2026-11-30"}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateStateParty"]["userErrors"],
        json!([]),
        "{body}"
    );
    let body = refused(
        &w,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2035-08-01", &w.msp),
        "openExtensionRequest",
        "INVALID_INPUT",
        &["input", "kind"],
        None,
    )
    .await;
    assert!(
        message(&body, "openExtensionRequest").contains("already met"),
        "{body}"
    );
    // Lao PDR holds no stockpiles.
    refused(
        &w,
        &w.lao,
        &open_q(),
        open_input("LAO", "STOCKPILE_DESTRUCTION", "2030-08-01", &w.msp),
        "openExtensionRequest",
        "INVALID_INPUT",
        &["input", "kind"],
        None,
    )
    .await;
}

#[tokio::test]
async fn opening_refuses_a_deadline_that_has_passed() {
    let app = app().await;
    let admin = app.admin_token().await;
    // Lao PDR's clearance deadline, never extended here: 2020-08-01.
    let msp = meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "An MSP",
        "2019-09-02",
        "2019-09-04",
    )
    .await;
    let w = World {
        staff: app.token_for("ISU_STAFF", None).await,
        lao: app.token_for("DELEGATION", Some("LAO")).await,
        other: app.token_for("DELEGATION", Some("AFG")).await,
        coordinator: app.coordinator_token(&[]).await,
        admin,
        msp,
        app,
    };
    let body = refused(
        &w,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2025-08-01", &w.msp),
        "openExtensionRequest",
        "INVALID_INPUT",
        &["input", "kind"],
        None,
    )
    .await;
    assert!(
        message(&body, "openExtensionRequest").contains("2020-08-01"),
        "{body}"
    );
}

#[tokio::test]
async fn opening_refuses_a_requested_deadline_not_after_the_current_one_or_beyond_the_step() {
    let w = world().await;
    for requested in ["2030-08-01", "2029-01-01", "2035-08-02"] {
        refused(
            &w,
            &w.lao,
            &open_q(),
            open_input("LAO", "CLEARANCE", requested, &w.msp),
            "openExtensionRequest",
            "INVALID_INPUT",
            &["input", "requestedDeadline"],
            None,
        )
        .await;
    }
}

#[tokio::test]
async fn opening_refuses_a_meeting_that_cannot_decide_the_request() {
    let w = world().await;
    let intersessional = meeting(
        &w.app,
        &w.admin,
        "INTERSESSIONAL",
        "Intersessional Meetings 2028",
        "2028-05-08",
        "2028-05-10",
    )
    .await;
    let after_deadline = meeting(
        &w.app,
        &w.admin,
        "MEETING_OF_STATES_PARTIES",
        "Fifteenth Meeting of States Parties",
        "2030-09-02",
        "2030-09-05",
    )
    .await;
    let ended = meeting(
        &w.app,
        &w.admin,
        "MEETING_OF_STATES_PARTIES",
        "Twelfth Meeting of States Parties",
        "2026-09-01",
        "2026-09-04",
    )
    .await;
    for m in [&intersessional, &after_deadline, &ended] {
        refused(
            &w,
            &w.lao,
            &open_q(),
            open_input("LAO", "CLEARANCE", "2035-08-01", m),
            "openExtensionRequest",
            "INVALID_INPUT",
            &["input", "meetingId"],
            None,
        )
        .await;
    }
    // An ID that names no meeting, and a State that does not exist.
    refused(
        &w,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2035-08-01", "not-an-id"),
        "openExtensionRequest",
        "NOT_FOUND",
        &["input", "meetingId"],
        None,
    )
    .await;
    refused(
        &w,
        &w.staff,
        &open_q(),
        open_input("XYZ", "CLEARANCE", "2035-08-01", &w.msp),
        "openExtensionRequest",
        "NOT_FOUND",
        &["input", "stateCode"],
        None,
    )
    .await;
}

#[tokio::test]
async fn a_second_request_under_way_is_refused_until_the_first_is_withdrawn() {
    let w = world().await;
    let first = open_lao(&w).await;
    refused(
        &w,
        &w.staff,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2034-08-01", &w.msp),
        "openExtensionRequest",
        "ALREADY_EXISTS",
        &["input", "kind"],
        None,
    )
    .await;
    let withdrawn = ok(
        &w.app,
        &w.lao,
        WITHDRAW,
        json!({"id": first["id"], "expectedVersion": 1, "reason": "Replaced by a shorter request."}),
        "withdrawExtensionRequest",
    )
    .await;
    assert_eq!(withdrawn["status"], "WITHDRAWN");
    assert_eq!(withdrawn["version"], 2);
    let second = ok(
        &w.app,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2034-08-01", &w.msp),
        "openExtensionRequest",
    )
    .await;
    assert_ne!(second["id"], first["id"]);
}

#[tokio::test]
async fn two_concurrent_opens_for_the_same_state_and_kind_give_one_request() {
    let w = world().await;
    let q = open_q();
    let input = json!({"input": open_input("LAO", "CLEARANCE", "2035-08-01", &w.msp)});
    let (a, b) = tokio::join!(
        w.app.graphql_as(&w.lao, &q, input.clone()),
        w.app.graphql_as(&w.staff, &q, input.clone()),
    );
    let mut outcomes: Vec<Value> = [&a, &b]
        .iter()
        .map(|body| payload(body, "openExtensionRequest")["userErrors"].clone())
        .collect();
    outcomes.sort_by_key(|e| e.as_array().map(Vec::len));
    assert_eq!(outcomes[0], json!([]), "one succeeds: {a} {b}");
    assert_eq!(
        outcomes[1][0]["code"], "ALREADY_EXISTS",
        "the other is told: {a} {b}"
    );
    assert_eq!(outcomes[1][0]["field"], json!(["input", "kind"]));
    assert_eq!(stored_requests(&w.app).await, 1);
}

#[tokio::test]
async fn only_the_states_delegation_and_the_isu_write() {
    let w = world().await;
    for token in [&w.other, &w.coordinator] {
        refused(
            &w,
            token,
            &open_q(),
            open_input("LAO", "CLEARANCE", "2035-08-01", &w.msp),
            "openExtensionRequest",
            "FORBIDDEN",
            &[],
            None,
        )
        .await;
    }
    let r = open_lao(&w).await;
    let id = &r["id"];
    // A draft they cannot read is not there for them.
    for token in [&w.other, &w.coordinator] {
        refused(
            &w,
            token,
            &update_q(),
            json!({"id": id, "expectedVersion": 1, "requestedDeadline": "2034-08-01"}),
            "updateExtensionRequest",
            "NOT_FOUND",
            &["input", "id"],
            Some(id),
        )
        .await;
        refused(
            &w,
            token,
            WITHDRAW,
            json!({"id": id, "expectedVersion": 1, "reason": "No."}),
            "withdrawExtensionRequest",
            "NOT_FOUND",
            &["input", "id"],
            Some(id),
        )
        .await;
    }
    let r = fill(&w, &w.lao, &r, &CLEARANCE_ELEMENTS).await;
    let s = submit(&w, &w.lao, &r).await;
    // Submitted, they read it, and may not write it.
    for token in [&w.other, &w.coordinator] {
        refused(
            &w,
            token,
            &update_q(),
            json!({"id": id, "expectedVersion": s["version"], "requestedDeadline": "2034-08-01"}),
            "updateExtensionRequest",
            "FORBIDDEN",
            &[],
            Some(id),
        )
        .await;
        refused(
            &w,
            token,
            WITHDRAW,
            json!({"id": id, "expectedVersion": s["version"], "reason": "No."}),
            "withdrawExtensionRequest",
            "FORBIDDEN",
            &[],
            Some(id),
        )
        .await;
    }
}

#[tokio::test]
async fn an_update_refuses_bad_elements_documents_deadlines_and_meetings() {
    let w = world().await;
    let r = open_lao(&w).await;
    let id = &r["id"];
    let at = |input: Value| {
        let mut base = json!({"id": id, "expectedVersion": 1});
        base.as_object_mut()
            .expect("object")
            .extend(input.as_object().expect("object").clone());
        base
    };
    let cases: Vec<(Value, &str, Vec<&str>)> = vec![
        (
            at(
                json!({"elements": [{"provision": "Article 4(6)(a)", "text": "5 years"},
                                    {"provision": "Article 4(9)", "text": "?"}]}),
            ),
            "INVALID_INPUT",
            vec!["input", "elements", "1", "provision"],
        ),
        (
            at(
                json!({"elements": [{"provision": "Article 4(6)(a)", "text": "5 years"},
                                    {"provision": "Article 4(6)(a)", "text": "60 months"}]}),
            ),
            "INVALID_INPUT",
            vec!["input", "elements", "1", "provision"],
        ),
        (
            at(json!({"elements": [{"provision": "Article 4(6)(b)", "text": "x".repeat(10_001)}]})),
            "INVALID_INPUT",
            vec!["input", "elements", "0", "text"],
        ),
        (
            at(json!({"requestedDeadline": "2035-08-02"})),
            "INVALID_INPUT",
            vec!["input", "requestedDeadline"],
        ),
        (
            at(json!({"requestedDeadline": "2030-08-01"})),
            "INVALID_INPUT",
            vec!["input", "requestedDeadline"],
        ),
        (
            at(json!({"meetingId": "not-an-id"})),
            "NOT_FOUND",
            vec!["input", "meetingId"],
        ),
        (
            at(json!({"documentIds": ["not-an-id"]})),
            "NOT_FOUND",
            vec!["input", "documentIds", "0"],
        ),
    ];
    for (input, code, path) in cases {
        refused(
            &w,
            &w.lao,
            &update_q(),
            input,
            "updateExtensionRequest",
            code,
            &path,
            Some(id),
        )
        .await;
    }
    // A meeting that opens after the deadline in force.
    let late = meeting(
        &w.app,
        &w.admin,
        "MEETING_OF_STATES_PARTIES",
        "Fifteenth Meeting of States Parties",
        "2030-09-02",
        "2030-09-05",
    )
    .await;
    refused(
        &w,
        &w.lao,
        &update_q(),
        at(json!({"meetingId": late})),
        "updateExtensionRequest",
        "INVALID_INPUT",
        &["input", "meetingId"],
        Some(id),
    )
    .await;
    // A document the delegation may not read, and one named twice.
    let restricted = document(&w, &w.msp, "RESTRICTED", "CCM/CC/2029/1").await;
    let public = document(&w, &w.msp, "PUBLIC", "CCM/MSP/2029/WP.2").await;
    refused(
        &w,
        &w.lao,
        &update_q(),
        at(json!({"documentIds": [public, restricted]})),
        "updateExtensionRequest",
        "NOT_FOUND",
        &["input", "documentIds", "1"],
        Some(id),
    )
    .await;
    refused(
        &w,
        &w.lao,
        &update_q(),
        at(json!({"documentIds": [public, public]})),
        "updateExtensionRequest",
        "INVALID_INPUT",
        &["input", "documentIds", "1"],
        Some(id),
    )
    .await;
    // Several refusals come back together.
    let body = refused(
        &w,
        &w.lao,
        &update_q(),
        at(json!({"requestedDeadline": "2040-01-01",
                  "elements": [{"provision": "Article 3(4)(a)", "text": "no"}]})),
        "updateExtensionRequest",
        "INVALID_INPUT",
        &["input", "elements", "0", "provision"],
        Some(id),
    )
    .await;
    assert_eq!(
        payload(&body, "updateExtensionRequest")["userErrors"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{body}"
    );
}

#[tokio::test]
async fn a_stale_expected_version_is_a_conflict_for_every_write() {
    let w = world().await;
    let r = open_lao(&w).await;
    let r = fill(&w, &w.lao, &r, &CLEARANCE_ELEMENTS).await;
    assert_eq!(r["version"], 2);
    let id = &r["id"];
    refused(
        &w,
        &w.lao,
        &update_q(),
        json!({"id": id, "expectedVersion": 1, "requestedDeadline": "2034-08-01"}),
        "updateExtensionRequest",
        "CONFLICT",
        &["input", "expectedVersion"],
        Some(id),
    )
    .await;
    refused(
        &w,
        &w.lao,
        &submit_q(),
        json!({"id": id, "expectedVersion": 1}),
        "submitExtensionRequest",
        "CONFLICT",
        &["input", "expectedVersion"],
        Some(id),
    )
    .await;
    refused(
        &w,
        &w.lao,
        WITHDRAW,
        json!({"id": id, "expectedVersion": 3, "reason": "Stale."}),
        "withdrawExtensionRequest",
        "CONFLICT",
        &["input", "expectedVersion"],
        Some(id),
    )
    .await;
}

#[tokio::test]
async fn submission_refuses_an_incomplete_request_naming_every_missing_provision() {
    let w = world().await;
    let r = open_lao(&w).await;
    let given: Vec<&str> = CLEARANCE_ELEMENTS
        .iter()
        .copied()
        .filter(|p| !matches!(*p, "Article 4(6)(c)" | "Article 4(6)(h)" | "Article 4(8)"))
        .collect();
    let r = fill(&w, &w.lao, &r, &given).await;
    let body = refused(
        &w,
        &w.lao,
        &submit_q(),
        json!({"id": r["id"], "expectedVersion": r["version"]}),
        "submitExtensionRequest",
        "INVALID_INPUT",
        &["input", "id"],
        Some(&r["id"]),
    )
    .await;
    let m = message(&body, "submitExtensionRequest");
    assert!(
        m.contains("Article 4(6)(c), Article 4(6)(h), Article 4(8)"),
        "in order: {m}"
    );
    // An empty text clears an element: still incomplete.
    let r = ok(
        &w.app,
        &w.lao,
        &update_q(),
        json!({"id": r["id"], "expectedVersion": r["version"],
               "elements": texts(&["Article 4(6)(c)", "Article 4(6)(h)", "Article 4(8)"])}),
        "updateExtensionRequest",
    )
    .await;
    let r = ok(
        &w.app,
        &w.lao,
        &update_q(),
        json!({"id": r["id"], "expectedVersion": r["version"],
               "elements": [{"provision": "Article 4(6)(e)", "text": "   "}]}),
        "updateExtensionRequest",
    )
    .await;
    assert_eq!(r["elements"][4]["provided"], false);
    let body = refused(
        &w,
        &w.lao,
        &submit_q(),
        json!({"id": r["id"], "expectedVersion": r["version"]}),
        "submitExtensionRequest",
        "INVALID_INPUT",
        &["input", "id"],
        Some(&r["id"]),
    )
    .await;
    assert!(
        message(&body, "submitExtensionRequest").contains("Article 4(6)(e)"),
        "{body}"
    );
    let r = ok(
        &w.app,
        &w.lao,
        &update_q(),
        json!({"id": r["id"], "expectedVersion": r["version"],
               "elements": texts(&["Article 4(6)(e)"])}),
        "updateExtensionRequest",
    )
    .await;
    let s = submit(&w, &w.lao, &r).await;
    // Once submitted, a change may not leave it incomplete.
    let body = refused(
        &w,
        &w.lao,
        &update_q(),
        json!({"id": s["id"], "expectedVersion": s["version"],
               "elements": [{"provision": "Article 4(6)(g)", "text": null}]}),
        "updateExtensionRequest",
        "INVALID_INPUT",
        &["input", "elements"],
        Some(&s["id"]),
    )
    .await;
    assert!(
        message(&body, "updateExtensionRequest").contains("Article 4(6)(g)"),
        "{body}"
    );
    // And it is submitted once.
    refused(
        &w,
        &w.lao,
        &submit_q(),
        json!({"id": s["id"], "expectedVersion": s["version"]}),
        "submitExtensionRequest",
        "INVALID_STATE_TRANSITION",
        &["input", "id"],
        Some(&s["id"]),
    )
    .await;
}

#[tokio::test]
async fn submission_after_the_deadline_in_force_is_refused_and_on_it_accepted() {
    let app = app().await;
    let admin = app.admin_token().await;
    // Lao PDR's clearance deadline, extended to 2027-03-01: three months from today.
    extend(&app, &admin, "LAO", "CLEARANCE", "2025-08-01", "2019-09-04").await;
    extend(&app, &admin, "LAO", "CLEARANCE", "2027-03-01", "2024-09-10").await;
    let msp = meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "A special Meeting of States Parties",
        "2027-02-15",
        "2027-02-17",
    )
    .await;
    let w = World {
        staff: app.token_for("ISU_STAFF", None).await,
        lao: app.token_for("DELEGATION", Some("LAO")).await,
        other: app.token_for("DELEGATION", Some("AFG")).await,
        coordinator: app.coordinator_token(&[]).await,
        admin,
        msp,
        app,
    };
    let r = ok(
        &w.app,
        &w.lao,
        &open_q(),
        open_input("LAO", "CLEARANCE", "2030-03-01", &w.msp),
        "openExtensionRequest",
    )
    .await;
    assert_eq!(r["currentDeadline"], "2027-03-01");
    let r = fill(&w, &w.lao, &r, &CLEARANCE_ELEMENTS).await;
    let input = json!({"input": {"id": r["id"], "expectedVersion": r["version"]}});

    // The same database served on the day after the deadline.
    let after = server_on(&w.app, "2027-03-02").await;
    let audit = w.app.audit_entries().await;
    let body = w
        .app
        .graphql_at(&after, &w.lao, &submit_q(), input.clone())
        .await;
    let p = payload(&body, "submitExtensionRequest");
    assert_eq!(p["userErrors"][0]["code"], "INVALID_INPUT", "{body}");
    assert_eq!(
        p["userErrors"][0]["field"],
        json!(["input", "id"]),
        "{body}"
    );
    assert!(
        message(&body, "submitExtensionRequest").contains("2027-03-01"),
        "{body}"
    );
    assert!(p["request"].is_null());
    assert_eq!(w.app.audit_entries().await, audit);
    assert_eq!(read(&w, &r["id"]).await, r, "the request is unchanged");

    // On the deadline itself it is still in time, if late for the meeting.
    let on = server_on(&w.app, "2027-03-01").await;
    let body = w.app.graphql_at(&on, &w.lao, &submit_q(), input).await;
    let s = &payload(&body, "submitExtensionRequest")["request"];
    assert_eq!(s["status"], "SUBMITTED", "{body}");
    assert_eq!(s["submittedOn"], "2027-03-01");
    assert_eq!(s["submitBy"], "2026-05-15");
    assert_eq!(s["late"], true);
}

#[tokio::test]
async fn withdrawal_needs_a_reason_and_a_request_under_way() {
    let w = world().await;
    let r = open_lao(&w).await;
    let id = &r["id"];
    let long = "x".repeat(501);
    for reason in ["", "   ", long.as_str()] {
        refused(
            &w,
            &w.lao,
            WITHDRAW,
            json!({"id": id, "expectedVersion": 1, "reason": reason}),
            "withdrawExtensionRequest",
            "INVALID_INPUT",
            &["input", "reason"],
            Some(id),
        )
        .await;
    }
    let audit = w.app.audit_entries().await;
    let withdrawn = ok(
        &w.app,
        &w.staff,
        WITHDRAW,
        json!({"id": id, "expectedVersion": 1,
               "reason": "  The State will complete clearance in time.\nNo request needed.  "}),
        "withdrawExtensionRequest",
    )
    .await;
    assert_eq!(withdrawn["status"], "WITHDRAWN");
    assert_eq!(w.app.audit_entries().await, audit + 1);
    let row = entity::extension_request::Entity::find()
        .one(&w.app.db)
        .await
        .expect("read")
        .expect("the request");
    assert_eq!(
        row.withdrawal_reason.as_deref(),
        Some("The State will complete clearance in time.\nNo request needed.")
    );
    assert_eq!(row.withdrawn_on, Some(date(TODAY)));
    // Withdrawn, it stays with those who drafted it, and nothing more happens to it.
    assert_eq!(sees(&w, Some(&w.other), id).await, [false; 4]);
    refused(
        &w,
        &w.lao,
        WITHDRAW,
        json!({"id": id, "expectedVersion": 2, "reason": "Again."}),
        "withdrawExtensionRequest",
        "INVALID_STATE_TRANSITION",
        &["input", "id"],
        Some(id),
    )
    .await;
    refused(
        &w,
        &w.lao,
        &update_q(),
        json!({"id": id, "expectedVersion": 2, "requestedDeadline": "2034-08-01"}),
        "updateExtensionRequest",
        "INVALID_STATE_TRANSITION",
        &["input", "id"],
        Some(id),
    )
    .await;
    refused(
        &w,
        &w.lao,
        &submit_q(),
        json!({"id": id, "expectedVersion": 2}),
        "submitExtensionRequest",
        "INVALID_STATE_TRANSITION",
        &["input", "id"],
        Some(id),
    )
    .await;
}
