//! Expert suggestions for needs over HTTP: the ranking and its reasons (each factor's score
//! and sentence), the needing State's working languages from its contact points or the
//! official table, never the needing State's own experts, inactive ones or those gone for
//! good; nothing for needs that ask for no person or are closed; contact details for ISU
//! staff only; the weights from `ISU_EXPERT_WEIGHTS`; a fixed number of statements however
//! many needs ask; the roster held in memory never stale, on either of two servers.

use entity::assistance_need;
use entity::enums::NeedStatus;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::batching::statements_of;
use crate::good_practices::{add_expert, deactivate, expert_input, today};
use crate::helpers::*;

const NEED: &str =
    "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id } userErrors { field message code } } }";
const SUGGEST: &str = "query($id: ID!, $first: Int) { node(id: $id) { ... on AssistanceNeed {
  expertSuggestions(first: $first) {
    score reasons { factor score explanation }
    expert { id fullName email phone southSouth nationality { code } } } } } }";
const CONTACT: &str = "mutation($input: AddContactPointInput!) { addContactPoint(input: $input) {
  contactPoint { id } userErrors { field message code } } }";

struct World {
    app: TestApp,
    staff: String,
    admin: String,
    /// The experts by short name: global IDs.
    best: String,
    second: String,
    tie_first: String,
    tie_second: String,
}

/// The roster the tests rank:
/// - best: from Lao PDR (affected), clearance, expertise and training, French, Africa;
/// - second: from France, clearance, expertise only, English, Africa, from 1 May 2027;
/// - two alike, from Mexico, education, training, Spanish (a tie, broken by ID);
/// - never suggested for Benin: a Beninese, an inactive one, one gone for good, one who
///   works in neither the area nor with the kinds of assistance asked.
async fn world(weights: Option<&str>) -> World {
    let weights = weights.map(str::to_owned);
    let app = spawn_app_with(|s| {
        s.today = Some(today());
        s.expert_weights = weights;
    })
    .await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let admin = app.admin_token().await;
    let best = add_expert(
        &app,
        &staff,
        expert_input("Best Phommachanh", "LAO", |e| {
            e["assistanceTypes"] = json!(["TECHNICAL_EXPERTISE", "TRAINING"]);
            e["languages"] = json!(["FR", "EN"]);
            e["regions"] = json!(["AFRICA"]);
        }),
    )
    .await;
    let second = add_expert(
        &app,
        &staff,
        expert_input("Second Martin", "FRA", |e| {
            e["regions"] = json!(["AFRICA"]);
            e["availableFrom"] = json!("2027-05-01");
        }),
    )
    .await;
    let alike = |name: &str| {
        expert_input(name, "MEX", |e| {
            e["areas"] = json!(["RISK_REDUCTION_EDUCATION"]);
            e["assistanceTypes"] = json!(["TRAINING"]);
            e["languages"] = json!(["ES"]);
        })
    };
    let tie_first = add_expert(&app, &staff, alike("Tie Alpha")).await;
    let tie_second = add_expert(&app, &staff, alike("Tie Beta")).await;
    let everything = |name: &str, nationality: &str| {
        expert_input(name, nationality, |e| {
            e["assistanceTypes"] = json!(["TECHNICAL_EXPERTISE", "TRAINING"]);
            e["languages"] = json!(["FR", "ES"]);
            e["regions"] = json!(["AFRICA"]);
        })
    };
    add_expert(&app, &staff, everything("Own Beninese", "BEN")).await;
    let inactive = everything("Inactive Lao", "LAO");
    let id = add_expert(&app, &staff, inactive.clone()).await;
    deactivate(&app, &staff, &id, inactive).await;
    add_expert(
        &app,
        &staff,
        expert_input("Gone Lao", "LAO", |e| {
            e["availableFrom"] = json!("2020-01-01");
            e["availableUntil"] = json!("2026-12-05");
        }),
    )
    .await;
    add_expert(
        &app,
        &staff,
        expert_input("Elsewhere Lao", "LAO", |e| {
            e["areas"] = json!(["VICTIM_ASSISTANCE"]);
            e["assistanceTypes"] = json!(["FINANCIAL", "EQUIPMENT"]);
        }),
    )
    .await;
    World {
        app,
        staff,
        admin,
        best,
        second,
        tie_first,
        tie_second,
    }
}

/// A need of `code` in `area` for `types`, from 1 March to 30 June 2027 unless `period` is
/// false; its global ID.
async fn need(w: &World, code: &str, area: &str, types: &[&str], period: bool) -> String {
    let mut input = json!({"stateCode": code, "thematicArea": area, "assistanceTypes": types,
                           "title": "Survey and clearance expertise"});
    if period {
        input["periodStart"] = json!("2027-03-01");
        input["periodEnd"] = json!("2027-06-30");
    }
    let body = w
        .app
        .graphql_as(&w.admin, NEED, json!({ "input": input }))
        .await;
    body["data"]["createAssistanceNeed"]["need"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// The suggestions for `need` as `token`.
async fn suggest(w: &World, token: &str, need: &str, first: Option<i32>) -> Vec<Value> {
    let body = w
        .app
        .graphql_as(token, SUGGEST, json!({"id": need, "first": first}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["node"]["expertSuggestions"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

fn ids(list: &[Value]) -> Vec<&str> {
    list.iter()
        .map(|c| c["expert"]["id"].as_str().unwrap_or(""))
        .collect()
}

/// A candidate's reasons as (factor, score, explanation).
fn reasons(c: &Value) -> Vec<(String, f64, String)> {
    c["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| {
            (
                r["factor"].as_str().unwrap_or("").to_owned(),
                r["score"].as_f64().unwrap_or(-1.0),
                r["explanation"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

#[tokio::test]
async fn experts_are_ranked_for_a_need_with_their_reasons() {
    let w = world(None).await;
    let benin = need(
        &w,
        "BEN",
        "CLEARANCE",
        &["TECHNICAL_EXPERTISE", "TRAINING"],
        true,
    )
    .await;
    let list = suggest(&w, &w.staff, &benin, None).await;
    assert_eq!(
        ids(&list),
        [
            w.best.as_str(),
            w.second.as_str(),
            w.tie_first.as_str(),
            w.tie_second.as_str()
        ],
        "best first, ties by ID; never Benin's own, inactive, gone or unrelated experts: {list:?}"
    );
    let best = &list[0];
    assert!(close(&best["score"], 1.0), "{best}");
    assert_eq!(
        reasons(best),
        [
            ("AREA".into(), 1.0, "Works in clearance, the area of the need.".into()),
            (
                "ASSISTANCE_TYPE".into(),
                1.0,
                "Offers technical expertise and training, as the need asks.".into()
            ),
            (
                "LANGUAGE".into(),
                1.0,
                "Speaks French, an official language of Benin.".into()
            ),
            ("REGION".into(), 1.0, "Has worked in Africa, Benin's region.".into()),
            (
                "AVAILABILITY".into(),
                1.0,
                "Available for the whole of the need's period (1 March to 30 June 2027).".into()
            ),
            (
                "SOUTH_SOUTH".into(),
                1.0,
                "Comes from Lao People's Democratic Republic, itself affected: South-South cooperation."
                    .into()
            ),
        ]
    );
    assert_eq!(best["expert"]["southSouth"], true);
    assert_eq!(best["expert"]["nationality"]["code"], "LAO");
    assert_eq!(
        best["expert"]["email"], "best.phommachanh@experts.test",
        "ISU staff read contact details"
    );
    // The second: area .30, half the types .10, no French, Africa .10, half the period .05.
    let second = &list[1];
    assert!(close(&second["score"], 0.55), "{second}");
    let r = reasons(second);
    assert_eq!(r[1].1, 0.5, "{r:?}");
    assert_eq!(r[2].0, "LANGUAGE");
    assert_eq!(r[2].1, 0.0);
    assert!(r[2].2.starts_with("Does not speak French"), "{r:?}");
    assert_eq!(r[4].1, 0.5, "61 of the 122 days: {r:?}");
    assert_eq!(r[5].1, 0.0, "France is not affected: {r:?}");
    // The tie: training only (.10) and available (.10).
    for c in &list[2..] {
        assert!(close(&c["score"], 0.2), "{c}");
    }
    // `first` cuts the same ranking.
    let two = suggest(&w, &w.staff, &benin, Some(2)).await;
    assert_eq!(ids(&two), [w.best.as_str(), w.second.as_str()]);
    assert_eq!(
        suggest(&w, &w.staff, &benin, Some(0)).await,
        Vec::<Value>::new()
    );
    for first in [-1, 101] {
        let body = w
            .app
            .graphql_as(&w.staff, SUGGEST, json!({"id": benin, "first": first}))
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{first}: {body}");
    }
}

#[tokio::test]
async fn the_needing_states_contact_points_give_its_working_languages() {
    let w = world(None).await;
    let benin = need(
        &w,
        "BEN",
        "CLEARANCE",
        &["TECHNICAL_EXPERTISE", "TRAINING"],
        true,
    )
    .await;
    let body = w
        .app
        .graphql_as(
            &w.admin,
            CONTACT,
            json!({"input": {"stateCode": "BEN", "name": "Centre national de déminage",
                             "function": "NATIONAL_AUTHORITY", "email": "cnd@benin.test",
                             "language": "ES"}}),
        )
        .await;
    assert_eq!(
        body["data"]["addContactPoint"]["userErrors"],
        json!([]),
        "{body}"
    );
    let list = suggest(&w, &w.staff, &benin, None).await;
    let best = list
        .iter()
        .find(|c| c["expert"]["id"] == w.best.as_str())
        .expect("best suggested");
    assert_eq!(
        reasons(best)[2],
        (
            "LANGUAGE".to_owned(),
            0.0,
            "Does not speak Spanish, the language of Benin's contact points.".to_owned()
        )
    );
    assert!(close(&best["score"], 0.8), "{best}");
    let tie = list
        .iter()
        .find(|c| c["expert"]["id"] == w.tie_first.as_str())
        .expect("tie suggested");
    assert_eq!(
        reasons(tie)[2].2,
        "Speaks Spanish, the language of Benin's contact points."
    );
    assert!(close(&tie["score"], 0.4), "{tie}");
}

#[tokio::test]
async fn needs_that_ask_for_no_person_or_are_closed_get_no_suggestion() {
    let w = world(None).await;
    let money = need(&w, "BEN", "CLEARANCE", &["FINANCIAL", "EQUIPMENT"], false).await;
    assert_eq!(
        suggest(&w, &w.staff, &money, None).await,
        Vec::<Value>::new()
    );
    // Training alone is enough; without a period, availability is about today.
    let training = need(&w, "BEN", "CLEARANCE", &["FINANCIAL", "TRAINING"], false).await;
    let list = suggest(&w, &w.staff, &training, None).await;
    assert_eq!(ids(&list)[0], w.best.as_str(), "{list:?}");
    assert_eq!(reasons(&list[0])[4].2, "Available now.");
    let second = list
        .iter()
        .find(|c| c["expert"]["id"] == w.second.as_str())
        .expect("second");
    assert_eq!(
        reasons(second)[4],
        (
            "AVAILABILITY".to_owned(),
            0.5,
            "Available only from 1 May 2027, not now.".to_owned()
        )
    );
    for status in [NeedStatus::Met, NeedStatus::Withdrawn] {
        let id = need(&w, "BEN", "CLEARANCE", &["TECHNICAL_EXPERTISE"], true).await;
        let (_, key) = ccm_isu::api::ids::decode(&id).expect("a need's ID");
        let row = assistance_need::Entity::find_by_id(key)
            .one(&w.app.db)
            .await
            .unwrap()
            .unwrap();
        let mut row: assistance_need::ActiveModel = row.into();
        row.status = Set(status);
        row.update(&w.app.db).await.unwrap();
        assert_eq!(
            suggest(&w, &w.staff, &id, None).await,
            Vec::<Value>::new(),
            "{status:?}"
        );
    }
    // Lao PDR's need: its own experts are left out, Benin's is in.
    let lao = need(&w, "LAO", "CLEARANCE", &["TECHNICAL_EXPERTISE"], true).await;
    let list = suggest(&w, &w.staff, &lao, Some(100)).await;
    let names: Vec<&str> = list
        .iter()
        .map(|c| c["expert"]["fullName"].as_str().unwrap_or(""))
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with("Lao") || n.starts_with("Best")),
        "{names:?}"
    );
    assert!(names.contains(&"Own Beninese"), "{names:?}");
}

#[tokio::test]
async fn delegations_and_coordinators_get_suggestions_without_contact_details() {
    let w = world(None).await;
    let benin = need(
        &w,
        "BEN",
        "CLEARANCE",
        &["TECHNICAL_EXPERTISE", "TRAINING"],
        true,
    )
    .await;
    let delegation = w.app.token_for("DELEGATION", Some("BEN")).await;
    let coordinator = w.app.coordinator_token(&["CLEARANCE"]).await;
    let for_staff = suggest(&w, &w.staff, &benin, None).await;
    for (who, token) in [("delegation", &delegation), ("coordinator", &coordinator)] {
        let list = suggest(&w, token, &benin, None).await;
        assert_eq!(ids(&list), ids(&for_staff), "{who}: the same ranking");
        for c in &list {
            assert!(
                c["expert"]["email"].is_null() && c["expert"]["phone"].is_null(),
                "{who}: {c}"
            );
        }
    }
    // Another State's delegation reads no Beninese need, so no suggestion either.
    let other = w.app.token_for("DELEGATION", Some("NOR")).await;
    let body = w
        .app
        .graphql_as(&other, SUGGEST, json!({"id": benin}))
        .await;
    assert!(body["data"]["node"].is_null(), "{body}");
}

#[tokio::test]
async fn the_weights_come_from_the_configuration() {
    // Everything on South-South: the Lao expert scores 1, the others 0, ties by ID.
    let w = world(Some("0,0,0,0,0,1")).await;
    let benin = need(
        &w,
        "BEN",
        "CLEARANCE",
        &["TECHNICAL_EXPERTISE", "TRAINING"],
        true,
    )
    .await;
    let list = suggest(&w, &w.staff, &benin, None).await;
    assert_eq!(ids(&list)[0], w.best.as_str());
    assert!(close(&list[0]["score"], 1.0), "{list:?}");
    let rest: Vec<&str> = ids(&list)[1..].to_vec();
    assert!(
        list[1..].iter().all(|c| close(&c["score"], 0.0)),
        "{list:?}"
    );
    let sorted = {
        let mut ids: Vec<(uuid::Uuid, &str)> = rest
            .iter()
            .map(|id| (ccm_isu::api::ids::decode(id).expect("an ID").1, *id))
            .collect();
        ids.sort();
        ids.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    assert_eq!(rest, sorted, "ties by ID");
}

#[tokio::test]
async fn suggestions_for_many_needs_cost_what_they_cost_for_one() {
    let w = world(None).await;
    need(&w, "BEN", "CLEARANCE", &["TECHNICAL_EXPERTISE"], true).await;
    let query = "{ assistanceNeeds(first: 20) { edges { node { state { code }
        expertSuggestions(first: 3) { score expert { id fullName nationality { code } } }
        goodPractices(first: 2) { id } } } } }";
    // The roster's facts are read once and kept while it does not change: the first call
    // reads them, the two measured calls find them held.
    statements_of(&w.app, Some(&w.staff), query, json!({})).await;
    let (alone, body) = statements_of(&w.app, Some(&w.staff), query, json!({})).await;
    let suggestions = &body["data"]["assistanceNeeds"]["edges"][0]["node"]["expertSuggestions"];
    assert_eq!(suggestions[0]["expert"]["id"], w.best.as_str(), "{body}");
    for (code, area) in [
        ("LAO", "CLEARANCE"),
        ("SEN", "RISK_REDUCTION_EDUCATION"),
        ("CHL", "CLEARANCE"),
        ("TCD", "VICTIM_ASSISTANCE"),
    ] {
        need(&w, code, area, &["TRAINING"], true).await;
    }
    let (many, body) = statements_of(&w.app, Some(&w.staff), query, json!({})).await;
    let edges = body["data"]["assistanceNeeds"]["edges"]
        .as_array()
        .expect("needs");
    assert_eq!(edges.len(), 5, "{body}");
    assert!(
        edges.iter().all(|e| !e["node"]["expertSuggestions"]
            .as_array()
            .unwrap()
            .is_empty()),
        "{body}"
    );
    assert_eq!(alone, many, "statements for one need and for five");
}

#[tokio::test]
async fn the_roster_a_server_holds_is_never_stale_after_a_write_through_another() {
    let w = world(None).await;
    let benin = need(&w, "BEN", "CLEARANCE", &["TECHNICAL_EXPERTISE"], true).await;
    // A second server on the same database, which holds its own copy of the roster.
    let mut settings = ccm_isu::kernel::config::Settings::for_database(&w.app.url);
    settings.today = Some(today());
    let second = ccm_isu::startup::Application::build(settings)
        .await
        .expect("second server");
    let base = format!("http://{}", second.local_addr().expect("addr"));
    tokio::spawn(second.run_until_stopped(std::future::pending()));
    let on_second = || async {
        let body: Value = w
            .app
            .client
            .post(format!("{base}/graphql"))
            .bearer_auth(&w.staff)
            .json(&json!({"query": SUGGEST, "variables": {"id": benin, "first": 10}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(body["errors"].is_null(), "{body}");
        body["data"]["node"]["expertSuggestions"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .clone()
    };
    let held = on_second().await;
    assert_eq!(ids(&held)[..2], [w.best.as_str(), w.second.as_str()]);
    let south_south = |list: &[Value], id: &str| {
        let c = list
            .iter()
            .find(|c| c["expert"]["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {list:?}"));
        reasons(c)
            .into_iter()
            .find(|(f, _, _)| f == "SOUTH_SOUTH")
            .map(|(_, score, _)| score)
    };
    assert_eq!(
        south_south(&held, &w.second),
        Some(0.0),
        "France is not affected"
    );

    // A registry edit through the first server: France now holds stockpiles.
    let body = w
        .app
        .graphql_as(
            &w.admin,
            "mutation { updateStateParty(input: {code: \"FRA\", holdsStockpiles: true}) {
               userErrors { message } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["updateStateParty"]["userErrors"],
        json!([]),
        "{body}"
    );
    let after_registry = on_second().await;
    assert_eq!(south_south(&after_registry, &w.second), Some(1.0));

    // The best expert made inactive, then the second erased, through the first server.
    let best = expert_input("Best Phommachanh", "LAO", |e| {
        e["assistanceTypes"] = json!(["TECHNICAL_EXPERTISE", "TRAINING"]);
        e["languages"] = json!(["FR", "EN"]);
        e["regions"] = json!(["AFRICA"]);
    });
    deactivate(&w.app, &w.staff, &w.best, best).await;
    let after_update = on_second().await;
    assert!(
        !ids(&after_update).contains(&w.best.as_str()),
        "{after_update:?}"
    );
    assert_eq!(ids(&after_update)[0], w.second.as_str());
    let body = w
        .app
        .graphql_as(
            &w.staff,
            "mutation($i: EraseExpertInput!) { eraseExpert(input: $i) { erasedId userErrors { message } } }",
            json!({"i": {"id": w.second}}),
        )
        .await;
    assert_eq!(
        body["data"]["eraseExpert"]["erasedId"],
        w.second.as_str(),
        "{body}"
    );
    let after_erase = on_second().await;
    assert!(
        !ids(&after_erase).contains(&w.second.as_str()),
        "{after_erase:?}"
    );
    // A new expert added through the first server is suggested by the second at once.
    let newcomer = add_expert(
        &w.app,
        &w.staff,
        expert_input("Newcomer Sisouk", "LAO", |e| {
            e["assistanceTypes"] = json!(["TECHNICAL_EXPERTISE", "TRAINING"]);
            e["languages"] = json!(["FR"]);
            e["regions"] = json!(["AFRICA"]);
        }),
    )
    .await;
    assert_eq!(ids(&on_second().await)[0], newcomer.as_str());
    // A write around the services (a bulk edit, `psql`) is seen at once too.
    sea_orm::ConnectionTrait::execute_unprepared(
        &w.app.db,
        "UPDATE experts SET active = false WHERE full_name = 'Newcomer Sisouk'",
    )
    .await
    .expect("update around the services");
    assert!(
        !ids(&on_second().await).contains(&newcomer.as_str()),
        "a deactivated expert is no longer suggested"
    );
}
