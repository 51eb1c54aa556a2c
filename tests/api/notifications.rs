//! Contact points, the reminder policy and the outbox's notifications over the API: who
//! writes and reads them, each bad input refused with nothing written, emails never shown to
//! another State's delegation or a coordinator, in-app notices read and marked by their
//! recipient only, a FAILED email put back. Notifications are written straight into the
//! outbox here (`enqueue`, as the planner and the events do); the planner is off.

use chrono::{Duration, Utc};
use entity::enums::{
    Language, NotificationChannel, NotificationReason, NotificationStatus, ObligationKind,
};
use entity::{app_setting, audit_entry, contact_point, notification};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use ccm_isu::domain::notifications::outbox::{self, NewNotification};
use ccm_isu::domain::notifications::policy;

use crate::helpers::*;

const ADD: &str = "mutation($input: AddContactPointInput!) { addContactPoint(input: $input) {
  contactPoint { id name function email language active state { code } }
  userErrors { field message code } } }";
const UPDATE: &str =
    "mutation($input: UpdateContactPointInput!) { updateContactPoint(input: $input) {
  contactPoint { id name function email language active }
  userErrors { field message code } } }";
const SET_POLICY: &str =
    "mutation($input: SetReminderPolicyInput!) { setReminderPolicy(input: $input) {
  policy { leadDays overdueEveryDays kinds escalateToIsu } userErrors { field message code } } }";
const POLICY: &str = "{ reminderPolicy { leadDays overdueEveryDays kinds escalateToIsu } }";
const MARK: &str =
    "mutation($input: MarkNotificationsReadInput!) { markNotificationsRead(input: $input) {
  marked userErrors { field message code } } }";
const RETRY: &str = "mutation($input: RetryNotificationInput!) { retryNotification(input: $input) {
  notification { id status attempts lastError } userErrors { field message code } } }";
const STATE: &str = "query($code: String!) { stateParty(code: $code) {
  contactPoints { id name email active }
  notifications(first: 100) { totalCount edges { node { id channel recipient } } } } }";
const LIST: &str = "query($first: Int, $after: String, $filter: NotificationFilter) {
  notifications(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id reason channel status recipient createdAt state { code } } } } }";
const MINE: &str = "query($unreadOnly: Boolean) {
  myNotifications(first: 50, unreadOnly: $unreadOnly) {
    totalCount edges { node { id readAt recipient recipientUser { id } } } }
  unreadNotificationCount }";
const NODE: &str = "query($id: ID!) { node(id: $id) { id
  ... on ContactPoint { name email }
  ... on Notification { recipient status } } }";

/// The UUID inside a global ID.
pub(crate) fn uuid_of(id: &Value) -> Uuid {
    let (_, key) =
        ccm_isu::kernel::ids::decode_parts(id.as_str().expect("an ID")).expect("a global ID");
    Uuid::parse_str(&key).expect("a row's ID")
}

/// The global ID of a notification.
fn notification_id(id: Uuid) -> String {
    ccm_isu::api::ids::encode("Notification", id).to_string()
}

/// An email about `state` to its contact point `contact` at `recipient`.
pub(crate) fn email_row(
    key: &str,
    reason: NotificationReason,
    state: &str,
    contact: Uuid,
    recipient: &str,
) -> NewNotification {
    NewNotification {
        dedupe_key: key.to_owned(),
        reason,
        channel: NotificationChannel::Email,
        state_code: Some(state.to_owned()),
        contact_point_id: Some(contact),
        recipient_user_id: None,
        recipient: recipient.to_owned(),
        subject: format!("Subject of {key}"),
        body: format!("Body of {key}"),
        body_html: Some(format!("<p>Body of {key}</p>")),
        language: Language::En,
        obligation_kind: Some(ObligationKind::AnnualTransparencyReport),
        reporting_year: Some(2025),
        due_date: chrono::NaiveDate::from_ymd_opt(2026, 4, 30),
        round: Some("L30".into()),
        subject_id: None,
    }
}

/// An in-app notice for `user` (whose email is `recipient`), about `state` if given.
pub(crate) fn in_app_row(
    key: &str,
    state: Option<&str>,
    user: Uuid,
    recipient: &str,
) -> NewNotification {
    NewNotification {
        dedupe_key: key.to_owned(),
        reason: NotificationReason::ReportSubmitted,
        channel: NotificationChannel::InApp,
        state_code: state.map(str::to_owned),
        contact_point_id: None,
        recipient_user_id: Some(user),
        recipient: recipient.to_owned(),
        subject: format!("Notice {key}"),
        body: format!("Body of notice {key}"),
        body_html: None,
        language: Language::En,
        obligation_kind: None,
        reporting_year: None,
        due_date: None,
        round: None,
        subject_id: None,
    }
}

/// Writes `rows` into the outbox, as the planner and the events do.
pub(crate) async fn enqueue(app: &TestApp, rows: Vec<NewNotification>) {
    let n = rows.len() as u64;
    assert_eq!(outbox::enqueue(&app.db, rows).await.expect("enqueue"), n);
}

/// Puts the row of `key` in `status` with `attempts`, as the sender would.
pub(crate) async fn set_status(
    app: &TestApp,
    key: &str,
    status: NotificationStatus,
    attempts: i32,
) {
    let failed = status == NotificationStatus::Failed;
    notification::Entity::update_many()
        .col_expr(notification::Column::Status, Expr::value(status))
        .col_expr(notification::Column::Attempts, Expr::value(attempts))
        .col_expr(
            notification::Column::LastError,
            Expr::value(failed.then(|| "550 mailbox unavailable".to_owned())),
        )
        .filter(notification::Column::DedupeKey.eq(key))
        .exec(&app.db)
        .await
        .expect("status set");
}

async fn row(app: &TestApp, key: &str) -> notification::Model {
    notification::Entity::find()
        .filter(notification::Column::DedupeKey.eq(key))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the row")
}

/// A server without the planner and the sender: the outbox holds what the test writes.
async fn app() -> TestApp {
    spawn_app_with(|s| s.mail.reminders = false).await
}

/// A signed-in user of `role` (of `state`): token, ID and email.
async fn user(app: &TestApp, role: &str, state: Option<&str>) -> (String, Uuid, String) {
    let token = app.token_for(role, state).await;
    let me = app
        .graphql_as(&token, "{ me { id email } }", json!({}))
        .await;
    let id = uuid_of(&me["data"]["me"]["id"]);
    let email = me["data"]["me"]["email"]
        .as_str()
        .expect("email")
        .to_owned();
    (token, id, email)
}

async fn contacts(app: &TestApp) -> u64 {
    contact_point::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

fn contact(code: &str, name: &str, email: &str) -> Value {
    json!({"input": {"stateCode": code, "name": name, "function": "PERMANENT_MISSION",
                     "email": email, "language": "FR"}})
}

/// Adds a contact point that must be accepted; returns it.
async fn add(app: &TestApp, token: &str, code: &str, email: &str) -> Value {
    let body = app
        .graphql_as(token, ADD, contact(code, "Mission in Geneva", email))
        .await;
    let payload = &body["data"]["addContactPoint"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    payload["contactPoint"].clone()
}

/// The latest audit entry of `action`.
async fn last_entry(app: &TestApp, action: &str) -> Option<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .order_by_desc(audit_entry::Column::Id)
        .one(&app.db)
        .await
        .expect("read")
}

#[tokio::test]
async fn contact_points_are_written_by_isu_staff_and_the_states_own_delegation() {
    let app = app().await;
    let (lao, _, _) = user(&app, "DELEGATION", Some("LAO")).await;
    let (irq, _, _) = user(&app, "DELEGATION", Some("IRQ")).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;

    // The State's own delegation: the domain is stored in lower case, the name trimmed.
    let body = app
        .graphql_as(
            &lao,
            ADD,
            contact("lao", "  Focal point  ", " Focal.Point@MOFA.Gov.LA "),
        )
        .await;
    let created = &body["data"]["addContactPoint"]["contactPoint"];
    assert_eq!(created["email"], "Focal.Point@mofa.gov.la", "{body}");
    assert_eq!(created["name"], "Focal point");
    assert_eq!(created["state"]["code"], "LAO");
    assert_eq!(created["function"], "PERMANENT_MISSION");
    assert_eq!(created["language"], "FR");
    assert_eq!(created["active"], true);
    let entry = last_entry(&app, "addContactPoint").await.expect("audited");
    assert_eq!(entry.entity_type, "ContactPoint");
    assert_eq!(entry.entity_id, uuid_of(&created["id"]).to_string());
    assert!(
        entry
            .after
            .as_deref()
            .unwrap_or_default()
            .contains("mofa.gov.la"),
        "{entry:?}"
    );
    // ISU staff, for any State.
    add(&app, &staff, "LAO", "mission@laoembassy.ch").await;
    let irq_contact = add(&app, &staff, "IRQ", "mission@iraq-geneva.org").await;
    assert_eq!(contacts(&app).await, 3);

    // Another State's delegation, a coordinator, an anonymous caller: refused, nothing
    // written.
    let entries = app.audit_entries().await;
    for (token, code) in [
        (Some(irq.as_str()), "FORBIDDEN"),
        (Some(coordinator.as_str()), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ] {
        let body = app
            .graphql_with(token, ADD, contact("LAO", "Intruder", "x@example.org"))
            .await;
        let payload = &body["data"]["addContactPoint"];
        assert_eq!(codes(payload), [code], "{body}");
        assert!(payload["contactPoint"].is_null());
    }
    assert_eq!(contacts(&app).await, 3);
    assert_eq!(app.audit_entries().await, entries);

    // Updates: the delegation of the State, only the fields given.
    let id = created["id"].clone();
    let body = app
        .graphql_as(
            &lao,
            UPDATE,
            json!({"input": {"id": id, "active": false, "email": "focal@mofa.gov.la"}}),
        )
        .await;
    let updated = &body["data"]["updateContactPoint"]["contactPoint"];
    assert_eq!(updated["active"], false, "{body}");
    assert_eq!(updated["email"], "focal@mofa.gov.la");
    assert_eq!(updated["name"], "Focal point");
    assert_eq!(updated["language"], "FR");
    let entry = last_entry(&app, "updateContactPoint")
        .await
        .expect("audited");
    assert!(
        entry
            .before
            .as_deref()
            .unwrap_or_default()
            .contains("Focal.Point@mofa.gov.la"),
        "{entry:?}"
    );
    // An edit that changes nothing writes nothing.
    let entries = app.audit_entries().await;
    let body = app
        .graphql_as(
            &staff,
            UPDATE,
            json!({"input": {"id": id, "active": false, "name": "Focal point"}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateContactPoint"]["userErrors"],
        json!([]),
        "{body}"
    );
    assert_eq!(app.audit_entries().await, entries);
    // Another State's delegation and a coordinator do not find it; nothing changes.
    let before = contact_point::Entity::find_by_id(uuid_of(&id))
        .one(&app.db)
        .await
        .unwrap();
    for token in [&irq, &coordinator] {
        let body = app
            .graphql_as(
                token,
                UPDATE,
                json!({"input": {"id": id, "name": "Hijacked"}}),
            )
            .await;
        assert_eq!(
            codes(&body["data"]["updateContactPoint"]),
            ["NOT_FOUND"],
            "{body}"
        );
    }
    // Nor does the delegation of LAO find IRQ's.
    let body = app
        .graphql_as(
            &lao,
            UPDATE,
            json!({"input": {"id": irq_contact["id"], "active": false}}),
        )
        .await;
    assert_eq!(
        codes(&body["data"]["updateContactPoint"]),
        ["NOT_FOUND"],
        "{body}"
    );
    let after = contact_point::Entity::find_by_id(uuid_of(&id))
        .one(&app.db)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(app.audit_entries().await, entries);

    // A State names an address once, whatever its case; another State may name it too.
    let body = app
        .graphql_as(&lao, ADD, contact("LAO", "Twice", "MISSION@LAOEMBASSY.CH"))
        .await;
    assert_eq!(
        codes(&body["data"]["addContactPoint"]),
        ["ALREADY_EXISTS"],
        "{body}"
    );
    let body = app
        .graphql_as(
            &lao,
            UPDATE,
            json!({"input": {"id": id, "email": "mission@laoembassy.ch"}}),
        )
        .await;
    assert_eq!(
        codes(&body["data"]["updateContactPoint"]),
        ["ALREADY_EXISTS"],
        "{body}"
    );
    add(&app, &irq, "IRQ", "mission@laoembassy.ch").await;
    assert_eq!(contacts(&app).await, 4);
    // An ID of another kind, or no ID at all, is NOT_FOUND.
    let body = app
        .graphql_as(
            &staff,
            UPDATE,
            json!({"input": {"id": created["state"]["code"], "active": true}}),
        )
        .await;
    assert_eq!(codes(&body["data"]["updateContactPoint"]), ["NOT_FOUND"]);
}

#[tokio::test]
async fn a_contact_points_email_reaches_isu_staff_and_its_own_delegation_only() {
    let app = app().await;
    let (lao, _, _) = user(&app, "DELEGATION", Some("LAO")).await;
    let (irq, _, _) = user(&app, "DELEGATION", Some("IRQ")).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let admin = app.admin_token().await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let secret = "hidden.focal@mofa.gov.la";
    let c = add(&app, &lao, "LAO", secret).await;
    let contact_id = uuid_of(&c["id"]);
    enqueue(
        &app,
        vec![email_row(
            "email-to-lao",
            NotificationReason::DeadlineApproaching,
            "LAO",
            contact_id,
            secret,
        )],
    )
    .await;
    let notice = notification_id(row(&app, "email-to-lao").await.id);

    // Those who may: in the State's list, by node, in the notifications.
    for token in [&lao, &staff, &admin] {
        let body = app.graphql_as(token, STATE, json!({"code": "LAO"})).await;
        let state = &body["data"]["stateParty"];
        assert_eq!(state["contactPoints"][0]["email"], secret, "{body}");
        assert_eq!(state["notifications"]["totalCount"], 1, "{body}");
        let body = app.graphql_as(token, NODE, json!({"id": c["id"]})).await;
        assert_eq!(body["data"]["node"]["email"], secret, "{body}");
        let body = app.graphql_as(token, NODE, json!({"id": notice})).await;
        assert_eq!(body["data"]["node"]["recipient"], secret, "{body}");
    }
    // Those who may not: nothing of it anywhere, the refusals included.
    for token in [Some(irq.as_str()), Some(coordinator.as_str()), None] {
        let mut bodies = vec![
            app.graphql_with(token, STATE, json!({"code": "LAO"})).await,
            app.graphql_with(token, NODE, json!({"id": c["id"]})).await,
            app.graphql_with(token, NODE, json!({"id": notice})).await,
            app.graphql_with(
                token,
                "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({"ids": [c["id"], notice]}),
            )
            .await,
            app.graphql_with(token, LIST, json!({"first": 100})).await,
            app.graphql_with(
                token,
                UPDATE,
                json!({"input": {"id": c["id"], "email": secret}}),
            )
            .await,
            app.graphql_with(token, ADD, contact("LAO", "Copy", secret))
                .await,
            app.graphql_with(token, MARK, json!({"input": {"ids": [notice]}}))
                .await,
        ];
        let state = &bodies[0]["data"]["stateParty"];
        assert_eq!(state["contactPoints"], json!([]), "{}", bodies[0]);
        assert_eq!(state["notifications"]["totalCount"], 0, "{}", bodies[0]);
        assert!(bodies[1]["data"]["node"].is_null(), "{}", bodies[1]);
        assert!(bodies[2]["data"]["node"].is_null(), "{}", bodies[2]);
        assert_eq!(bodies[3]["data"]["nodes"], json!([null, null]));
        if token.is_some() {
            assert_eq!(bodies[4]["data"]["notifications"]["totalCount"], 0);
        } else {
            assert_eq!(error_code(&bodies[4]), Some("UNAUTHENTICATED"));
        }
        for body in bodies.drain(..) {
            let text = body.to_string().to_lowercase();
            assert!(!text.contains("hidden.focal"), "the email leaks: {body}");
        }
    }
    // The contact point is unchanged and was not copied.
    assert_eq!(contacts(&app).await, 1);
}

#[tokio::test]
async fn bad_contact_points_are_refused_with_nothing_written() {
    let app = app().await;
    let (lao, _, _) = user(&app, "DELEGATION", Some("LAO")).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let existing = add(&app, &lao, "LAO", "focal@mofa.gov.la").await;
    let entries = app.audit_entries().await;
    let long_name = "n".repeat(201);
    let long_email = format!("{}@example.org", "a".repeat(250));
    let cases: Vec<(&str, &str, &str, &str, &str, &str)> = vec![
        // (who, code, name, email, expected code, field)
        (
            "staff",
            "LAO",
            "Name",
            "no-at-sign.example.org",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "two@@example.org",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "a@localhost",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "a b@example.org",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "a,b@example.org",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "<a@example.org>",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "\"a\"@example.org",
            "INVALID_INPUT",
            "email",
        ),
        ("staff", "LAO", "Name", "", "INVALID_INPUT", "email"),
        (
            "staff",
            "LAO",
            "Name",
            &long_email,
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "a@example.org\r\nBcc: victim@example.org",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name",
            "a@example.org\n",
            "INVALID_INPUT",
            "email",
        ),
        (
            "staff",
            "LAO",
            "Name\r\nBcc: victim@example.org",
            "a@example.org",
            "INVALID_INPUT",
            "name",
        ),
        (
            "staff",
            "LAO",
            "Name\n",
            "a@example.org",
            "INVALID_INPUT",
            "name",
        ),
        (
            "staff",
            "LAO",
            "   ",
            "a@example.org",
            "INVALID_INPUT",
            "name",
        ),
        (
            "staff",
            "LAO",
            &long_name,
            "a@example.org",
            "INVALID_INPUT",
            "name",
        ),
        (
            "staff",
            "XXX",
            "Name",
            "a@example.org",
            "NOT_FOUND",
            "stateCode",
        ),
        (
            "staff",
            "",
            "Name",
            "a@example.org",
            "NOT_FOUND",
            "stateCode",
        ),
        // A delegation naming another (unknown) State acts for none.
        ("lao", "XXX", "Name", "a@example.org", "FORBIDDEN", ""),
    ];
    for (who, code, name, email, want, field) in cases {
        let token = if who == "staff" { &staff } else { &lao };
        let body = app.graphql_as(token, ADD, contact(code, name, email)).await;
        let payload = &body["data"]["addContactPoint"];
        assert_eq!(codes(payload), [want], "{name:?} {email:?} {code}: {body}");
        assert!(payload["contactPoint"].is_null());
        if !field.is_empty() {
            assert_eq!(
                payload["userErrors"][0]["field"],
                json!(["input", field]),
                "{body}"
            );
        }
    }
    // Every problem at once.
    let body = app.graphql_as(&staff, ADD, contact("XXX", "", "bad")).await;
    assert_eq!(
        codes(&body["data"]["addContactPoint"]),
        ["NOT_FOUND", "INVALID_INPUT", "INVALID_INPUT"],
        "{body}"
    );
    // Updates: the same checks, the row unchanged.
    let before = contact_point::Entity::find_by_id(uuid_of(&existing["id"]))
        .one(&app.db)
        .await
        .unwrap();
    for patch in [
        json!({"email": "a@example.org\r\nBcc: victim@example.org"}),
        json!({"email": "not an address"}),
        json!({"name": "Name\r\nX-Header: injected"}),
        json!({"name": ""}),
        json!({"name": "Fine", "email": "bad@"}),
    ] {
        let mut input = patch.clone();
        input["id"] = existing["id"].clone();
        let body = app
            .graphql_as(&lao, UPDATE, json!({ "input": input }))
            .await;
        assert_eq!(
            codes(&body["data"]["updateContactPoint"]),
            ["INVALID_INPUT"],
            "{patch}: {body}"
        );
    }
    let after = contact_point::Entity::find_by_id(uuid_of(&existing["id"]))
        .one(&app.db)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(contacts(&app).await, 1);
    assert_eq!(app.audit_entries().await, entries);
}

#[tokio::test]
async fn the_reminder_policy_is_set_by_an_administrator_and_read_when_signed_in() {
    let app = app().await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let (lao, _, _) = user(&app, "DELEGATION", Some("LAO")).await;
    let all = json!([
        "INITIAL_TRANSPARENCY_REPORT",
        "ANNUAL_TRANSPARENCY_REPORT",
        "STOCKPILE_DESTRUCTION",
        "CLEARANCE"
    ]);
    // The default until one is set.
    let body = app.graphql_as(&lao, POLICY, json!({})).await;
    assert_eq!(
        body["data"]["reminderPolicy"],
        json!({"leadDays": [90, 30, 7], "overdueEveryDays": 30, "kinds": all,
               "escalateToIsu": false}),
        "{body}"
    );
    let body = app.graphql(POLICY, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");

    let policy = |lead: Value, overdue: i64, kinds: Value| {
        json!({"input": {"leadDays": lead, "overdueEveryDays": overdue, "kinds": kinds,
                         "escalateToIsu": true}})
    };
    let stored = || async {
        app_setting::Entity::find_by_id(policy::KEY)
            .one(&app.db)
            .await
            .unwrap()
    };
    let entries = app.audit_entries().await;
    // Not an administrator: refused.
    for token in [&staff, &lao] {
        let body = app
            .graphql_as(token, SET_POLICY, policy(json!([14]), 7, all.clone()))
            .await;
        assert_eq!(codes(&body["data"]["setReminderPolicy"]), ["FORBIDDEN"]);
    }
    // Bad policies: refused on their fields.
    let eleven: Vec<i32> = (1..=11).collect();
    for (input, field) in [
        (policy(json!([30, -1]), 30, all.clone()), "leadDays"),
        (policy(json!([30, 30]), 30, all.clone()), "leadDays"),
        (policy(json!([366]), 30, all.clone()), "leadDays"),
        (policy(json!(eleven), 30, all.clone()), "leadDays"),
        (policy(json!([30]), -1, all.clone()), "overdueEveryDays"),
        (policy(json!([30]), 366, all.clone()), "overdueEveryDays"),
        (policy(json!([30]), 30, json!([])), "kinds"),
        (
            policy(json!([30]), 30, json!(["CLEARANCE", "CLEARANCE"])),
            "kinds",
        ),
    ] {
        let body = app.graphql_as(&admin, SET_POLICY, input.clone()).await;
        let payload = &body["data"]["setReminderPolicy"];
        assert_eq!(codes(payload), ["INVALID_INPUT"], "{input}: {body}");
        assert_eq!(payload["userErrors"][0]["field"], json!(["input", field]));
        assert!(payload["policy"].is_null());
    }
    assert!(stored().await.is_none(), "nothing was stored");
    assert_eq!(app.audit_entries().await, entries);

    // An administrator: lead days largest first, kinds in the contract's order.
    let body = app
        .graphql_as(
            &admin,
            SET_POLICY,
            policy(
                json!([0, 45, 365]),
                0,
                json!(["CLEARANCE", "ANNUAL_TRANSPARENCY_REPORT"]),
            ),
        )
        .await;
    let want = json!({"leadDays": [365, 45, 0], "overdueEveryDays": 0,
                      "kinds": ["ANNUAL_TRANSPARENCY_REPORT", "CLEARANCE"],
                      "escalateToIsu": true});
    assert_eq!(body["data"]["setReminderPolicy"]["policy"], want, "{body}");
    let body = app.graphql_as(&staff, POLICY, json!({})).await;
    assert_eq!(body["data"]["reminderPolicy"], want);
    let entry = last_entry(&app, "setReminderPolicy")
        .await
        .expect("audited");
    assert_eq!(entry.entity_type, "ReminderPolicy");
    assert!(
        entry.before.as_deref().unwrap_or_default().contains("90"),
        "the default before: {entry:?}"
    );
    assert!(
        entry.after.as_deref().unwrap_or_default().contains("365"),
        "{entry:?}"
    );
    // What the planner reads.
    let current = policy::current(&app.db).await.expect("policy");
    assert_eq!(current.lead_days, [365, 45, 0]);
    assert_eq!(current.overdue_every_days, 0);
    assert!(current.escalate_to_isu);
    // The same policy again writes nothing.
    let entries = app.audit_entries().await;
    let body = app
        .graphql_as(
            &admin,
            SET_POLICY,
            policy(
                json!([45, 365, 0]),
                0,
                json!(["ANNUAL_TRANSPARENCY_REPORT", "CLEARANCE"]),
            ),
        )
        .await;
    assert_eq!(body["data"]["setReminderPolicy"]["policy"], want, "{body}");
    assert_eq!(app.audit_entries().await, entries);
}

#[tokio::test]
async fn in_app_notices_are_read_and_marked_by_their_recipient_only() {
    let app = app().await;
    let (a, a_id, a_email) = user(&app, "DELEGATION", Some("LAO")).await;
    let (b, b_id, b_email) = user(&app, "DELEGATION", Some("LAO")).await;
    let (staff, _, _) = user(&app, "ISU_STAFF", None).await;
    let c = add(&app, &staff, "LAO", "focal@mofa.gov.la").await;
    enqueue(
        &app,
        vec![
            in_app_row("a1", Some("LAO"), a_id, &a_email),
            in_app_row("a2", None, a_id, &a_email),
            in_app_row("a3", Some("LAO"), a_id, &a_email),
            in_app_row("b1", Some("LAO"), b_id, &b_email),
            email_row(
                "e1",
                NotificationReason::DeadlineMissed,
                "LAO",
                uuid_of(&c["id"]),
                "focal@mofa.gov.la",
            ),
        ],
    )
    .await;
    let id = |key: &'static str| {
        let app = &app;
        async move { notification_id(row(app, key).await.id) }
    };
    let (a1, a2, a3, b1, e1) = (
        id("a1").await,
        id("a2").await,
        id("a3").await,
        id("b1").await,
        id("e1").await,
    );

    let body = app.graphql_as(&a, MINE, json!({})).await;
    let mine = &body["data"]["myNotifications"];
    assert_eq!(mine["totalCount"], 3, "{body}");
    assert_eq!(body["data"]["unreadNotificationCount"], 3);
    // Newest first.
    let order: Vec<&str> = mine["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, [a3.as_str(), a2.as_str(), a1.as_str()]);
    assert_eq!(mine["edges"][0]["node"]["recipient"], a_email.as_str());
    assert_eq!(
        uuid_of(&mine["edges"][0]["node"]["recipientUser"]["id"]),
        a_id
    );
    // Another delegate of the same State reads neither A's notices nor their count.
    let body = app.graphql_as(&b, MINE, json!({})).await;
    assert_eq!(body["data"]["myNotifications"]["totalCount"], 1, "{body}");
    assert_eq!(body["data"]["unreadNotificationCount"], 1);
    let body = app.graphql_as(&b, NODE, json!({"id": a1})).await;
    assert!(body["data"]["node"].is_null(), "{body}");
    let body = app.graphql_as(&b, LIST, json!({"first": 100})).await;
    let seen: Vec<&str> = body["data"]["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        seen,
        [e1.as_str(), b1.as_str()],
        "its own and its State's emails: {body}"
    );
    // ISU staff read them all.
    let body = app.graphql_as(&staff, NODE, json!({"id": a1})).await;
    assert_eq!(body["data"]["node"]["id"], a1.as_str(), "{body}");

    // Marking: one ID that is not A's own in-app notice refuses the whole input.
    let entries = app.audit_entries().await;
    for (ids, bad) in [
        (json!([a1, b1]), 1),
        (json!([e1, a1]), 0),
        (json!([a1, "not an id"]), 1),
        (json!([a1, c["id"]]), 1),
        (json!([a1, notification_id(Uuid::now_v7())]), 1),
    ] {
        let body = app
            .graphql_as(&a, MARK, json!({"input": {"ids": ids}}))
            .await;
        let payload = &body["data"]["markNotificationsRead"];
        assert_eq!(codes(payload), ["NOT_FOUND"], "{ids}: {body}");
        assert_eq!(payload["marked"], 0);
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "ids", bad.to_string()]),
            "{body}"
        );
    }
    let body = app
        .graphql_as(&b, MARK, json!({"input": {"ids": [a2]}}))
        .await;
    assert_eq!(codes(&body["data"]["markNotificationsRead"]), ["NOT_FOUND"]);
    let body = app
        .graphql_as(&staff, MARK, json!({"input": {"ids": [a2]}}))
        .await;
    assert_eq!(
        codes(&body["data"]["markNotificationsRead"]),
        ["NOT_FOUND"],
        "ISU staff read others' notices but mark only their own: {body}"
    );
    let too_many: Vec<String> = (0..101).map(|_| a1.clone()).collect();
    let body = app
        .graphql_as(&a, MARK, json!({"input": {"ids": too_many}}))
        .await;
    assert!(body["errors"].is_array(), "more than 100 IDs: {body}");
    for key in ["a1", "a2", "a3", "b1"] {
        assert!(row(&app, key).await.read_at.is_none(), "{key} is unread");
    }
    assert_eq!(app.audit_entries().await, entries);
    let body = app
        .graphql_with(None, MARK, json!({"input": {"ids": [a1]}}))
        .await;
    assert_eq!(
        codes(&body["data"]["markNotificationsRead"]),
        ["UNAUTHENTICATED"]
    );

    // A's own: marked, audited; marking them again marks nothing and writes nothing.
    let body = app
        .graphql_as(&a, MARK, json!({"input": {"ids": [a1, a3, a1]}}))
        .await;
    let payload = &body["data"]["markNotificationsRead"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["marked"], 2);
    assert_eq!(app.audit_entries().await, entries + 2);
    let entry = last_entry(&app, "markNotificationsRead")
        .await
        .expect("audited");
    assert_eq!(entry.entity_type, "Notification");
    let body = app.graphql_as(&a, MINE, json!({"unreadOnly": true})).await;
    assert_eq!(body["data"]["unreadNotificationCount"], 1, "{body}");
    assert_eq!(body["data"]["myNotifications"]["totalCount"], 1);
    assert_eq!(
        body["data"]["myNotifications"]["edges"][0]["node"]["id"],
        a2.as_str()
    );
    let body = app.graphql_as(&a, MINE, json!({})).await;
    assert!(!body["data"]["myNotifications"]["edges"][2]["node"]["readAt"].is_null());
    let body = app
        .graphql_as(&a, MARK, json!({"input": {"ids": [a1, a3]}}))
        .await;
    assert_eq!(body["data"]["markNotificationsRead"]["marked"], 0, "{body}");
    let body = app
        .graphql_as(&a, MARK, json!({"input": {"ids": []}}))
        .await;
    assert_eq!(body["data"]["markNotificationsRead"]["marked"], 0, "{body}");
    assert_eq!(app.audit_entries().await, entries + 2);
    assert!(row(&app, "b1").await.read_at.is_none());
    assert!(row(&app, "a2").await.read_at.is_none());

    // Anonymous callers have no notices.
    for q in [MINE, "{ unreadNotificationCount }"] {
        let body = app.graphql(q, json!({})).await;
        assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    }
}

#[tokio::test]
async fn notifications_filter_and_page_under_the_one_rule() {
    let app = app().await;
    let (lao, lao_id, lao_email) = user(&app, "DELEGATION", Some("LAO")).await;
    let (irq, irq_id, irq_email) = user(&app, "DELEGATION", Some("IRQ")).await;
    let (staff, staff_id, staff_email) = user(&app, "ISU_STAFF", None).await;
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    let lao_contact = uuid_of(&add(&app, &staff, "LAO", "focal@mofa.gov.la").await["id"]);
    let irq_contact = uuid_of(&add(&app, &staff, "IRQ", "focal@mofa.gov.iq").await["id"]);
    let mut rows = Vec::new();
    for i in 0..25 {
        let reason = if i % 2 == 0 {
            NotificationReason::DeadlineApproaching
        } else {
            NotificationReason::DeadlineMissed
        };
        rows.push(email_row(
            &format!("lao-{i:02}"),
            reason,
            "LAO",
            lao_contact,
            "focal@mofa.gov.la",
        ));
    }
    for i in 0..3 {
        rows.push(email_row(
            &format!("irq-{i}"),
            NotificationReason::MatchProposed,
            "IRQ",
            irq_contact,
            "focal@mofa.gov.iq",
        ));
    }
    rows.push(in_app_row("lao-user", Some("LAO"), lao_id, &lao_email));
    rows.push(in_app_row("irq-user", Some("IRQ"), irq_id, &irq_email));
    rows.push(in_app_row(
        "staff-user",
        Some("LAO"),
        staff_id,
        &staff_email,
    ));
    enqueue(&app, rows).await;
    for i in [1, 3] {
        set_status(&app, &format!("lao-{i:02}"), NotificationStatus::Failed, 8).await;
    }
    set_status(&app, "lao-05", NotificationStatus::Sent, 1).await;
    // Three of LAO's emails were written two days ago.
    let old = Utc::now() - Duration::days(2);
    notification::Entity::update_many()
        .col_expr(notification::Column::CreatedAt, Expr::value(old))
        .filter(notification::Column::DedupeKey.is_in(["lao-00", "lao-01", "lao-02"]))
        .exec(&app.db)
        .await
        .unwrap();

    let total = |body: &Value| body["data"]["notifications"]["totalCount"].as_i64();
    let list = |token: &str, vars: Value| {
        let app = &app;
        let token = token.to_owned();
        async move { app.graphql_as(&token, LIST, vars).await }
    };
    // ISU staff: everything, filtered.
    assert_eq!(total(&list(&staff, json!({})).await), Some(31));
    for (filter, want) in [
        (json!({"status": ["FAILED"]}), 2),
        (json!({"status": ["FAILED", "SENT"]}), 6),
        (json!({"reason": ["DEADLINE_MISSED"]}), 12),
        (json!({"reason": ["MATCH_PROPOSED", "REPORT_SUBMITTED"]}), 6),
        (json!({"channel": "IN_APP"}), 3),
        (json!({"channel": "EMAIL", "stateCode": "lao"}), 25),
        (json!({"stateCode": "IRQ"}), 4),
        (json!({"stateCode": "XXX"}), 0),
        (
            json!({"since": (Utc::now() - Duration::days(1)).to_rfc3339()}),
            28,
        ),
        (
            json!({"status": ["PENDING"], "reason": ["DEADLINE_APPROACHING"], "stateCode": "LAO"}),
            13,
        ),
    ] {
        let body = list(&staff, json!({"first": 5, "filter": filter})).await;
        assert_eq!(total(&body), Some(want), "{filter}: {body}");
    }
    // Pages: newest first, no row twice, the count on every page.
    let mut seen: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let body = list(
            &staff,
            json!({"first": 10, "after": after, "filter": {"stateCode": "LAO"}}),
        )
        .await;
        let conn = &body["data"]["notifications"];
        assert_eq!(conn["totalCount"], 27, "{body}");
        for e in conn["edges"].as_array().unwrap() {
            seen.push(e["node"]["id"].as_str().unwrap().to_owned());
        }
        pages += 1;
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 27);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|id| std::cmp::Reverse(uuid_of(&json!(id))));
    assert_eq!(seen, sorted, "newest first");
    sorted.dedup();
    assert_eq!(sorted.len(), 27, "no row twice");
    let body = list(&staff, json!({"first": 101})).await;
    assert_eq!(error_code(&body), Some("INVALID_ARGUMENT"), "{body}");
    let body = list(&staff, json!({"after": "garbage"})).await;
    assert!(body["errors"].is_array(), "{body}");

    // A delegation: its State's emails and its own notices, nothing of another State.
    let body = list(&lao, json!({"first": 100})).await;
    assert_eq!(total(&body), Some(26), "{body}");
    let text = body.to_string();
    assert!(
        !text.contains("mofa.gov.iq") && !text.contains(&staff_email),
        "{body}"
    );
    let body = list(&lao, json!({"filter": {"stateCode": "IRQ"}})).await;
    assert_eq!(total(&body), Some(0), "{body}");
    let body = list(&irq, json!({"first": 100})).await;
    assert_eq!(total(&body), Some(4), "{body}");
    assert!(!body.to_string().contains("mofa.gov.la"), "{body}");
    // Nested under States, the same rule.
    for (token, code, want) in [
        (&staff, "LAO", 27),
        (&staff, "IRQ", 4),
        (&lao, "LAO", 26),
        (&lao, "IRQ", 0),
        (&irq, "LAO", 0),
        (&irq, "IRQ", 4),
        (&coordinator, "LAO", 0),
    ] {
        let body = app.graphql_as(token, STATE, json!({"code": code})).await;
        assert_eq!(
            body["data"]["stateParty"]["notifications"]["totalCount"], want,
            "{code}: {body}"
        );
    }
    // Two States' pages in one request, as a list of States asks them.
    let body = app
        .graphql_as(
            &staff,
            "{ stateParties(first: 100, filter: {search: \"LAO\"}) { edges { node { code notifications(first: 2) { totalCount edges { node { id } } } } } } }",
            json!({}),
        )
        .await;
    let node = &body["data"]["stateParties"]["edges"][0]["node"];
    assert_eq!(node["notifications"]["totalCount"], 27, "{body}");
    assert_eq!(
        node["notifications"]["edges"].as_array().map(Vec::len),
        Some(2)
    );
    // A coordinator has no notices: an empty list. Anonymous callers are refused.
    let body = list(&coordinator, json!({})).await;
    assert_eq!(total(&body), Some(0), "{body}");
    let body = app.graphql(LIST, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
}

#[tokio::test]
async fn a_failed_email_goes_back_in_the_outbox_and_nothing_else_does() {
    let app = app().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let admin = app.admin_token().await;
    let (lao, lao_id, lao_email) = user(&app, "DELEGATION", Some("LAO")).await;
    let c = uuid_of(&add(&app, &staff, "LAO", "focal@mofa.gov.la").await["id"]);
    let email = |key: &str| {
        email_row(
            key,
            NotificationReason::DeadlineMissed,
            "LAO",
            c,
            "focal@mofa.gov.la",
        )
    };
    enqueue(
        &app,
        vec![
            email("failed"),
            email("sent"),
            email("pending"),
            email("cancelled"),
            in_app_row("in-app", Some("LAO"), lao_id, &lao_email),
        ],
    )
    .await;
    set_status(&app, "failed", NotificationStatus::Failed, 8).await;
    set_status(&app, "sent", NotificationStatus::Sent, 2).await;
    set_status(&app, "cancelled", NotificationStatus::Cancelled, 0).await;
    let retry = |token: &str, id: String| {
        let app = &app;
        let token = token.to_owned();
        async move {
            app.graphql_as(&token, RETRY, json!({"input": {"id": id}}))
                .await
        }
    };
    let entries = app.audit_entries().await;
    let failed = row(&app, "failed").await;
    // Not ISU staff: refused.
    let body = retry(&lao, notification_id(failed.id)).await;
    assert_eq!(
        codes(&body["data"]["retryNotification"]),
        ["FORBIDDEN"],
        "{body}"
    );
    // Anything but a FAILED email: INVALID_STATE_TRANSITION, the row untouched.
    for key in ["sent", "pending", "cancelled", "in-app"] {
        let before = row(&app, key).await;
        let body = retry(&staff, notification_id(before.id)).await;
        let payload = &body["data"]["retryNotification"];
        assert_eq!(
            codes(payload),
            ["INVALID_STATE_TRANSITION"],
            "{key}: {body}"
        );
        assert!(payload["notification"].is_null());
        assert_eq!(row(&app, key).await, before, "{key} is unchanged");
    }
    for id in [notification_id(Uuid::now_v7()), "garbage".to_owned()] {
        let body = retry(&staff, id).await;
        assert_eq!(
            codes(&body["data"]["retryNotification"]),
            ["NOT_FOUND"],
            "{body}"
        );
    }
    assert_eq!(row(&app, "failed").await, failed);
    assert_eq!(app.audit_entries().await, entries);

    // The FAILED email: PENDING, attempts back to 0, due now, its last error kept.
    let started = Utc::now();
    let body = retry(&admin, notification_id(failed.id)).await;
    let payload = &body["data"]["retryNotification"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["notification"]["status"], "PENDING");
    assert_eq!(payload["notification"]["attempts"], 0);
    assert_eq!(
        payload["notification"]["lastError"],
        "550 mailbox unavailable"
    );
    let after = row(&app, "failed").await;
    assert_eq!(after.status, NotificationStatus::Pending);
    assert!(after.next_attempt_at >= started - Duration::seconds(1));
    assert!(after.next_attempt_at <= Utc::now() + Duration::seconds(1));
    let entry = last_entry(&app, "retryNotification")
        .await
        .expect("audited");
    assert_eq!(entry.entity_type, "Notification");
    assert_eq!(entry.entity_id, failed.id.to_string());
    assert!(
        entry
            .before
            .as_deref()
            .unwrap_or_default()
            .contains("FAILED"),
        "{entry:?}"
    );
    assert!(
        entry
            .after
            .as_deref()
            .unwrap_or_default()
            .contains("PENDING"),
        "{entry:?}"
    );
    assert_eq!(app.audit_entries().await, entries + 1);
    // Twice: the second finds it PENDING.
    let body = retry(&staff, notification_id(failed.id)).await;
    assert_eq!(
        codes(&body["data"]["retryNotification"]),
        ["INVALID_STATE_TRANSITION"],
        "{body}"
    );
    assert_eq!(app.audit_entries().await, entries + 1);
}

#[tokio::test]
async fn two_adds_of_one_address_at_once_write_one_contact_point() {
    let app = app().await;
    let (staff, _, _) = user(&app, "ISU_STAFF", None).await;
    for round in 0..4 {
        let email = format!("Race{round}@mission.example.org");
        let upper = email.to_uppercase();
        let (a, b) = tokio::join!(
            app.graphql_as(&staff, ADD, contact("LAO", "First", &email)),
            app.graphql_as(&staff, ADD, contact("LAO", "Second", &upper)),
        );
        let mut outcomes = [a, b].map(|body| {
            let payload = &body["data"]["addContactPoint"];
            if payload["contactPoint"].is_null() {
                codes(payload).join(",")
            } else {
                "CREATED".to_owned()
            }
        });
        outcomes.sort();
        assert_eq!(outcomes, ["ALREADY_EXISTS", "CREATED"], "round {round}");
        let stored = contact_point::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.email.eq_ignore_ascii_case(&email))
            .count();
        assert_eq!(stored, 1, "round {round}");
    }
}
