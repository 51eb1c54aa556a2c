//! What a server keeps between requests (the sessions it found live, the registry its
//! deadlines are computed from, the published reports) is never older than a committed write: on the server that
//! wrote, on another server on the same database, and for writes made around the services.
//! And it is kept: a request that reads only kept data costs one statement (the stamps).

use entity::state;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app, token_of};

const LAO: &str = r#"query { stateParty(code: "LAO") {
  name obligations { kind dueDate status extended }
  extensions { newDeadline } } }"#;

/// LAO's clearance obligation, as `body` (the answer to [`LAO`]) shows it.
fn clearance(body: &Value) -> &Value {
    body["data"]["stateParty"]["obligations"]
        .as_array()
        .unwrap_or_else(|| panic!("no obligations: {body}"))
        .iter()
        .find(|o| o["kind"] == "CLEARANCE")
        .unwrap_or_else(|| panic!("no clearance: {body}"))
}

#[tokio::test]
async fn a_deadline_extended_on_one_server_is_extended_at_once_on_the_other() {
    let app = spawn_app().await;
    let b = app.second_server(|_| {}).await;
    let admin = app.admin_token().await;
    // Both servers hold the registry.
    for base in [&app.base, &b] {
        let (_, body) = app.statements_for(base, None, LAO, json!({})).await;
        assert_eq!(clearance(&body)["dueDate"], "2020-08-01", "{body}");
    }
    let extended = app
        .graphql_as(
            &admin,
            "mutation($input: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $input) {
              extension { newDeadline } userErrors { code } } }",
            json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2025-08-01",
                "grantedOn": "2019-09-04", "grantedAt": "9MSP"}}),
        )
        .await;
    assert_eq!(
        extended["data"]["recordDeadlineExtension"]["userErrors"],
        json!([]),
        "{extended}"
    );
    for base in [&b, &app.base] {
        let body = app.graphql_on(base, None, LAO, json!({})).await;
        let c = clearance(&body);
        assert_eq!(c["dueDate"], "2025-08-01", "{base}: {body}");
        assert_eq!(c["extended"], true, "{base}: {body}");
        assert_eq!(
            body["data"]["stateParty"]["extensions"],
            json!([{"newDeadline": "2025-08-01"}]),
            "{base}: {body}"
        );
    }
}

#[tokio::test]
async fn a_write_around_the_services_is_seen_at_once_by_every_server() {
    let app = spawn_app().await;
    let b = app.second_server(|_| {}).await;
    for base in [&app.base, &b] {
        let (_, body) = app.statements_for(base, None, LAO, json!({})).await;
        assert_eq!(clearance(&body)["status"], "OVERDUE", "{body}");
    }
    // Straight to the table, as a bulk load or an operator would.
    let lao = state::Entity::find()
        .filter(state::Column::Code.eq("LAO"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut lao: state::ActiveModel = lao.into();
    lao.clearance_completed_on = Set(Some(chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap()));
    lao.name = Set("Lao People's Democratic Republic (renamed)".into());
    lao.update(&app.db).await.unwrap();
    for base in [&app.base, &b] {
        let body = app.graphql_on(base, None, LAO, json!({})).await;
        assert_eq!(clearance(&body)["status"], "MET", "{base}: {body}");
        assert_eq!(
            body["data"]["stateParty"]["name"],
            "Lao People's Democratic Republic (renamed)"
        );
    }
}

#[tokio::test]
async fn the_registry_is_read_once_and_again_after_each_write() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // Warm: the stamps only, anonymous or signed in (the session is kept too).
    app.graphql_on(&app.base, None, LAO, json!({})).await;
    let (anonymous, _) = app.statements_for(&app.base, None, LAO, json!({})).await;
    assert_eq!(anonymous, 1, "the stamps, and nothing else");
    let (signed_in, _) = app
        .statements_for(&app.base, Some(&admin), LAO, json!({}))
        .await;
    assert_eq!(signed_in, 1, "the stamps, and nothing else");
    let before = app.statements_at(&app.base).await;
    let update = app
        .graphql_as(
            &admin,
            "mutation { updateStateParty(input: {code: \"LAO\", hasVictims: true}) {
              stateParty { hasVictims } userErrors { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        update["data"]["updateStateParty"]["stateParty"]["hasVictims"], true,
        "{update}"
    );
    assert!(app.statements_at(&app.base).await > before);
    // After a write, the next request reads the registry again, then holds it.
    let before = app.statements_at(&app.base).await;
    app.graphql_on(&app.base, None, LAO, json!({})).await;
    assert!(
        app.statements_at(&app.base).await - before > 1,
        "read again after the write"
    );
    let (again, _) = app.statements_for(&app.base, None, LAO, json!({})).await;
    assert_eq!(again, 1);
}

#[tokio::test]
async fn a_mutation_shows_what_it_wrote_though_the_registry_was_held() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, body) = app
        .statements_for(&app.base, Some(&admin), LAO, json!({}))
        .await;
    assert_eq!(clearance(&body)["status"], "OVERDUE", "{body}");
    let update = app
        .graphql_as(
            &admin,
            "mutation { updateStateParty(input: {code: \"LAO\", clearanceCompletedOn: \"2020-06-01\"}) {
              stateParty { obligations { kind status } } userErrors { code } } }",
            json!({}),
        )
        .await;
    let obligations = &update["data"]["updateStateParty"]["stateParty"]["obligations"];
    let c = obligations
        .as_array()
        .unwrap_or_else(|| panic!("{update}"))
        .iter()
        .find(|o| o["kind"] == "CLEARANCE")
        .unwrap();
    assert_eq!(c["status"], "MET", "{update}");
    // A batch: the query after the mutation sees it too.
    let batch: Value = app
        .client
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&admin)
        .json(&json!([
            {"query": "mutation { updateStateParty(input: {code: \"LAO\", name: \"Laos\"}) { userErrors { code } } }"},
            {"query": LAO},
        ]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(batch[1]["data"]["stateParty"]["name"], "Laos", "{batch}");
}

const ME: &str = "{ me { email role } }";

#[tokio::test]
async fn a_session_ended_on_one_server_is_refused_at_once_by_the_other() {
    let app = spawn_app().await;
    let b = app.second_server(|_| {}).await;
    let email = app.create_user("ISU_STAFF", None, &[]).await;
    let login = app.login(&email, PASSWORD).await;
    let access = token_of(&login);
    let refresh = login["refreshToken"].as_str().unwrap().to_owned();
    // B keeps the session: a check costs the stamps only.
    app.graphql_on(&b, Some(&access), ME, json!({})).await;
    let (kept, body) = app.statements_for(&b, Some(&access), ME, json!({})).await;
    assert_eq!(body["data"]["me"]["email"], email.as_str(), "{body}");
    assert_eq!(kept, 1, "the stamps, and nothing else");
    let out = app
        .graphql(
            "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
            json!({"t": refresh}),
        )
        .await;
    assert_eq!(out["data"]["logout"]["ok"], true, "{out}");
    for base in [&b, &app.base] {
        let resp = app
            .client
            .post(format!("{base}/graphql"))
            .bearer_auth(&access)
            .json(&json!({ "query": ME }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "the session ended on {base}");
    }
}

#[tokio::test]
async fn a_role_changed_or_an_account_deactivated_on_one_server_applies_at_once_on_the_other() {
    let app = spawn_app().await;
    let b = app.second_server(|_| {}).await;
    let email = app.create_user("ISU_STAFF", None, &[]).await;
    let login = app.login(&email, PASSWORD).await;
    let access = token_of(&login);
    let id = login["user"]["id"].clone();
    for _ in 0..2 {
        let body = app.graphql_on(&b, Some(&access), ME, json!({})).await;
        assert_eq!(body["data"]["me"]["role"], "ISU_STAFF", "{body}");
    }
    // Around the services: the role changed in the table.
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::Role,
            sea_orm::sea_query::Expr::value("ISU_ADMIN"),
        )
        .filter(entity::user::Column::Email.eq(email.as_str()))
        .exec(&app.db)
        .await
        .unwrap();
    let body = app.graphql_on(&b, Some(&access), ME, json!({})).await;
    assert_eq!(body["data"]["me"]["role"], "ISU_ADMIN", "{body}");
    // Through the service, on A: deactivated.
    let admin = app.admin_token().await;
    let out = app
        .graphql_as(
            &admin,
            "mutation($id: ID!) { deactivateUser(input: {id: $id}) { userErrors { code } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        out["data"]["deactivateUser"]["userErrors"],
        json!([]),
        "{out}"
    );
    let resp = app
        .client
        .post(format!("{b}/graphql"))
        .bearer_auth(&access)
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}

/// LAO's reports, a page at a time, newest first.
const LAO_REPORTS: &str = r#"query($after: String) { stateParty(code: "LAO") {
  transparencyReports(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id reportingYear status onTime sections { nationalImplementationMeasures } } } } } }"#;

/// Every report of LAO that `token` reads, following the pages: the total and the reports.
async fn lao_reports(app: &TestApp, base: &str, token: Option<&str>) -> (i64, Vec<Value>) {
    let (mut after, mut all, mut total) = (Value::Null, Vec::new(), None);
    loop {
        let body = app
            .graphql_on(base, token, LAO_REPORTS, json!({ "after": after }))
            .await;
        let page = &body["data"]["stateParty"]["transparencyReports"];
        let edges = page["edges"].as_array().unwrap_or_else(|| panic!("{body}"));
        all.extend(edges.iter().map(|e| e["node"].clone()));
        let count = page["totalCount"].as_i64().unwrap();
        assert!(total.is_none_or(|t| t == count), "{body}");
        total = Some(count);
        if page["pageInfo"]["hasNextPage"] != true {
            return (count, all);
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// Creates LAO's report for `year` as `token`, submitted, and published when asked.
async fn lao_report(app: &TestApp, token: &str, year: i32, publish: bool) -> String {
    let created = app
        .graphql_as(
            token,
            "mutation($input: CreateTransparencyReportInput!) { createTransparencyReport(input: $input) {
              report { id } userErrors { code } } }",
            json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": year}}),
        )
        .await;
    let id = created["data"]["createTransparencyReport"]["report"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let submitted = app
        .graphql_as(
            token,
            "mutation($id: ID!) { submitTransparencyReport(input: {id: $id}) { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        submitted["data"]["submitTransparencyReport"]["userErrors"],
        json!([]),
        "{submitted}"
    );
    if publish {
        publish_report(app, token, &app.base, &id).await;
    }
    id
}

async fn publish_report(app: &TestApp, token: &str, base: &str, id: &str) {
    let published = app
        .graphql_at(
            base,
            token,
            "mutation($id: ID!) { publishTransparencyReport(input: {id: $id}) { userErrors { code } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        published["data"]["publishTransparencyReport"]["userErrors"],
        json!([]),
        "{published}"
    );
}

fn years(reports: &[Value]) -> Vec<i64> {
    reports
        .iter()
        .map(|r| r["reportingYear"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_states_published_reports_are_kept_and_every_write_to_them_is_seen_at_once() {
    let app = spawn_app().await;
    let b = app.second_server(|_| {}).await;
    let admin = app.admin_token().await;
    for year in [2020, 2021, 2022] {
        lao_report(&app, &admin, year, true).await;
    }
    let submitted = lao_report(&app, &admin, 2023, false).await;
    // Newest first, across pages; the same on both servers; what the ISU reads of them.
    let (_, isu) = lao_reports(&app, &app.base, Some(&admin)).await;
    let isu_published: Vec<Value> = isu
        .into_iter()
        .filter(|r| r["status"] == "PUBLISHED")
        .collect();
    for base in [&app.base, &b] {
        let (total, public) = lao_reports(&app, base, None).await;
        assert_eq!(total, 3, "{base}");
        assert_eq!(years(&public), [2022, 2021, 2020], "{base}");
        assert_eq!(public, isu_published, "{base}");
        // Kept: a page costs the stamps only (the sections are read by ID when asked for).
        let page = r#"{ stateParty(code: "LAO") { transparencyReports(first: 2) {
          totalCount edges { node { id reportingYear status submittedAt onTime } } } } }"#;
        let (kept, body) = app.statements_for(base, None, page, json!({})).await;
        assert_eq!(kept, 1, "the stamps, and nothing else: {body}");
    }
    // A delegation of another State reads what the public reads; LAO's own, its submitted
    // report too (from the table).
    let afg = app.token_for("DELEGATION", Some("AFG")).await;
    assert_eq!(lao_reports(&app, &b, Some(&afg)).await.0, 3);
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let (own_total, own) = lao_reports(&app, &b, Some(&lao)).await;
    assert_eq!(own_total, 4);
    assert_eq!(years(&own), [2023, 2022, 2021, 2020]);
    // Published on B: A shows it at once, and so does B.
    publish_report(&app, &admin, &b, &submitted).await;
    for base in [&app.base, &b] {
        let (total, public) = lao_reports(&app, base, None).await;
        assert_eq!(total, 4, "{base}");
        assert_eq!(years(&public), [2023, 2022, 2021, 2020], "{base}");
    }
    // Around the services: a column the obligations do not read, and a deletion.
    entity::transparency_report::Entity::update_many()
        .col_expr(
            entity::transparency_report::Column::OnTime,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(entity::transparency_report::Column::ReportingYear.eq(2021))
        .exec(&app.db)
        .await
        .unwrap();
    entity::transparency_report::Entity::delete_many()
        .filter(entity::transparency_report::Column::ReportingYear.eq(2020))
        .exec(&app.db)
        .await
        .unwrap();
    for base in [&app.base, &b] {
        let (total, public) = lao_reports(&app, base, None).await;
        assert_eq!(total, 3, "{base}");
        assert_eq!(years(&public), [2023, 2022, 2021], "{base}");
        assert_eq!(public[2]["onTime"], false, "{base}");
    }
}
