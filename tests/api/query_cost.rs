//! Query cost (issue 26): documents that would freeze validation or return too many objects
//! are refused with `QUERY_TOO_COMPLEX` and 400 before anything runs; the run-time guard
//! stops an operation whose estimate was wrong; a response longer than its bound is not
//! sent; and every contract operation is well inside the limits.

use ccm_isu::api::cost::{CostLimits, CostModel, QueryCost};
use ccm_isu::kernel::config::Settings;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// POSTs `query` with `application/graphql-response+json`; the status and the body.
async fn post(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Accept", "application/graphql-response+json")
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("request sent");
    let status = resp.status();
    (status, resp.json().await.expect("JSON body"))
}

/// Refused before it ran: 400, no `data`, one error coded `QUERY_TOO_COMPLEX`.
fn assert_too_complex(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_code(body), Some("QUERY_TOO_COMPLEX"), "{body}");
}

/// `fragment F0 on Query { __typename } … fragment Fn on Query { ...Fn-1 ...Fn-1 }`, spread
/// once by the operation: 2^depth fields once expanded.
fn fan_out(depth: usize) -> String {
    let mut q = format!("query FanOut {{ ...F{depth} }} fragment F0 on Query {{ __typename }}");
    for i in 1..=depth {
        q.push_str(&format!(
            " fragment F{i} on Query {{ ...F{p} ...F{p} }}",
            p = i - 1
        ));
    }
    q
}

#[tokio::test]
async fn the_fragment_fan_out_is_refused_before_validation() {
    let app = spawn_app().await;
    for depth in [20, 30, 40] {
        let q = fan_out(depth);
        assert!(q.len() < 1_700, "{} bytes", q.len());
        let (status, body) = post(&app, &q).await;
        assert_too_complex(status, &body);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("fields")),
            "{body}"
        );
    }
    // The same shape, shallow, is an ordinary query.
    let (status, body) = post(&app, &fan_out(3)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["__typename"], "Query");
    // Hidden in an operation that is not the one selected, it is refused too: validation
    // would visit it all the same.
    let hidden = format!("query Small {{ __typename }} {}", fan_out(30));
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Accept", "application/graphql-response+json")
        .json(&json!({ "query": hidden, "operationName": "Small" }))
        .send()
        .await
        .expect("sent");
    let status = resp.status();
    assert_too_complex(status, &resp.json().await.expect("JSON"));
    // The server still answers.
    let (status, _) = post(&app, "{ __typename }").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn nested_lists_without_first_are_refused() {
    let app = spawn_app().await;
    let amplified = "{ stateParties(first: 100) { edges { node { obligations { state {
        obligations { state { obligations { state { obligations { id } } } } } } } } } } }";
    let (status, body) = post(&app, amplified).await;
    assert_too_complex(status, &body);
    // Through a fragment spread many times, too.
    let spread = "{ a: stateParties(first: 100) { ...P } b: stateParties(first: 100) { ...P } }
        fragment P on StatePartyConnection { edges { node { obligations { state { obligations { id } } } } } }";
    let (status, body) = post(&app, spread).await;
    assert_too_complex(status, &body);
    // One level of it runs.
    let (status, body) = post(
        &app,
        "{ stateParties(first: 5) { edges { node { code obligations { id } } } } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["errors"].is_null(), "{body}");
}

#[tokio::test]
async fn a_fragment_cycle_is_refused_not_followed() {
    let app = spawn_app().await;
    for q in [
        "{ ...A } fragment A on Query { __typename ...A }",
        "{ stateParties(first: 1) { ...A } } fragment A on StatePartyConnection { edges { node { ...B } } }
         fragment B on StateParty { obligations { state { ...C } } } fragment C on StateParty { ...B }",
    ] {
        let (status, body) = post(&app, q).await;
        assert_too_complex(status, &body);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("spreads itself")),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_run_time_guard_stops_what_the_estimate_let_through() {
    // The estimate of 20 States is 41 objects, well inside its limit; the guard's cap is
    // set below what they resolve, as if the estimate had been wrong.
    let app = spawn_app_with(|s: &mut Settings| s.max_resolved_objects = 10).await;
    let q = "{ stateParties(first: 20) { edges { node { code name } } } }";
    let (status, body) = post(&app, q).await;
    assert_too_complex(status, &body);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("resolved more than 10 objects")),
        "{body}"
    );
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    // Under the cap, the same server answers.
    let (status, body) = post(
        &app,
        "{ stateParties(first: 2) { edges { node { code } } } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["stateParties"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    // Lists other than connections count too: two States' obligations (each State owes
    // more than four) go past the cap of 10 although the page holds two.
    let (status, body) = post(
        &app,
        "{ stateParties(first: 2) { edges { node { obligations { kind } } } } }",
    )
    .await;
    assert_too_complex(status, &body);
    let (status, body) = post(
        &app,
        "{ stateParties(first: 1) { edges { node { obligations(kinds: [INITIAL_TRANSPARENCY_REPORT]) { kind } } } } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["stateParties"]["edges"][0]["node"]["obligations"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{body}"
    );
}

#[tokio::test]
async fn a_response_longer_than_its_bound_is_replaced_by_an_error() {
    let app = spawn_app_with(|s: &mut Settings| s.max_response_bytes = 2_000).await;
    let q = "{ stateParties(first: 100) { edges { node { code name status } } } }";
    let (status, body) = post(&app, q).await;
    assert_too_complex(status, &body);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("2000 bytes")),
        "{body}"
    );
    // A batch keeps its shape: one answer per operation.
    let resp = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!([{ "query": q }, { "query": "{ __typename }" }]))
        .send()
        .await
        .expect("sent");
    let batch: Value = resp.json().await.expect("JSON");
    let answers = batch.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 2);
    assert!(
        answers
            .iter()
            .all(|a| error_code(a) == Some("QUERY_TOO_COMPLEX")),
        "{batch}"
    );
    // A short answer passes.
    let (status, body) = post(
        &app,
        "{ stateParties(first: 1) { edges { node { code } } } }",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The cost of every contract operation, with no variables (so `first` counts its
/// default, else 100), against the default limits: each well inside them. The figures are
/// in the README ("Security", "Query cost").
#[test]
#[allow(clippy::print_stdout, clippy::cast_precision_loss)]
fn every_contract_operation_is_well_inside_the_limits() {
    let limits = CostLimits::from_settings(&Settings::for_database("sqlite::memory:"));
    let cost = QueryCost {
        limits,
        model: CostModel::shared(),
    };
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("contract/operations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("operations")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    files.sort();
    let (mut most_fields, mut most_objects) = (0u64, 0u64);
    println!("{:<40} {:>7} {:>8}", "operation", "fields", "objects");
    for path in &files {
        let src = std::fs::read_to_string(path).expect("file");
        let doc = async_graphql::parser::parse_query(&src).expect("parses");
        let names: Vec<String> = doc
            .operations
            .iter()
            .filter_map(|(n, _)| n.map(|n| n.to_string()))
            .collect();
        for name in names {
            // Each operation alone, as the frontends send it.
            let alone = ccm_isu::api::cost::estimate(
                &cost.model,
                &doc,
                Some(&name),
                &async_graphql::Variables::default(),
            )
            .expect("no cycle");
            let checked = cost
                .check(&doc, Some(&name), &async_graphql::Variables::default())
                .expect("inside the limits");
            assert_eq!(checked.objects, alone.objects);
            let fields = operation_fields(&doc, &name, &cost);
            println!("{name:<40} {fields:>7} {:>8}", alone.objects);
            most_fields = most_fields.max(fields);
            most_objects = most_objects.max(alone.objects);
        }
    }
    let headroom = |limit: u64, most: u64| limit as f64 / most.max(1) as f64;
    println!(
        "most fields {most_fields} (limit {}, headroom {:.1}x); most objects {most_objects} (limit {}, headroom {:.1}x)",
        limits.max_fields,
        headroom(limits.max_fields, most_fields),
        limits.max_objects,
        headroom(limits.max_objects, most_objects),
    );
    // Well inside: at least twice the largest.
    assert!(headroom(limits.max_fields, most_fields) >= 2.0);
    assert!(headroom(limits.max_objects, most_objects) >= 2.0);
}

/// The fields of one operation of `doc`, on its own.
fn operation_fields(
    doc: &async_graphql::parser::types::ExecutableDocument,
    name: &str,
    cost: &QueryCost,
) -> u64 {
    let (_, op) = doc
        .operations
        .iter()
        .find(|(n, _)| n.is_some_and(|n| n.as_str() == name))
        .expect("operation");
    let single = async_graphql::parser::types::ExecutableDocument {
        operations: async_graphql::parser::types::DocumentOperations::Single(op.clone()),
        fragments: doc.fragments.clone(),
    };
    ccm_isu::api::cost::estimate(
        &cost.model,
        &single,
        None,
        &async_graphql::Variables::default(),
    )
    .expect("no cycle")
    .fields
}

/// graphql-js' `getIntrospectionQuery()`, which GraphiQL and code generators send.
const GRAPHIQL_INTROSPECTION: &str = "query IntrospectionQuery { __schema { queryType { name }
  mutationType { name } subscriptionType { name } types { ...FullType }
  directives { name description locations args { ...InputValue } } } }
fragment FullType on __Type { kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef }
    isDeprecated deprecationReason }
  inputFields { ...InputValue } interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }";

#[tokio::test]
async fn the_tools_introspection_queries_run_under_the_default_limits() {
    let app = spawn_app().await;
    for q in [
        GRAPHIQL_INTROSPECTION,
        "query ConsoleSchema { __schema { queryType { name } mutationType { name } types { name kind description fields(includeDeprecated: false) { name description args { name type { ...T } } type { ...T } } inputFields { name description type { ...T } } enumValues(includeDeprecated: false) { name } } } } fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }",
    ] {
        let (status, body) = post(&app, q).await;
        assert_eq!(status, StatusCode::OK, "{}", body["errors"]);
        assert!(body["errors"].is_null(), "{}", body["errors"]);
        assert!(
            body["data"]["__schema"]["types"]
                .as_array()
                .is_some_and(|t| t.len() > 50)
        );
    }
}
