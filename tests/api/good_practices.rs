//! Good practices over HTTP: ISU staff add them with the documents and experts they name,
//! each bad input refused with nothing written; every signed-in user finds them by area and
//! by words (SQLite FTS5 or PostgreSQL `tsvector`, whichever the test database is); a
//! practice's documents and experts are filtered by their own rules (RESTRICTED documents
//! and inactive experts the ISU's, contact details the ISU's); a need lists the practices of
//! its area.

use entity::{audit_entry, good_practice, good_practice_document, good_practice_expert};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

const ADD: &str = "mutation($input: AddGoodPracticeInput!) { addGoodPractice(input: $input) {
  goodPractice { id title area summary createdAt state { code }
    documents { id symbol title access } experts { id fullName email phone } }
  userErrors { field message code } } }";
const LIST: &str = "query($first: Int, $after: String, $area: ThematicArea, $search: String) {
  goodPractices(first: $first, after: $after, area: $area, search: $search) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title area state { code } } } } }";
const NODE: &str = "query($id: ID!) { node(id: $id) { id ... on GoodPractice {
  title documents { id access } experts { id fullName active email phone } } } }";
const ADD_EXPERT: &str = "mutation($input: ExpertInput!) { addExpert(input: $input) {
  expert { id } userErrors { field message code } } }";
const UPDATE_EXPERT: &str = "mutation($input: UpdateExpertInput!) { updateExpert(input: $input) {
  expert { id active } userErrors { field message code } } }";
const MEETING: &str = "mutation($i: CreateMeetingInput!) { createMeeting(input: $i) {
  meeting { id } userErrors { code field message } } }";
const ADD_DOCUMENT: &str =
    "mutation($i: AddMeetingDocumentInput!) { addMeetingDocument(input: $i) {
  document { id } userErrors { code field message } } }";

/// Today, pinned: experts' consent was given before it.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("a day")
}

/// An `ExpertInput` of a consenting expert, adjusted by `set`.
pub(crate) fn expert_input(name: &str, nationality: &str, set: impl FnOnce(&mut Value)) -> Value {
    let mut input = json!({
        "fullName": name, "gender": "FEMALE", "nationalityCode": nationality,
        "organization": "National Mine Action Centre (invented)",
        "areas": ["CLEARANCE"], "assistanceTypes": ["TECHNICAL_EXPERTISE"],
        "languages": ["EN"], "regions": [], "yearsOfExperience": 10,
        "biography": "Invented for the tests.",
        "email": format!("{}@experts.test", name.to_lowercase().replace(' ', ".")),
        "phone": "+41 22 000 00 00", "consentGivenOn": "2024-01-15"});
    set(&mut input);
    input
}

/// Adds an expert through `addExpert` as `staff`; returns its global ID.
pub(crate) async fn add_expert(app: &TestApp, staff: &str, input: Value) -> String {
    let body = app
        .graphql_as(staff, ADD_EXPERT, json!({ "input": input }))
        .await;
    assert_eq!(body["data"]["addExpert"]["userErrors"], json!([]), "{body}");
    body["data"]["addExpert"]["expert"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// Makes an expert inactive through `updateExpert`, with the rest of `input` as it was.
pub(crate) async fn deactivate(app: &TestApp, staff: &str, id: &str, input: Value) {
    let body = app
        .graphql_as(
            staff,
            UPDATE_EXPERT,
            json!({"input": {"id": id, "expert": input, "active": false}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateExpert"]["expert"]["active"], false,
        "{body}"
    );
}

struct World {
    app: TestApp,
    staff: String,
    delegation: String,
    coordinator: String,
    public_document: String,
    restricted_document: String,
    active_expert: String,
    inactive_expert: String,
}

async fn world() -> World {
    let app = spawn_app_with(|s| s.today = Some(today())).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let delegation = app.token_for("DELEGATION", Some("BEN")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let body = app
        .graphql_as(
            &staff,
            MEETING,
            json!({"i": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Thirteenth Meeting of States Parties",
                         "startsOn": "2025-09-16", "endsOn": "2025-09-19"}}),
        )
        .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"].clone();
    let mut documents = Vec::new();
    for (symbol, access) in [
        ("CCM/MSP/2025/WP.1", "PUBLIC"),
        ("CCM/MSP/2025/WP.2", "RESTRICTED"),
    ] {
        let body = app
            .graphql_as(
                &staff,
                ADD_DOCUMENT,
                json!({"i": {"meetingId": meeting, "kind": "WORKING_PAPER", "symbol": symbol,
                             "title": format!("Land release ({access})"), "language": "EN",
                             "access": access}}),
            )
            .await;
        documents.push(
            body["data"]["addMeetingDocument"]["document"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_owned(),
        );
    }
    let active_expert = add_expert(&app, &staff, expert_input("Amina Diallo", "SEN", |_| {})).await;
    let inactive_input = expert_input("Zoe Inactive", "FRA", |_| {});
    let inactive_expert = add_expert(&app, &staff, inactive_input.clone()).await;
    deactivate(&app, &staff, &inactive_expert, inactive_input).await;
    let restricted_document = documents.pop().expect("two documents");
    let public_document = documents.pop().expect("two documents");
    World {
        app,
        staff,
        delegation,
        coordinator,
        public_document,
        restricted_document,
        active_expert,
        inactive_expert,
    }
}

fn practice(title: &str, area: &str, summary: &str) -> Value {
    json!({"title": title, "area": area, "stateCode": "LAO", "summary": summary})
}

/// Adds a practice as ISU staff; returns the payload's practice.
async fn add(w: &World, input: Value) -> Value {
    let body = w
        .app
        .graphql_as(&w.staff, ADD, json!({ "input": input }))
        .await;
    assert_eq!(
        body["data"]["addGoodPractice"]["userErrors"],
        json!([]),
        "{body}"
    );
    body["data"]["addGoodPractice"]["goodPractice"].clone()
}

async fn practices(app: &TestApp) -> u64 {
    good_practice::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn isu_staff_add_a_practice_with_its_documents_and_experts_audited() {
    let w = world().await;
    let mut input = practice(
        "  Land release through non-technical survey  ",
        "CLEARANCE",
        "Cancelling suspected areas after community interviews freed land sooner.\nTwo lines.",
    );
    input["stateCode"] = json!(" lao ");
    input["documentIds"] = json!([w.public_document, w.restricted_document, w.public_document]);
    input["expertIds"] = json!([w.active_expert, w.inactive_expert]);
    let added = add(&w, input).await;
    assert_eq!(added["title"], "Land release through non-technical survey");
    assert_eq!(added["area"], "CLEARANCE");
    assert_eq!(added["state"]["code"], "LAO");
    assert!(added["createdAt"].is_string(), "{added}");
    // ISU staff read every document and expert it names, with the contact details.
    assert_eq!(
        added["documents"].as_array().map(Vec::len),
        Some(2),
        "{added}"
    );
    assert_eq!(
        added["experts"].as_array().map(Vec::len),
        Some(2),
        "{added}"
    );
    assert_eq!(
        added["experts"][0]["fullName"], "Amina Diallo",
        "by name: {added}"
    );
    assert_eq!(added["experts"][0]["email"], "amina.diallo@experts.test");
    // The links, once each, and one audit entry naming them.
    assert_eq!(
        good_practice_document::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        good_practice_expert::Entity::find()
            .count(&w.app.db)
            .await
            .unwrap(),
        2
    );
    let entries = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("GoodPractice"))
        .all(&w.app.db)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "addGoodPractice");
    let after = entries[0].after.clone().expect("after").to_string();
    assert!(
        after.contains("documentIds") && after.contains("expertIds"),
        "{after}"
    );
    // And `node` reads it back.
    let body = w
        .app
        .graphql_as(&w.delegation, NODE, json!({"id": added["id"]}))
        .await;
    assert_eq!(
        body["data"]["node"]["title"], "Land release through non-technical survey",
        "{body}"
    );
    // A practice needs no State, document or expert.
    let bare = add(
        &w,
        json!({"title": "Victim data", "area": "VICTIM_ASSISTANCE", "summary": "A registry."}),
    )
    .await;
    assert!(
        bare["state"].is_null() && bare["documents"] == json!([]),
        "{bare}"
    );
}

/// A bad input: its name, the input, and the refusals expected as (code, field under input).
type Case = (&'static str, Value, Vec<(&'static str, &'static str)>);

#[tokio::test]
async fn bad_input_is_refused_with_nothing_written() {
    let w = world().await;
    let before = (practices(&w.app).await, w.app.audit_entries().await);
    let fake_document = ccm_isu::api::ids::encode("MeetingDocument", uuid::Uuid::now_v7());
    let fake_expert = ccm_isu::api::ids::encode("Expert", uuid::Uuid::now_v7());
    let cases: Vec<Case> = vec![
        (
            "blank title",
            json!({"title": "   ", "area": "CLEARANCE", "summary": "Something."}),
            vec![("INVALID_INPUT", "title")],
        ),
        (
            "title on two lines",
            json!({"title": "One\ntwo", "area": "CLEARANCE", "summary": "Something."}),
            vec![("INVALID_INPUT", "title")],
        ),
        (
            "title too long",
            json!({"title": "t".repeat(201), "area": "CLEARANCE", "summary": "Something."}),
            vec![("INVALID_INPUT", "title")],
        ),
        (
            "blank summary",
            json!({"title": "A title", "area": "CLEARANCE", "summary": ""}),
            vec![("INVALID_INPUT", "summary")],
        ),
        (
            "summary too long",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "s".repeat(10_001)}),
            vec![("INVALID_INPUT", "summary")],
        ),
        (
            "unknown State",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "S.", "stateCode": "XXX"}),
            vec![("NOT_FOUND", "stateCode")],
        ),
        (
            "unknown document",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "S.",
                   "documentIds": [w.public_document, fake_document]}),
            vec![("NOT_FOUND", "documentIds")],
        ),
        (
            "another kind's ID as a document",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "S.",
                   "documentIds": [w.active_expert]}),
            vec![("NOT_FOUND", "documentIds")],
        ),
        (
            "unknown expert",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "S.",
                   "expertIds": [fake_expert]}),
            vec![("NOT_FOUND", "expertIds")],
        ),
        (
            "a malformed expert ID",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "S.",
                   "expertIds": ["not-an-id"]}),
            vec![("NOT_FOUND", "expertIds")],
        ),
        (
            "too many documents",
            json!({"title": "A title", "area": "CLEARANCE", "summary": "S.",
                   "documentIds": (0..51).map(|_| ccm_isu::api::ids::encode("MeetingDocument", uuid::Uuid::now_v7()).to_string()).collect::<Vec<_>>()}),
            vec![("INVALID_INPUT", "documentIds")],
        ),
        (
            "everything at once",
            json!({"title": "", "area": "CLEARANCE", "summary": " ", "stateCode": "XXX",
                   "documentIds": [fake_document], "expertIds": [fake_expert]}),
            vec![
                ("INVALID_INPUT", "title"),
                ("INVALID_INPUT", "summary"),
                ("NOT_FOUND", "stateCode"),
                ("NOT_FOUND", "documentIds"),
                ("NOT_FOUND", "expertIds"),
            ],
        ),
    ];
    for (name, input, expected) in cases {
        let body = w
            .app
            .graphql_as(&w.staff, ADD, json!({ "input": input }))
            .await;
        let payload = &body["data"]["addGoodPractice"];
        assert!(payload["goodPractice"].is_null(), "{name}: {body}");
        let got: Vec<(String, Value)> = payload["userErrors"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {body}"))
            .iter()
            .map(|e| {
                (
                    e["code"].as_str().unwrap_or("").to_owned(),
                    e["field"].clone(),
                )
            })
            .collect();
        let want: Vec<(String, Value)> = expected
            .iter()
            .map(|(c, f)| ((*c).to_owned(), json!(["input", f])))
            .collect();
        assert_eq!(got, want, "{name}: {body}");
    }
    assert_eq!(
        (practices(&w.app).await, w.app.audit_entries().await),
        before,
        "nothing written"
    );
}

#[tokio::test]
async fn only_isu_staff_add_practices() {
    let w = world().await;
    let input = json!({"title": "A title", "area": "CLEARANCE", "summary": "S."});
    for (who, token) in [
        ("delegation", &w.delegation),
        ("coordinator", &w.coordinator),
    ] {
        let body = w
            .app
            .graphql_as(token, ADD, json!({ "input": input }))
            .await;
        assert_eq!(
            codes(&body["data"]["addGoodPractice"]),
            ["FORBIDDEN"],
            "{who}: {body}"
        );
    }
    let body = w.app.graphql(ADD, json!({ "input": input })).await;
    assert_eq!(
        codes(&body["data"]["addGoodPractice"]),
        ["UNAUTHENTICATED"],
        "{body}"
    );
    assert_eq!(practices(&w.app).await, 0);
}

/// The titles of a `goodPractices` answer, in order.
fn titles(body: &Value) -> Vec<String> {
    body["data"]["goodPractices"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn practices_are_found_by_area_and_by_words() {
    let w = world().await;
    for (title, area, summary) in [
        (
            "Land release through non-technical survey",
            "CLEARANCE",
            "Cancelling suspected areas after community interviews freed land sooner.",
        ),
        (
            "Marking and fencing",
            "CLEARANCE",
            "Temporary marking kept villagers away until clearance.",
        ),
        (
            "Community liaison in schools",
            "RISK_REDUCTION_EDUCATION",
            "Teachers trained as liaison officers reached every village.",
        ),
        (
            "Peer support networks",
            "VICTIM_ASSISTANCE",
            "Survivors trained survivors: a network of peer support in every province.",
        ),
    ] {
        add(&w, practice(title, area, summary)).await;
    }
    let list = |vars: Value| {
        let app = &w.app;
        let token = w.delegation.clone();
        async move { app.graphql_as(&token, LIST, vars).await }
    };
    // Every signed-in user reads them all, newest first.
    let all = list(json!({})).await;
    assert_eq!(all["data"]["goodPractices"]["totalCount"], 4, "{all}");
    assert_eq!(titles(&all)[0], "Peer support networks");
    // By area.
    let body = list(json!({"area": "CLEARANCE"})).await;
    assert_eq!(
        titles(&body),
        [
            "Marking and fencing",
            "Land release through non-technical survey"
        ]
    );
    // By words, all present, in the title or the summary, whatever their case.
    for (search, expected) in [
        (
            "community",
            vec![
                "Community liaison in schools",
                "Land release through non-technical survey",
            ],
        ),
        (
            "COMMUNITY interviews",
            vec!["Land release through non-technical survey"],
        ),
        ("interviews schools", vec![]),
        (
            "trained",
            vec!["Peer support networks", "Community liaison in schools"],
        ),
        ("fencing, marking!", vec!["Marking and fencing"]),
        ("\"survey\" OR -land", vec![]),
        ("nothing-like-this", vec![]),
    ] {
        let body = list(json!({"search": search})).await;
        assert_eq!(titles(&body), expected, "{search}: {body}");
        assert_eq!(
            body["data"]["goodPractices"]["totalCount"],
            expected.len(),
            "{search}"
        );
    }
    // Area and words together.
    let body = list(json!({"area": "CLEARANCE", "search": "community"})).await;
    assert_eq!(titles(&body), ["Land release through non-technical survey"]);
    // A blank search is no search.
    let body = list(json!({"search": "   "})).await;
    assert_eq!(body["data"]["goodPractices"]["totalCount"], 4, "{body}");
    // Pages follow each other without overlap.
    let first = list(json!({"first": 3})).await;
    assert_eq!(
        first["data"]["goodPractices"]["pageInfo"]["hasNextPage"],
        true
    );
    let cursor = first["data"]["goodPractices"]["pageInfo"]["endCursor"].clone();
    let second = list(json!({"first": 3, "after": cursor})).await;
    assert_eq!(
        titles(&second),
        ["Land release through non-technical survey"]
    );
    assert_eq!(second["data"]["goodPractices"]["totalCount"], 4);
    // Refused: a search without a word, one too long, a page too large; and anonymous callers.
    for (vars, code) in [
        (json!({"search": "!!!"}), "BAD_USER_INPUT"),
        (json!({"search": "a ".repeat(300)}), "BAD_USER_INPUT"),
        (json!({"first": 101}), "INVALID_ARGUMENT"),
        (json!({"after": "garbage"}), "BAD_USER_INPUT"),
    ] {
        let body = list(vars.clone()).await;
        assert_eq!(error_code(&body), Some(code), "{vars}: {body}");
    }
    let body = w.app.graphql(LIST, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
}

#[tokio::test]
async fn a_practices_documents_and_experts_follow_their_own_rules() {
    let w = world().await;
    let mut input = practice("Land release", "CLEARANCE", "Community interviews.");
    input["documentIds"] = json!([w.public_document, w.restricted_document]);
    input["expertIds"] = json!([w.active_expert, w.inactive_expert]);
    let added = add(&w, input).await;
    let query = "{ goodPractices(first: 10) { edges { node {
        documents { id access } experts { id fullName email phone } } } } }";
    for (who, token) in [
        ("delegation", &w.delegation),
        ("coordinator", &w.coordinator),
    ] {
        for body in [
            w.app.graphql_as(token, query, json!({})).await,
            w.app
                .graphql_as(token, NODE, json!({"id": added["id"]}))
                .await,
        ] {
            assert!(body["errors"].is_null(), "{who}: {body}");
            let node = if body["data"]["node"].is_null() {
                body["data"]["goodPractices"]["edges"][0]["node"].clone()
            } else {
                body["data"]["node"].clone()
            };
            assert_eq!(
                node["documents"],
                json!([{"id": w.public_document, "access": "PUBLIC"}]),
                "{who}: RESTRICTED documents are the ISU's: {body}"
            );
            let experts = node["experts"].as_array().expect("experts");
            assert_eq!(
                experts.len(),
                1,
                "{who}: inactive experts are the ISU's: {body}"
            );
            assert_eq!(experts[0]["id"], w.active_expert.as_str());
            assert!(
                experts[0]["email"].is_null() && experts[0]["phone"].is_null(),
                "{who}: contact details are the ISU's: {body}"
            );
        }
    }
    let body = w
        .app
        .graphql_as(&w.staff, NODE, json!({"id": added["id"]}))
        .await;
    let node = &body["data"]["node"];
    assert_eq!(
        node["documents"].as_array().map(Vec::len),
        Some(2),
        "{body}"
    );
    assert_eq!(node["experts"].as_array().map(Vec::len), Some(2), "{body}");
    assert!(node["experts"][0]["email"].is_string(), "{body}");
    // Anonymous callers read no practice.
    let body = w.app.graphql(NODE, json!({"id": added["id"]})).await;
    assert!(body["data"]["node"].is_null(), "{body}");
}

#[tokio::test]
async fn a_need_lists_the_practices_of_its_area_newest_first() {
    let w = world().await;
    for (title, area) in [
        ("Clearance one", "CLEARANCE"),
        ("Education", "RISK_REDUCTION_EDUCATION"),
        ("Clearance two", "CLEARANCE"),
        ("Clearance three", "CLEARANCE"),
    ] {
        add(&w, practice(title, area, "A summary.")).await;
    }
    let admin = w.app.admin_token().await;
    let mut needs = Vec::new();
    for (code, area) in [
        ("BEN", "CLEARANCE"),
        ("LAO", "RISK_REDUCTION_EDUCATION"),
        ("LAO", "VICTIM_ASSISTANCE"),
    ] {
        let body = w
            .app
            .graphql_as(
                &admin,
                "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
                   need { id } userErrors { message } } }",
                json!({"input": {"stateCode": code, "thematicArea": area,
                                 "assistanceTypes": ["FINANCIAL"], "title": "A need"}}),
            )
            .await;
        needs.push(body["data"]["createAssistanceNeed"]["need"]["id"].clone());
    }
    let query = "query($id: ID!, $first: Int) { node(id: $id) { ... on AssistanceNeed {
        goodPractices(first: $first) { title area } } } }";
    let titles_of = |body: &Value| -> Vec<String> {
        body["data"]["node"]["goodPractices"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|p| p["title"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let body = w
        .app
        .graphql_as(&w.delegation, query, json!({"id": needs[0]}))
        .await;
    assert_eq!(
        titles_of(&body),
        ["Clearance three", "Clearance two", "Clearance one"],
        "{body}"
    );
    let body = w
        .app
        .graphql_as(&w.delegation, query, json!({"id": needs[0], "first": 2}))
        .await;
    assert_eq!(titles_of(&body), ["Clearance three", "Clearance two"]);
    let body = w
        .app
        .graphql_as(&admin, query, json!({"id": needs[1]}))
        .await;
    assert_eq!(titles_of(&body), ["Education"]);
    let body = w
        .app
        .graphql_as(&admin, query, json!({"id": needs[2], "first": 0}))
        .await;
    assert_eq!(titles_of(&body), Vec::<String>::new());
    for first in [-1, 101] {
        let body = w
            .app
            .graphql_as(&admin, query, json!({"id": needs[0], "first": first}))
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{first}: {body}");
    }
    // Every need of a list in one batch: the areas' practices read once for all.
    let body = w
        .app
        .graphql_as(
            &admin,
            "{ assistanceNeeds(first: 10) { edges { node { thematicArea goodPractices(first: 1) { title } } } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let mut seen: Vec<(String, Value)> = body["data"]["assistanceNeeds"]["edges"]
        .as_array()
        .expect("needs")
        .iter()
        .map(|e| {
            (
                e["node"]["thematicArea"].as_str().unwrap_or("").to_owned(),
                e["node"]["goodPractices"].clone(),
            )
        })
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        [
            (
                "CLEARANCE".to_owned(),
                json!([{"title": "Clearance three"}])
            ),
            (
                "RISK_REDUCTION_EDUCATION".to_owned(),
                json!([{"title": "Education"}])
            ),
            ("VICTIM_ASSISTANCE".to_owned(), json!([])),
        ]
    );
}
