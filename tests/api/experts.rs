//! The roster of experts over the API: ISU staff add, update and erase experts, each bad
//! input refused with nothing written; the contact details reach ISU staff only, on every
//! path (by ID, in the list, `node`, `nodes`, the export); inactive experts are ISU staff's
//! alone; erasure leaves no personal data (the row, the practices' links, the audit entries'
//! data, the stored idempotent responses); the audit log never holds an email or a phone;
//! the list's filters, South-South's among them, agree with the fields.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::enums::{Gender, ThematicArea, UserRole};
use entity::{audit_entry, expert, good_practice, good_practice_expert, idempotency_key, state};
use reqwest::{StatusCode, header};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use ccm_isu::auth::{Principal, Viewer};
use ccm_isu::domain::experts::service;

use crate::helpers::*;

const ADD: &str = "mutation($input: ExpertInput!) { addExpert(input: $input) {
  expert { id fullName gender organization areas assistanceTypes languages regions
    yearsOfExperience biography availableFrom availableUntil email phone southSouth
    consentGivenOn active nationality { code } }
  userErrors { field message code } } }";
const UPDATE: &str = "mutation($input: UpdateExpertInput!) { updateExpert(input: $input) {
  expert { id fullName organization areas languages availableFrom availableUntil email phone
    active southSouth nationality { code } }
  userErrors { field message code } } }";
const ERASE: &str = "mutation($input: EraseExpertInput!) { eraseExpert(input: $input) {
  erasedId userErrors { field message code } } }";
const ONE: &str = "query($id: ID!) { expert(id: $id) { id fullName email phone active } }";
const LIST: &str = "query($first: Int, $after: String, $filter: ExpertFilter) {
  experts(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id fullName email phone southSouth active nationality { code } } } } }";
const NODE: &str =
    "query($id: ID!) { node(id: $id) { id ... on Expert { fullName email phone } } }";
const NODES: &str =
    "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Expert { fullName email phone } } }";

/// The day the server takes for today.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).expect("a day")
}

/// A server whose today is [`today`].
async fn app() -> TestApp {
    spawn_app_with(|s| s.today = Some(today())).await
}

/// The UUID inside an expert's global ID.
fn uuid_of(id: &Value) -> Uuid {
    ccm_isu::api::ids::decode_as(id.as_str().expect("an ID"), "Expert").expect("an expert's ID")
}

/// A complete, valid input.
fn input(name: &str) -> Value {
    json!({
        "fullName": name,
        "gender": "FEMALE",
        "nationalityCode": "LAO",
        "organization": "Invented Clearance Institute",
        "areas": ["CLEARANCE", "RISK_REDUCTION_EDUCATION"],
        "assistanceTypes": ["TECHNICAL_EXPERTISE", "TRAINING"],
        "languages": ["EN", "FR"],
        "regions": ["ASIA_PACIFIC"],
        "yearsOfExperience": 12,
        "biography": "Led survey teams in Xieng Khouang.",
        "availableFrom": "2026-07-01",
        "availableUntil": "2026-12-31",
        "email": "ana.example@ngo.test",
        "phone": "+856 21 555 0101",
        "consentGivenOn": "2026-05-02",
    })
}

/// `input(name)` with `changes` over it.
fn with(name: &str, changes: Value) -> Value {
    let mut v = input(name);
    for (k, x) in changes.as_object().expect("an object") {
        v[k] = x.clone();
    }
    v
}

/// Adds an expert that must be accepted; returns it.
async fn add(app: &TestApp, token: &str, input: Value) -> Value {
    let body = app.graphql_as(token, ADD, json!({ "input": input })).await;
    let payload = &body["data"]["addExpert"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    payload["expert"].clone()
}

async fn experts(app: &TestApp) -> u64 {
    expert::Entity::find().count(&app.db).await.expect("count")
}

/// Every audit entry of the expert `id`, oldest first.
async fn entries_of(app: &TestApp, id: Uuid) -> Vec<audit_entry::Model> {
    let mut all = audit_entry::Entity::find()
        .filter(audit_entry::Column::EntityType.eq("Expert"))
        .filter(audit_entry::Column::EntityId.eq(id.to_string()))
        .all(&app.db)
        .await
        .expect("read");
    all.sort_by_key(|e| e.id);
    all
}

/// The whole audit log as text.
async fn audit_text(app: &TestApp) -> String {
    audit_entry::Entity::find()
        .all(&app.db)
        .await
        .expect("read")
        .into_iter()
        .map(|e| format!("{:?} {:?}", e.before, e.after))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn isu_staff_add_update_and_read_experts() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let admin = app.admin_token().await;

    // Texts trimmed, lists without repeats, the code in upper case, listed active.
    let body = app
        .graphql_as(
            &staff,
            ADD,
            json!({"input": with("  Ana Example  ", json!({
                "nationalityCode": " lao ",
                "organization": "  Invented Clearance Institute ",
                "areas": ["CLEARANCE", "CLEARANCE", "VICTIM_ASSISTANCE"],
                "languages": ["FR", "EN", "FR"],
                "email": " Ana.Example@NGO.test ",
            }))}),
        )
        .await;
    let created = &body["data"]["addExpert"]["expert"];
    assert_eq!(body["data"]["addExpert"]["userErrors"], json!([]), "{body}");
    assert_eq!(created["fullName"], "Ana Example");
    assert_eq!(created["gender"], "FEMALE");
    assert_eq!(created["nationality"]["code"], "LAO");
    assert_eq!(created["organization"], "Invented Clearance Institute");
    assert_eq!(created["areas"], json!(["CLEARANCE", "VICTIM_ASSISTANCE"]));
    assert_eq!(
        created["assistanceTypes"],
        json!(["TECHNICAL_EXPERTISE", "TRAINING"])
    );
    assert_eq!(created["languages"], json!(["FR", "EN"]));
    assert_eq!(created["regions"], json!(["ASIA_PACIFIC"]));
    assert_eq!(created["yearsOfExperience"], 12);
    assert_eq!(created["biography"], "Led survey teams in Xieng Khouang.");
    assert_eq!(created["availableFrom"], "2026-07-01");
    assert_eq!(created["availableUntil"], "2026-12-31");
    assert_eq!(created["email"], "Ana.Example@ngo.test");
    assert_eq!(created["phone"], "+856 21 555 0101");
    assert_eq!(created["consentGivenOn"], "2026-05-02");
    assert_eq!(created["active"], true);
    assert_eq!(created["southSouth"], true, "Lao PDR is contaminated");
    let id = uuid_of(&created["id"]);
    let entries = entries_of(&app, id).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "addExpert");
    let after = entries[0].after.as_deref().unwrap_or_default();
    assert!(after.contains("Ana Example"), "{after}");
    assert!(after.contains("\"contactDetails\":\"set\""), "{after}");

    // The whole input replaces the expert; optional fields left out are emptied.
    let body = app
        .graphql_as(
            &admin,
            UPDATE,
            json!({"input": {"id": created["id"], "active": false, "expert": {
                "fullName": "Ana Example-Renamed", "gender": "FEMALE", "nationalityCode": "NOR",
                "areas": ["VICTIM_ASSISTANCE"], "assistanceTypes": ["TRAINING"],
                "languages": ["ES"], "email": "Ana.Example@NGO.test",
                "phone": "+856 21 555 0101", "consentGivenOn": "2026-05-02",
            }}}),
        )
        .await;
    let updated = &body["data"]["updateExpert"]["expert"];
    assert_eq!(
        body["data"]["updateExpert"]["userErrors"],
        json!([]),
        "{body}"
    );
    assert_eq!(updated["fullName"], "Ana Example-Renamed");
    assert_eq!(updated["organization"], Value::Null);
    assert_eq!(updated["areas"], json!(["VICTIM_ASSISTANCE"]));
    assert_eq!(updated["languages"], json!(["ES"]));
    assert_eq!(updated["availableFrom"], Value::Null);
    assert_eq!(updated["active"], false);
    assert_eq!(updated["nationality"]["code"], "NOR");
    assert_eq!(updated["southSouth"], false, "Norway is not affected");
    let entries = entries_of(&app, id).await;
    assert_eq!(entries.len(), 2);
    let after = entries[1].after.as_deref().unwrap_or_default();
    assert!(after.contains("Ana Example-Renamed"), "{after}");
    assert!(
        !after.contains("contactDetails"),
        "the same email, its domain lower-cased as before: {after}"
    );

    // The same input again changes nothing and writes nothing.
    let same = json!({"input": {"id": created["id"], "expert": {
        "fullName": "Ana Example-Renamed", "gender": "FEMALE", "nationalityCode": "NOR",
        "areas": ["VICTIM_ASSISTANCE"], "assistanceTypes": ["TRAINING"],
        "languages": ["ES"], "email": "Ana.Example@ngo.test",
        "phone": "+856 21 555 0101", "consentGivenOn": "2026-05-02",
    }}});
    let total = app.audit_entries().await;
    let body = app.graphql_as(&staff, UPDATE, same.clone()).await;
    assert_eq!(body["data"]["updateExpert"]["userErrors"], json!([]));
    assert_eq!(body["data"]["updateExpert"]["expert"]["active"], false);
    assert_eq!(app.audit_entries().await, total);

    // A change of the phone alone is written and audited, without the numbers.
    let mut phone_only = same.clone();
    phone_only["input"]["expert"]["phone"] = json!("+41 22 730 93 11");
    let body = app.graphql_as(&staff, UPDATE, phone_only).await;
    assert_eq!(
        body["data"]["updateExpert"]["expert"]["phone"], "+41 22 730 93 11",
        "{body}"
    );
    let entries = entries_of(&app, id).await;
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[2].action, "updateExpert");
    let after = entries[2].after.as_deref().unwrap_or_default();
    assert!(after.contains("\"contactDetails\":\"changed\""), "{after}");
    // Removing the contact details says so.
    let mut none = same.clone();
    none["input"]["expert"]["phone"] = Value::Null;
    none["input"]["expert"]["email"] = json!("  ");
    let body = app.graphql_as(&staff, UPDATE, none).await;
    assert_eq!(body["data"]["updateExpert"]["expert"]["email"], Value::Null);
    assert_eq!(body["data"]["updateExpert"]["expert"]["phone"], Value::Null);
    let entries = entries_of(&app, id).await;
    let after = entries[3].after.as_deref().unwrap_or_default();
    assert!(after.contains("\"contactDetails\":\"none\""), "{after}");
    let text = audit_text(&app).await.to_lowercase();
    for secret in ["ana.example@", "555 0101", "730 93 11"] {
        assert!(!text.contains(secret), "the audit log holds {secret}");
    }

    // Reads by ID: ISU staff, inactive included.
    let body = app
        .graphql_as(&staff, ONE, json!({"id": created["id"]}))
        .await;
    assert_eq!(body["data"]["expert"]["fullName"], "Ana Example-Renamed");
    assert_eq!(body["data"]["expert"]["active"], false);

    // Writers other than ISU staff: refused, nothing written.
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let total = app.audit_entries().await;
    for (token, code) in [
        (Some(delegation.as_str()), "FORBIDDEN"),
        (Some(coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app
            .graphql_with(token, ADD, json!({"input": input("Intruder")}))
            .await;
        assert_eq!(codes(&body["data"]["addExpert"]), [code], "{body}");
        assert!(body["data"]["addExpert"]["expert"].is_null());
        let mut change = same.clone();
        change["input"]["expert"]["fullName"] = json!("Hijacked");
        let body = app.graphql_with(token, UPDATE, change).await;
        assert_eq!(codes(&body["data"]["updateExpert"]), [code], "{body}");
        let body = app
            .graphql_with(token, ERASE, json!({"input": {"id": created["id"]}}))
            .await;
        assert_eq!(codes(&body["data"]["eraseExpert"]), [code], "{body}");
        assert!(body["data"]["eraseExpert"]["erasedId"].is_null());
    }
    assert_eq!(experts(&app).await, 1);
    assert_eq!(app.audit_entries().await, total);

    // An unknown expert, or an ID of another kind: NOT_FOUND on the ID.
    let unknown = ccm_isu::api::ids::encode("Expert", Uuid::now_v7()).to_string();
    let other_kind = ccm_isu::api::ids::encode("GoodPractice", id).to_string();
    for bad in [unknown.as_str(), other_kind.as_str(), "nonsense"] {
        let mut change = same.clone();
        change["input"]["id"] = json!(bad);
        let body = app.graphql_as(&staff, UPDATE, change).await;
        let payload = &body["data"]["updateExpert"];
        assert_eq!(codes(payload), ["NOT_FOUND"], "{body}");
        assert_eq!(payload["userErrors"][0]["field"], json!(["input", "id"]));
        let body = app.graphql_as(&staff, ONE, json!({ "id": bad })).await;
        assert!(body["data"]["expert"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn bad_experts_are_refused_with_nothing_written() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let existing = add(&app, &staff, input("Existing Expert")).await;
    let entries = app.audit_entries().await;
    let long = "x".repeat(201);
    let long_bio = "b".repeat(10_001);
    let long_phone = "1".repeat(41);
    let cases: Vec<(Value, &str, &str)> = vec![
        // (changes, code, field)
        (
            json!({"consentGivenOn": "2026-06-16"}),
            "INVALID_INPUT",
            "consentGivenOn",
        ),
        (
            json!({"availableFrom": "2026-08-01", "availableUntil": "2026-07-31"}),
            "INVALID_INPUT",
            "availableUntil",
        ),
        (
            json!({"nationalityCode": "XYZ"}),
            "NOT_FOUND",
            "nationalityCode",
        ),
        (json!({"areas": []}), "INVALID_INPUT", "areas"),
        (
            json!({"email": "no-at-sign.example.org"}),
            "INVALID_INPUT",
            "email",
        ),
        (json!({"email": "a@localhost"}), "INVALID_INPUT", "email"),
        (
            json!({"email": "a@example.org\nBcc: b@example.org"}),
            "INVALID_INPUT",
            "email",
        ),
        (json!({"fullName": "   "}), "INVALID_INPUT", "fullName"),
        (json!({"fullName": long}), "INVALID_INPUT", "fullName"),
        (
            json!({"fullName": "Ana\tExample"}),
            "INVALID_INPUT",
            "fullName",
        ),
        (
            json!({"fullName": "Ana\nExample"}),
            "INVALID_INPUT",
            "fullName",
        ),
        (
            json!({"organization": long}),
            "INVALID_INPUT",
            "organization",
        ),
        (
            json!({"organization": "Line\nbreak"}),
            "INVALID_INPUT",
            "organization",
        ),
        (json!({"biography": long_bio}), "INVALID_INPUT", "biography"),
        (
            json!({"yearsOfExperience": -1}),
            "INVALID_INPUT",
            "yearsOfExperience",
        ),
        (
            json!({"yearsOfExperience": 71}),
            "INVALID_INPUT",
            "yearsOfExperience",
        ),
        (json!({"phone": "12345"}), "INVALID_INPUT", "phone"),
        (
            json!({"phone": "+41 22 730 93 11 ext"}),
            "INVALID_INPUT",
            "phone",
        ),
        (json!({"phone": long_phone}), "INVALID_INPUT", "phone"),
    ];
    for (changes, code, field) in &cases {
        let body = app
            .graphql_as(
                &staff,
                ADD,
                json!({"input": with("New Expert", changes.clone())}),
            )
            .await;
        let payload = &body["data"]["addExpert"];
        assert_eq!(codes(payload), [*code], "{changes}: {body}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", field]),
            "{changes}"
        );
        assert!(payload["expert"].is_null());
        // The same under updateExpert, where the fields are under `expert`.
        let body = app
            .graphql_as(
                &staff,
                UPDATE,
                json!({"input": {"id": existing["id"],
                                 "expert": with("Existing Expert", changes.clone())}}),
            )
            .await;
        let payload = &body["data"]["updateExpert"];
        assert_eq!(codes(payload), [*code], "{changes}: {body}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "expert", field]),
            "{changes}"
        );
    }
    // Every refusal at once.
    let body = app
        .graphql_as(
            &staff,
            ADD,
            json!({"input": with("", json!({"areas": [], "nationalityCode": "XYZ",
                                             "consentGivenOn": "2027-01-01"}))}),
        )
        .await;
    let mut got = codes(&body["data"]["addExpert"]);
    got.sort();
    assert_eq!(
        got,
        [
            "INVALID_INPUT",
            "INVALID_INPUT",
            "INVALID_INPUT",
            "NOT_FOUND"
        ],
        "{body}"
    );
    // Consent today is accepted; no consent at all is a GraphQL error (non-null).
    let mut no_consent = input("No Consent");
    no_consent["consentGivenOn"] = Value::Null;
    let body = app
        .graphql_as(&staff, ADD, json!({ "input": no_consent }))
        .await;
    assert!(body["errors"].is_array(), "{body}");
    assert!(body["data"].is_null(), "{body}");
    let mut unset = input("No Consent");
    unset
        .as_object_mut()
        .expect("object")
        .remove("consentGivenOn");
    let body = app.graphql_as(&staff, ADD, json!({ "input": unset })).await;
    assert!(body["errors"].is_array(), "{body}");
    assert_eq!(experts(&app).await, 1);
    assert_eq!(app.audit_entries().await, entries);

    // The service refuses an absent consent all the same.
    let admin = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(ADMIN_EMAIL))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the administrator");
    let viewer = Viewer::authenticated(Principal {
        user_id: admin.id,
        role: UserRole::IsuAdmin,
        state_code: None,
        thematic_areas: vec![],
        session_id: Uuid::now_v7(),
        account: std::sync::Arc::new(admin),
    });
    let refused = service::add(
        &app.db,
        &viewer,
        today(),
        service::ExpertInput {
            full_name: "No Consent".into(),
            gender: Gender::Male,
            nationality_code: None,
            organization: None,
            areas: vec![ThematicArea::Clearance],
            assistance_types: vec![],
            languages: vec![],
            regions: vec![],
            years_of_experience: None,
            biography: None,
            available_from: None,
            available_until: None,
            email: None,
            phone: None,
            consent_given_on: None,
        },
    )
    .await;
    match refused {
        Err(ccm_isu::kernel::error::ServiceError::Refused(r)) => {
            assert_eq!(r.len(), 1);
            assert_eq!(
                r[0].field.as_deref(),
                Some(&["input".to_owned(), "consentGivenOn".to_owned()][..])
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(experts(&app).await, 1);
    assert_eq!(app.audit_entries().await, entries);

    // Consent given today is fine, as are the bounds themselves.
    let body = app
        .graphql_as(
            &staff,
            ADD,
            json!({"input": with("B".repeat(200).as_str(), json!({
                "consentGivenOn": "2026-06-15", "yearsOfExperience": 70,
                "availableFrom": "2026-07-01", "availableUntil": "2026-07-01",
                "phone": "(021) 555-01", "email": null, "nationalityCode": null,
                "biography": "b".repeat(10_000),
            }))}),
        )
        .await;
    assert_eq!(body["data"]["addExpert"]["userErrors"], json!([]), "{body}");
    assert_eq!(
        body["data"]["addExpert"]["expert"]["southSouth"], false,
        "no nationality"
    );
}

#[tokio::test]
async fn contact_details_reach_isu_staff_only_on_every_path() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let admin = app.admin_token().await;
    let delegation = app.token_for("DELEGATION", Some("IRQ")).await;
    let own_delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let e = add(
        &app,
        &staff,
        with(
            "Hidden Contact",
            json!({"email": "hidden.contact@ngo.test",
                                      "phone": "+856 99 123 456"}),
        ),
    )
    .await;
    let id = e["id"].clone();

    for token in [&staff, &admin] {
        let body = app.graphql_as(token, ONE, json!({ "id": id })).await;
        assert_eq!(body["data"]["expert"]["email"], "hidden.contact@ngo.test");
        assert_eq!(body["data"]["expert"]["phone"], "+856 99 123 456");
        let body = app.graphql_as(token, LIST, json!({})).await;
        let node = &body["data"]["experts"]["edges"][0]["node"];
        assert_eq!(node["email"], "hidden.contact@ngo.test", "{body}");
        assert_eq!(node["phone"], "+856 99 123 456");
        let body = app.graphql_as(token, NODE, json!({ "id": id })).await;
        assert_eq!(body["data"]["node"]["email"], "hidden.contact@ngo.test");
        let body = app.graphql_as(token, NODES, json!({ "ids": [id] })).await;
        assert_eq!(body["data"]["nodes"][0]["phone"], "+856 99 123 456");
    }
    // Others read the expert (active) without the contact details, even the delegation of
    // the expert's own State.
    for token in [&delegation, &own_delegation, &coordinator] {
        let bodies = [
            app.graphql_as(token, ONE, json!({ "id": id })).await,
            app.graphql_as(token, LIST, json!({})).await,
            app.graphql_as(token, NODE, json!({ "id": id })).await,
            app.graphql_as(token, NODES, json!({ "ids": [id] })).await,
        ];
        let read = [
            &bodies[0]["data"]["expert"],
            &bodies[1]["data"]["experts"]["edges"][0]["node"],
            &bodies[2]["data"]["node"],
            &bodies[3]["data"]["nodes"][0],
        ];
        for (body, node) in bodies.iter().zip(read) {
            assert_eq!(node["fullName"], "Hidden Contact", "{body}");
            assert!(node["email"].is_null(), "{body}");
            assert!(node["phone"].is_null(), "{body}");
            let text = body.to_string();
            assert!(!text.contains("hidden.contact"), "{body}");
            assert!(!text.contains("123 456"), "{body}");
        }
    }
    // Anonymous callers read nothing.
    let body = app.graphql(ONE, json!({ "id": id })).await;
    assert!(body["data"]["expert"].is_null(), "{body}");
    let body = app.graphql(NODE, json!({ "id": id })).await;
    assert!(body["data"]["node"].is_null(), "{body}");
    let body = app.graphql(NODES, json!({ "ids": [id] })).await;
    assert_eq!(body["data"]["nodes"], json!([null]), "{body}");
    let body = app.graphql(LIST, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    assert!(!body.to_string().contains("Hidden Contact"));
}

#[tokio::test]
async fn inactive_experts_are_seen_by_isu_staff_only() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let delegation = app.token_for("DELEGATION", Some("IRQ")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let active = add(&app, &staff, input("Active Expert")).await;
    let resting = add(&app, &staff, input("Resting Expert")).await;
    let body = app
        .graphql_as(
            &staff,
            UPDATE,
            json!({"input": {"id": resting["id"], "active": false,
                             "expert": input("Resting Expert")}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateExpert"]["expert"]["active"], false,
        "{body}"
    );

    let body = app.graphql_as(&staff, LIST, json!({})).await;
    assert_eq!(body["data"]["experts"]["totalCount"], 2, "{body}");
    let body = app
        .graphql_as(&staff, ONE, json!({"id": resting["id"]}))
        .await;
    assert_eq!(body["data"]["expert"]["fullName"], "Resting Expert");
    for token in [&delegation, &coordinator] {
        let body = app.graphql_as(token, LIST, json!({})).await;
        let list = &body["data"]["experts"];
        assert_eq!(list["totalCount"], 1, "{body}");
        assert_eq!(list["edges"][0]["node"]["id"], active["id"]);
        let body = app
            .graphql_as(token, ONE, json!({"id": resting["id"]}))
            .await;
        assert!(body["data"]["expert"].is_null(), "{body}");
        let body = app
            .graphql_as(token, NODE, json!({"id": resting["id"]}))
            .await;
        assert!(body["data"]["node"].is_null(), "{body}");
        let body = app
            .graphql_as(token, NODES, json!({"ids": [active["id"], resting["id"]]}))
            .await;
        assert_eq!(body["data"]["nodes"][1], Value::Null, "{body}");
        assert_eq!(body["data"]["nodes"][0]["id"], active["id"]);
        assert!(!body.to_string().contains("Resting"));
    }
}

#[tokio::test]
async fn erasing_an_expert_leaves_no_personal_data() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let staff_id = {
        let me = app.graphql_as(&staff, "{ me { id } }", json!({})).await;
        ccm_isu::api::ids::decode_as(me["data"]["me"]["id"].as_str().expect("id"), "User")
            .expect("a user's ID")
    };
    let kept = add(&app, &staff, input("Kept Expert")).await;
    // Added with an Idempotency-Key: the stored response names the expert.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&staff)
        .header("idempotency-key", "add-erased-expert")
        .json(
            &json!({"query": ADD, "variables": {"input": with("Erased Expert", json!({
            "email": "erased.expert@ngo.test", "phone": "+856 20 999 888"}))}}),
        )
        .send()
        .await
        .expect("sent");
    let body: Value = resp.json().await.expect("JSON");
    let erased = body["data"]["addExpert"]["expert"].clone();
    let id = uuid_of(&erased["id"]);
    let mut change = json!({"input": {"id": erased["id"], "expert": with("Erased Expert", json!({
        "email": "erased.other@ngo.test", "biography": "Worked in Sekong."}))}});
    let body = app.graphql_as(&staff, UPDATE, change.clone()).await;
    assert_eq!(
        body["data"]["updateExpert"]["userErrors"],
        json!([]),
        "{body}"
    );
    let stored = idempotency_key::Entity::find()
        .filter(idempotency_key::Column::Key.eq("add-erased-expert"))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the stored response");
    assert!(
        stored
            .response
            .unwrap_or_default()
            .contains("Erased Expert")
    );
    // A practice that names both experts (written directly: the practices' own service is
    // tested with them).
    let t = chrono::Utc::now();
    let practice = good_practice::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set("Community liaison in survey".into()),
        area: Set(ThematicArea::Clearance),
        state_code: Set(Some("LAO".into())),
        summary: Set("Invented practice.".into()),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&app.db)
    .await
    .expect("practice");
    for e in [uuid_of(&kept["id"]), id] {
        good_practice_expert::ActiveModel {
            practice_id: Set(practice.id),
            expert_id: Set(e),
        }
        .insert(&app.db)
        .await
        .expect("link");
    }
    let before = entries_of(&app, id).await;
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|e| e.after.is_some()));

    let body = app
        .graphql_as(&staff, ERASE, json!({"input": {"id": erased["id"]}}))
        .await;
    let payload = &body["data"]["eraseExpert"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["erasedId"], erased["id"]);

    // The row and the practice's link are gone; the other expert and the practice stay.
    assert!(
        expert::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("read")
            .is_none()
    );
    let links: Vec<Uuid> = good_practice_expert::Entity::find()
        .all(&app.db)
        .await
        .expect("read")
        .into_iter()
        .map(|l| l.expert_id)
        .collect();
    assert_eq!(links, [uuid_of(&kept["id"])]);
    assert!(
        good_practice::Entity::find_by_id(practice.id)
            .one(&app.db)
            .await
            .expect("read")
            .is_some()
    );
    // The audit entries keep who did what when, and no data; the erasure is the last.
    let after = entries_of(&app, id).await;
    assert_eq!(after.len(), 3);
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(
            (b.id, &b.action, b.actor_id, b.at),
            (a.id, &a.action, a.actor_id, a.at)
        );
        assert_eq!(
            (a.before.as_deref(), a.after.as_deref()),
            (None, None),
            "{a:?}"
        );
    }
    assert_eq!(after[2].action, "eraseExpert");
    assert_eq!(after[2].actor_id, Some(staff_id));
    assert_eq!(
        (after[2].before.as_deref(), after[2].after.as_deref()),
        (None, None)
    );
    // The stored response that named the expert is gone; nothing of theirs is left.
    assert!(
        idempotency_key::Entity::find()
            .filter(idempotency_key::Column::Key.eq("add-erased-expert"))
            .one(&app.db)
            .await
            .expect("read")
            .is_none()
    );
    let text = audit_text(&app).await;
    for trace in ["Erased Expert", "Sekong", "erased.expert", "erased.other"] {
        assert!(!text.contains(trace), "the audit log holds {trace}");
    }
    let responses: Vec<String> = idempotency_key::Entity::find()
        .all(&app.db)
        .await
        .expect("read")
        .into_iter()
        .filter_map(|k| k.response)
        .collect();
    assert!(
        responses.iter().all(|r| !r.contains("Erased Expert")),
        "{responses:?}"
    );
    // Gone for every reader.
    let body = app
        .graphql_as(&staff, ONE, json!({"id": erased["id"]}))
        .await;
    assert!(body["data"]["expert"].is_null());
    let body = app.graphql_as(&staff, LIST, json!({})).await;
    assert_eq!(body["data"]["experts"]["totalCount"], 1);

    // A second erasure, or an update of the erased expert: NOT_FOUND, nothing written.
    let total = app.audit_entries().await;
    let body = app
        .graphql_as(&staff, ERASE, json!({"input": {"id": erased["id"]}}))
        .await;
    let payload = &body["data"]["eraseExpert"];
    assert_eq!(codes(payload), ["NOT_FOUND"], "{body}");
    assert_eq!(payload["userErrors"][0]["field"], json!(["input", "id"]));
    assert!(payload["erasedId"].is_null());
    change["input"]["expert"]["fullName"] = json!("Back Again");
    let body = app.graphql_as(&staff, UPDATE, change).await;
    assert_eq!(
        codes(&body["data"]["updateExpert"]),
        ["NOT_FOUND"],
        "{body}"
    );
    assert_eq!(app.audit_entries().await, total);
    assert_eq!(experts(&app).await, 1);
}

/// Sets facts of the States of the South-South cases directly in the registry.
async fn set_state_facts(app: &TestApp) {
    let day = NaiveDate::from_ymd_opt(2020, 1, 1);
    let set = |code: &'static str, column: state::Column, value: sea_orm::Value| {
        state::Entity::update_many()
            .col_expr(column, Expr::value(value))
            .filter(state::Column::Code.eq(code))
    };
    for code in ["ALB", "NOR", "BEN", "MOZ", "IRQ", "LAO", "CHE"] {
        state::Entity::update_many()
            .col_expr(state::Column::Contaminated, Expr::value(false))
            .col_expr(state::Column::HoldsStockpiles, Expr::value(false))
            .col_expr(state::Column::HasVictims, Expr::value(false))
            .col_expr(
                state::Column::StockpileDestructionCompletedOn,
                Expr::value(Option::<NaiveDate>::None),
            )
            .col_expr(
                state::Column::ClearanceCompletedOn,
                Expr::value(Option::<NaiveDate>::None),
            )
            .filter(state::Column::Code.eq(code))
            .exec(&app.db)
            .await
            .expect("reset");
    }
    for q in [
        set("LAO", state::Column::Contaminated, true.into()),
        set("MOZ", state::Column::HoldsStockpiles, true.into()),
        set("BEN", state::Column::HasVictims, true.into()),
        set(
            "CHE",
            state::Column::StockpileDestructionCompletedOn,
            day.into(),
        ),
        set("ALB", state::Column::ClearanceCompletedOn, day.into()),
    ] {
        q.exec(&app.db).await.expect("set");
    }
}

#[tokio::test]
async fn the_south_south_filter_agrees_with_the_field() {
    let app = app().await;
    set_state_facts(&app).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    // (name, nationality, areas, South-South)
    let cases = [
        ("Contaminated", Some("LAO"), vec!["VICTIM_ASSISTANCE"], true),
        (
            "Holds stockpiles",
            Some("MOZ"),
            vec!["UNIVERSALIZATION"],
            true,
        ),
        (
            "Has victims",
            Some("BEN"),
            vec!["TRANSPARENCY_REPORTING"],
            true,
        ),
        (
            "Destroyed stockpiles",
            Some("CHE"),
            vec!["RISK_REDUCTION_EDUCATION"],
            true,
        ),
        (
            "Cleared, works in clearance",
            Some("ALB"),
            vec!["VICTIM_ASSISTANCE", "CLEARANCE"],
            true,
        ),
        (
            "Cleared, not in clearance",
            Some("ALB"),
            vec!["VICTIM_ASSISTANCE"],
            false,
        ),
        ("Unaffected", Some("NOR"), vec!["CLEARANCE"], false),
        ("Stateless", None, vec!["CLEARANCE"], false),
    ];
    let mut expected = (BTreeSet::new(), BTreeSet::new());
    for (name, code, areas, south) in &cases {
        let e = add(
            &app,
            &staff,
            with(name, json!({"nationalityCode": code, "areas": areas})),
        )
        .await;
        assert_eq!(e["southSouth"], *south, "{name}");
        let id = e["id"].as_str().expect("id").to_owned();
        if *south {
            expected.0.insert(id);
        } else {
            expected.1.insert(id);
        }
    }
    for (filter, want) in [(true, &expected.0), (false, &expected.1)] {
        let body = app
            .graphql_as(
                &staff,
                LIST,
                json!({"first": 100, "filter": {"southSouth": filter}}),
            )
            .await;
        let list = &body["data"]["experts"];
        let got: BTreeSet<String> = list["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                assert_eq!(e["node"]["southSouth"], filter, "{body}");
                e["node"]["id"].as_str().expect("id").to_owned()
            })
            .collect();
        assert_eq!(&got, want, "southSouth: {filter}");
        assert_eq!(list["totalCount"], want.len(), "{body}");
    }
    // The registry changes: the field and the filter follow it together.
    state::Entity::update_many()
        .col_expr(state::Column::HasVictims, Expr::value(true))
        .filter(state::Column::Code.eq("NOR"))
        .exec(&app.db)
        .await
        .expect("set");
    let body = app
        .graphql_as(
            &staff,
            LIST,
            json!({"first": 100, "filter": {"southSouth": false}}),
        )
        .await;
    assert_eq!(body["data"]["experts"]["totalCount"], 2, "{body}");
    let body = app
        .graphql_as(
            &staff,
            LIST,
            json!({"first": 100, "filter": {"southSouth": true}}),
        )
        .await;
    let edges = body["data"]["experts"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 6, "{body}");
    assert!(edges.iter().all(|e| e["node"]["southSouth"] == true));
}

/// The names of a list's experts, in order.
fn names(body: &Value) -> Vec<String> {
    body["data"]["experts"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["fullName"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn experts_are_filtered_and_paged() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    add(
        &app,
        &staff,
        with(
            "Amina Deminer",
            json!({
            "areas": ["CLEARANCE"], "assistanceTypes": ["TECHNICAL_EXPERTISE"],
            "languages": ["FR"], "regions": ["AFRICA"],
            "availableFrom": "2026-07-01", "availableUntil": "2026-09-30",
            "organization": "Invented 100% Demining", "biography": "Survey_lead in Kasaï."}),
        ),
    )
    .await;
    add(
        &app,
        &staff,
        with(
            "Bruno Educator",
            json!({
            "areas": ["RISK_REDUCTION_EDUCATION"], "assistanceTypes": ["TRAINING"],
            "languages": ["ES", "EN"], "regions": ["LATIN_AMERICA_CARIBBEAN", "AFRICA"],
            "availableFrom": null, "availableUntil": "2026-07-15",
            "organization": null, "biography": "Taught risk education."}),
        ),
    )
    .await;
    add(
        &app,
        &staff,
        with(
            "Chen Survivor",
            json!({
            "areas": ["VICTIM_ASSISTANCE", "CLEARANCE"], "assistanceTypes": ["FINANCIAL"],
            "languages": ["ZH"], "regions": [],
            "availableFrom": "2026-08-01", "availableUntil": null,
            "organization": "Invented Survivors' Network", "biography": null}),
        ),
    )
    .await;
    let list = |filter: Value| {
        let app = &app;
        let coordinator = &coordinator;
        async move {
            app.graphql_as(coordinator, LIST, json!({ "filter": filter }))
                .await
        }
    };
    let cases = [
        (
            json!({"area": "CLEARANCE"}),
            vec!["Amina Deminer", "Chen Survivor"],
        ),
        (json!({"area": "UNIVERSALIZATION"}), vec![]),
        (
            json!({"assistanceType": "TRAINING"}),
            vec!["Bruno Educator"],
        ),
        (json!({"language": "EN"}), vec!["Bruno Educator"]),
        (json!({"language": "ZH"}), vec!["Chen Survivor"]),
        (
            json!({"regionalGroup": "AFRICA"}),
            vec!["Amina Deminer", "Bruno Educator"],
        ),
        (
            json!({"availableOn": "2026-07-10"}),
            vec!["Amina Deminer", "Bruno Educator"],
        ),
        (
            json!({"availableOn": "2026-07-15"}),
            vec!["Amina Deminer", "Bruno Educator"],
        ),
        (json!({"availableOn": "2026-07-16"}), vec!["Amina Deminer"]),
        (
            json!({"availableOn": "2026-08-01"}),
            vec!["Amina Deminer", "Chen Survivor"],
        ),
        (json!({"availableOn": "2027-01-01"}), vec!["Chen Survivor"]),
        (json!({"search": "bruno"}), vec!["Bruno Educator"]),
        (
            json!({"search": "INVENTED"}),
            vec!["Amina Deminer", "Chen Survivor"],
        ),
        (json!({"search": "risk EDUCATION"}), vec!["Bruno Educator"]),
        (json!({"search": "kasaï"}), vec!["Amina Deminer"]),
        (json!({"search": "100%"}), vec!["Amina Deminer"]),
        (json!({"search": "%"}), vec!["Amina Deminer"]),
        (json!({"search": "_"}), vec!["Amina Deminer"]),
        (
            json!({"search": "  "}),
            vec!["Amina Deminer", "Bruno Educator", "Chen Survivor"],
        ),
        (
            json!({"area": "CLEARANCE", "language": "FR", "availableOn": "2026-07-01"}),
            vec!["Amina Deminer"],
        ),
    ];
    for (filter, want) in cases {
        let body = list(filter.clone()).await;
        assert_eq!(names(&body), want, "{filter}: {body}");
        assert_eq!(
            body["data"]["experts"]["totalCount"],
            want.len(),
            "{filter}"
        );
    }

    // Pages, in the order experts were added.
    let body = app
        .graphql_as(&coordinator, LIST, json!({"first": 2}))
        .await;
    assert_eq!(names(&body), ["Amina Deminer", "Bruno Educator"]);
    let page = &body["data"]["experts"];
    assert_eq!(page["totalCount"], 3);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let body = app
        .graphql_as(
            &coordinator,
            LIST,
            json!({"first": 2, "after": page["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(names(&body), ["Chen Survivor"]);
    assert_eq!(body["data"]["experts"]["pageInfo"]["hasNextPage"], false);
    let body = app
        .graphql_as(&coordinator, LIST, json!({"first": 101}))
        .await;
    assert!(body["errors"].is_array(), "{body}");
    let body = app
        .graphql_as(&coordinator, LIST, json!({"after": "garbage"}))
        .await;
    assert!(body["errors"].is_array(), "{body}");
}

#[tokio::test]
async fn the_roster_export_is_for_isu_staff_and_never_cached() {
    let app = app().await;
    set_state_facts(&app).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let delegation = app.token_for("DELEGATION", Some("LAO")).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let first = add(
        &app,
        &staff,
        with(
            "=HYPERLINK(\"x\")",
            json!({"organization": "+Invented Org",
                                         "areas": ["CLEARANCE", "VICTIM_ASSISTANCE"]}),
        ),
    )
    .await;
    let resting = add(
        &app,
        &staff,
        with(
            "Resting Expert",
            json!({"nationalityCode": "NOR", "email": null,
                                       "phone": null, "languages": []}),
        ),
    )
    .await;
    let body = app
        .graphql_as(
            &staff,
            UPDATE,
            json!({"input": {"id": resting["id"], "active": false, "expert": with(
                "Resting Expert", json!({"nationalityCode": "NOR", "email": null,
                                         "phone": null, "languages": []}))}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateExpert"]["userErrors"],
        json!([]),
        "{body}"
    );
    let url = format!("{}/exports/experts.csv", app.base);

    let resp = app.client.get(&url).send().await.expect("sent");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key(header::WWW_AUTHENTICATE));
    for token in [&delegation, &coordinator] {
        let resp = app
            .client
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .expect("sent");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let text = resp.text().await.expect("body");
        assert!(!text.contains("ana.example"), "{text}");
    }

    let resp = app
        .client
        .get(&url)
        .bearer_auth(&staff)
        .send()
        .await
        .expect("sent");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert!(
        resp.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    let text = resp.text().await.expect("body");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("header row")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers[0], "expert_id");
    assert!(headers.contains(&"email".to_owned()));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2, "inactive experts too: {text}");
    let cell = |row: &csv::StringRecord, name: &str| {
        let i = headers.iter().position(|h| h == name).expect(name);
        row[i].to_owned()
    };
    assert_eq!(
        cell(&rows[0], "expert_id"),
        first["id"].as_str().expect("id")
    );
    assert_eq!(cell(&rows[0], "full_name"), "'=HYPERLINK(\"x\")");
    assert_eq!(cell(&rows[0], "organization"), "'+Invented Org");
    assert_eq!(cell(&rows[0], "nationality_code"), "LAO");
    assert_eq!(
        cell(&rows[0], "nationality"),
        "Lao People's Democratic Republic"
    );
    assert_eq!(cell(&rows[0], "areas"), "CLEARANCE; VICTIM_ASSISTANCE");
    assert_eq!(cell(&rows[0], "email"), "ana.example@ngo.test");
    assert_eq!(cell(&rows[0], "phone"), "'+856 21 555 0101");
    assert_eq!(cell(&rows[0], "south_south"), "yes");
    assert_eq!(cell(&rows[0], "active"), "yes");
    assert_eq!(cell(&rows[0], "consent_given_on"), "2026-05-02");
    assert_eq!(cell(&rows[1], "full_name"), "Resting Expert");
    assert_eq!(cell(&rows[1], "email"), "");
    assert_eq!(cell(&rows[1], "languages"), "");
    assert_eq!(cell(&rows[1], "south_south"), "no");
    assert_eq!(cell(&rows[1], "active"), "no");
}
