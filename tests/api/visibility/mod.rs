//! What you can reach, you can read: on the demo data, with cooperation between three
//! States added over the API, each viewer walks the whole graph from every root field (the
//! walk is driven by the schema, see `walk`), and every ID it reaches must be one that
//! `node(id:)` returns to it. A delegation must never reach another State's unpublished
//! report, nor a need, offer or proposal of another State it is not party to, nor another
//! State's contact points and notifications or another user's in-app notices (checked
//! against the database, not against the API's own rule).

mod walk;

use std::collections::{BTreeMap, BTreeSet};

use entity::enums::{NotificationChannel, NotificationReason, ReportStatus};
use entity::{
    assistance_need, assistance_offer, contact_point, expert, match_proposal, notification,
    transparency_report, workplan,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;
use walk::{Args, Schema};

const DEMO_PASSWORD: &str = "demo-password-123";

const NEED: &str =
    "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id } userErrors { code message } } }";
const OFFER: &str =
    "mutation($input: CreateAssistanceOfferInput!) { createAssistanceOffer(input: $input) {
  offer { id } userErrors { code message } } }";
const PROPOSE: &str = "mutation($input: ProposeMatchInput!) { proposeMatch(input: $input) {
  proposal { id } userErrors { code message } } }";
const REPORT: &str =
    "mutation($input: CreateTransparencyReportInput!) { createTransparencyReport(input: $input) {
  report { id } userErrors { code message } } }";

async fn login(app: &TestApp, email: &str) -> String {
    token_of(&app.login(email, DEMO_PASSWORD).await)
}

/// Runs a mutation whose payload has `field` and `userErrors`; returns the written ID.
async fn write(
    app: &TestApp,
    token: &str,
    query: &str,
    input: Value,
    name: &str,
    field: &str,
) -> String {
    let body = app
        .graphql_as(token, query, json!({ "input": input }))
        .await;
    let payload = &body["data"][name];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    payload[field]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// A draft annual report of `code` for the latest year that has none yet.
async fn draft(app: &TestApp, token: &str, code: &str) -> String {
    for year in (2011..=2026).rev() {
        let input =
            json!({ "input": {"stateCode": code, "kind": "ANNUAL", "reportingYear": year} });
        let body = app.graphql_as(token, REPORT, input).await;
        if let Some(id) = body["data"]["createTransparencyReport"]["report"]["id"].as_str() {
            return id.to_owned();
        }
    }
    panic!("no year left for a draft report of {code}");
}

fn uuid_of(id: &str) -> Uuid {
    let (_, key) = ccm_isu::kernel::ids::decode_parts(id).expect("a global ID");
    Uuid::parse_str(&key).expect("a row's ID")
}

/// The cooperation the test adds: three States' needs and offers and proposals among them.
struct Cooperation {
    lao_need: String,
    lao_offer: String,
    irq_need: String,
    third_need: String,
    third_offer: String,
    /// AFG's need with AUT's offer: LAO and IRQ are party to neither side.
    third_proposal: String,
    /// LAO's need with AUT's offer.
    lao_proposal: String,
    /// IRQ's need with LAO's offer: both are party.
    shared_proposal: String,
    third_draft: String,
}

async fn cooperation(app: &TestApp, staff: &str, lao: &str, irq: &str) -> Cooperation {
    let need = |code: &str, area: &str, types: &[&str]| {
        json!({"stateCode": code, "thematicArea": area, "assistanceTypes": types,
               "title": format!("Visibility test need of {code}")})
    };
    // LAO's need is declared in its own draft report.
    let lao_draft = draft(app, lao, "LAO").await;
    let mut input = need("LAO", "CLEARANCE", &["FINANCIAL"]);
    input["sourceReportId"] = json!(lao_draft);
    let lao_need = write(app, lao, NEED, input, "createAssistanceNeed", "need").await;
    let irq_need = write(
        app,
        irq,
        NEED,
        need("IRQ", "VICTIM_ASSISTANCE", &["TRAINING"]),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let third_need = write(
        app,
        staff,
        NEED,
        need("AFG", "CLEARANCE", &["FINANCIAL"]),
        "createAssistanceNeed",
        "need",
    )
    .await;
    let offer = |code: &str, area: &str, types: &[&str]| {
        json!({"providerStateCode": code, "thematicAreas": [area], "assistanceTypes": types,
               "title": format!("Visibility test offer of {code}")})
    };
    let lao_offer = write(
        app,
        lao,
        OFFER,
        offer("LAO", "VICTIM_ASSISTANCE", &["TRAINING"]),
        "createAssistanceOffer",
        "offer",
    )
    .await;
    let mut input = offer("AUT", "CLEARANCE", &["FINANCIAL"]);
    input["targetStateCodes"] = json!(["LAO", "AFG"]);
    let third_offer = write(app, staff, OFFER, input, "createAssistanceOffer", "offer").await;
    let propose = |n: &str, o: &str| json!({"needId": n, "offerId": o});
    let third_proposal = write(
        app,
        staff,
        PROPOSE,
        propose(&third_need, &third_offer),
        "proposeMatch",
        "proposal",
    )
    .await;
    let lao_proposal = write(
        app,
        staff,
        PROPOSE,
        propose(&lao_need, &third_offer),
        "proposeMatch",
        "proposal",
    )
    .await;
    let shared_proposal = write(
        app,
        staff,
        PROPOSE,
        propose(&irq_need, &lao_offer),
        "proposeMatch",
        "proposal",
    )
    .await;
    let third_draft = draft(app, staff, "AFG").await;
    Cooperation {
        lao_need,
        lao_offer,
        irq_need,
        third_need,
        third_offer,
        third_proposal,
        lao_proposal,
        shared_proposal,
        third_draft,
    }
}

/// What a delegation of `own` may read of another State, by the database: checks each
/// reached report, need, offer and proposal; `candidates` are the offers its own needs'
/// `matches` show. Returns the IDs it had no business reaching.
async fn leaks(
    app: &TestApp,
    own: &str,
    me: Uuid,
    reached: &BTreeMap<String, (String, String)>,
    candidates: &BTreeSet<String>,
) -> Vec<String> {
    let db = &app.db;
    let mut out = Vec::new();
    for (id, (ty, via)) in reached {
        let key = || uuid_of(id);
        let ok = match ty.as_str() {
            "TransparencyReport" => {
                let r = transparency_report::Entity::find_by_id(key())
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap();
                r.status == ReportStatus::Published || r.state_code == own
            }
            "AssistanceNeed" => {
                let n = assistance_need::Entity::find_by_id(key())
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap();
                n.state_code == own
                    || party(app, own, match_proposal::Column::NeedId.eq(key())).await
            }
            "AssistanceOffer" => {
                let o = assistance_offer::Entity::find_by_id(key())
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap();
                o.provider_state_code.as_deref() == Some(own)
                    || candidates.contains(id)
                    || party(app, own, match_proposal::Column::OfferId.eq(key())).await
            }
            "MatchProposal" => party(app, own, match_proposal::Column::Id.eq(key())).await,
            "ContactPoint" => {
                let c = contact_point::Entity::find_by_id(key())
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap();
                c.state_code == own
            }
            // Its own in-app notices, and the emails to its own State's contact points.
            "Notification" => {
                let n = notification::Entity::find_by_id(key())
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap();
                match n.channel {
                    NotificationChannel::InApp => n.recipient_user_id == Some(me),
                    NotificationChannel::Email => match n.contact_point_id {
                        Some(c) => {
                            contact_point::Entity::find_by_id(c)
                                .one(db)
                                .await
                                .unwrap()
                                .unwrap()
                                .state_code
                                == own
                        }
                        None => false,
                    },
                }
            }
            // The roster's listed experts; the inactive ones are the ISU's alone.
            "Expert" => {
                expert::Entity::find_by_id(key())
                    .one(db)
                    .await
                    .unwrap()
                    .unwrap()
                    .active
            }
            _ => true,
        };
        if !ok {
            out.push(format!("{ty} {id} via {via}"));
        }
    }
    out
}

/// Whether a proposal meeting `filter` has a side of `own`'s.
async fn party(app: &TestApp, own: &str, filter: sea_orm::sea_query::SimpleExpr) -> bool {
    for p in match_proposal::Entity::find()
        .filter(filter)
        .all(&app.db)
        .await
        .unwrap()
    {
        let n = assistance_need::Entity::find_by_id(p.need_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let o = assistance_offer::Entity::find_by_id(p.offer_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        if n.state_code == own || o.provider_state_code.as_deref() == Some(own) {
            return true;
        }
    }
    false
}

/// The offers the matches of `own`'s needs show to its delegation.
async fn candidates(app: &TestApp, token: &str, own: &str) -> BTreeSet<String> {
    let body = app
        .graphql_as(
            token,
            "query($c: String) { assistanceNeeds(first: 20, filter: {stateCode: $c}) {
               edges { node { matches(first: 100) { offer { id } } } } } }",
            json!({ "c": own }),
        )
        .await;
    body["data"]["assistanceNeeds"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .flat_map(|e| e["node"]["matches"].as_array().unwrap().clone())
        .map(|m| m["offer"]["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A value of one of the demo plan's recorded indicators for `year`, recorded by ISU staff
/// (so that `recordedBy` has someone to show), and a next plan adopted at a demo meeting.
async fn action_plan_values(app: &TestApp, staff: &str, year: i32) {
    let plan = app
        .graphql(
            "query($y: Int) { currentActionPlan(year: $y) { actions { indicators { id unit computation } } } }",
            json!({"y": year}),
        )
        .await;
    let indicator = plan["data"]["currentActionPlan"]["actions"]
        .as_array()
        .unwrap_or_else(|| panic!("the demo has a plan in force in {year}: {plan}"))
        .iter()
        .flat_map(|a| a["indicators"].as_array().cloned().unwrap_or_default())
        .find(|i| i["computation"] == "RECORDED")
        .unwrap_or_else(|| panic!("the demo plan has a recorded indicator: {plan}"));
    let denominator = (indicator["unit"] == "PERCENT").then_some(2);
    let recorded = app
        .graphql_as(
            staff,
            "mutation($i: RecordIndicatorValueInput!) { recordIndicatorValue(input: $i) { userErrors { message } } }",
            json!({"i": {"indicatorId": indicator["id"], "year": year, "numerator": 1,
                         "denominator": denominator, "stateCodes": ["LAO"]}}),
        )
        .await;
    assert_eq!(
        recorded["data"]["recordIndicatorValue"]["userErrors"],
        json!([]),
        "{recorded}"
    );
    let meetings = app
        .graphql(
            "{ meetings(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let next = app
        .graphql_as(
            staff,
            "mutation($i: CreateActionPlanInput!) { createActionPlan(input: $i) { userErrors { message } } }",
            json!({"i": {"title": "Next action plan", "firstYear": 2027, "lastYear": 2031,
                         "adoptedAtMeetingId": meetings["data"]["meetings"]["edges"][0]["node"]["id"]}}),
        )
        .await;
    assert_eq!(
        next["data"]["createActionPlan"]["userErrors"],
        json!([]),
        "{next}"
    );
}

/// The contact points and notifications the test adds.
struct Notices {
    lao_contact: String,
    irq_contact: String,
    /// An email to LAO's contact point.
    lao_email: String,
    /// An email to IRQ's contact point.
    irq_email: String,
    /// LAO's delegate's in-app notice, about LAO.
    lao_notice: String,
    /// IRQ's delegate's in-app notice, about LAO (a match proposed to both).
    irq_notice: String,
    /// The coordinator's in-app notice, about LAO.
    coordinator_notice: String,
}

const CONTACT: &str = "mutation($input: AddContactPointInput!) { addContactPoint(input: $input) {
  contactPoint { id } userErrors { code message } } }";

/// The signed-in user's ID and email.
async fn me(app: &TestApp, token: &str) -> (Uuid, String) {
    let body = app
        .graphql_as(token, "{ me { id email } }", json!({}))
        .await;
    (
        uuid_of(body["data"]["me"]["id"].as_str().unwrap()),
        body["data"]["me"]["email"].as_str().unwrap().to_owned(),
    )
}

/// LAO's and IRQ's contact points (each added by its own delegation), an email to each,
/// and in-app notices about LAO for LAO's and IRQ's delegates and the coordinator.
async fn notices(app: &TestApp, lao: &str, irq: &str, coordinator: &str) -> Notices {
    use crate::notifications::{email_row, enqueue, in_app_row};
    let contact = |code: &str| {
        json!({"stateCode": code, "name": format!("Focal point of {code}"),
               "function": "ARTICLE_7_FOCAL_POINT",
               "email": format!("focal@{}.example.org", code.to_lowercase()),
               "language": "EN"})
    };
    let lao_contact = write(
        app,
        lao,
        CONTACT,
        contact("LAO"),
        "addContactPoint",
        "contactPoint",
    )
    .await;
    let irq_contact = write(
        app,
        irq,
        CONTACT,
        contact("IRQ"),
        "addContactPoint",
        "contactPoint",
    )
    .await;
    let (lao_user, lao_address) = me(app, lao).await;
    let (irq_user, irq_address) = me(app, irq).await;
    let (coordinator_user, coordinator_address) = me(app, coordinator).await;
    let reason = NotificationReason::DeadlineApproaching;
    enqueue(
        app,
        vec![
            email_row(
                "visibility|lao",
                reason,
                "LAO",
                uuid_of(&lao_contact),
                "focal@lao.example.org",
            ),
            email_row(
                "visibility|irq",
                reason,
                "IRQ",
                uuid_of(&irq_contact),
                "focal@irq.example.org",
            ),
            in_app_row("visibility|lao-user", Some("LAO"), lao_user, &lao_address),
            in_app_row("visibility|irq-user", Some("LAO"), irq_user, &irq_address),
            in_app_row(
                "visibility|coordinator",
                Some("LAO"),
                coordinator_user,
                &coordinator_address,
            ),
        ],
    )
    .await;
    let id = |key: &'static str| async move {
        let n = notification::Entity::find()
            .filter(notification::Column::DedupeKey.eq(key))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        ccm_isu::api::ids::encode("Notification", n.id).to_string()
    };
    Notices {
        lao_contact,
        irq_contact,
        lao_email: id("visibility|lao").await,
        irq_email: id("visibility|irq").await,
        lao_notice: id("visibility|lao-user").await,
        irq_notice: id("visibility|irq-user").await,
        coordinator_notice: id("visibility|coordinator").await,
    }
}

#[tokio::test]
async fn what_each_viewer_can_reach_it_can_read_and_delegations_reach_only_their_own() {
    // The walk's logins and queries run while the whole suite loads the machine: a longer
    // request timeout keeps a slow password hash from failing the test.
    let app = spawn_app_with(|s| s.request_timeout_secs = 300).await;
    crate::batching::seed_demo(&app);
    let admin = app.admin_token().await;
    let staff = login(&app, "isu.staff@demo.invalid").await;
    let lao = login(&app, "delegation.lao@demo.invalid").await;
    let irq = login(&app, "delegation.irq@demo.invalid").await;
    let coordinator = login(&app, "coordinator.clearance@demo.invalid").await;
    let c = cooperation(&app, &staff, &lao, &irq).await;
    let n = notices(&app, &lao, &irq, &coordinator).await;
    // An extension granted by a recorded decision, so that `DeadlineExtension.decision`
    // has one to show.
    let decisions = app
        .graphql_as(
            &admin,
            "{ decisions(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let decision = decisions["data"]["decisions"]["edges"][0]["node"]["id"].clone();
    let granted = app
        .graphql_as(
            &admin,
            "mutation($i: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $i) { userErrors { message } } }",
            json!({"i": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2035-08-01",
                         "grantedOn": "2026-09-10", "grantedAt": "DEMO 3RC", "decisionId": decision}}),
        )
        .await;
    assert_eq!(
        granted["data"]["recordDeadlineExtension"]["userErrors"],
        json!([]),
        "{granted}"
    );
    // Norway's records of annual reports begin after its report on 2025 fell due: it is
    // NOT_RECORDED, and `notRecordedStates` has a State to show.
    let imported = app
        .graphql_as(
            &admin,
            "mutation($i: ImportHistoryInput!) { importHistory(input: $i) { userErrors { message } } }",
            json!({"i": {"fileName": "nor.csv", "csv": "record,state,kind,since\nrecords_begin,NOR,annual,2026-05-01\n"}}),
        )
        .await;
    assert_eq!(
        imported["data"]["importHistory"]["userErrors"],
        json!([]),
        "{imported}"
    );

    // A good practice naming an inactive expert beside an active one: the ISU reaches the
    // inactive expert through it, nobody else does.
    let roster = expert::Entity::find().all(&app.db).await.unwrap();
    let inactive_expert = roster
        .iter()
        .find(|e| !e.active)
        .expect("an inactive demo expert");
    let active_expert = roster
        .iter()
        .find(|e| e.active)
        .expect("an active demo expert");
    let encode = |id: Uuid| ccm_isu::api::ids::encode("Expert", id).to_string();
    write(
        &app,
        &staff,
        "mutation($input: AddGoodPracticeInput!) { addGoodPractice(input: $input) {
           goodPractice { id } userErrors { code message } } }",
        json!({"title": "Visibility test practice", "area": "CLEARANCE", "stateCode": "LAO",
               "summary": "Names an inactive expert.",
               "expertIds": [encode(inactive_expert.id), encode(active_expert.id)]}),
        "addGoodPractice",
        "goodPractice",
    )
    .await;

    let year = workplan::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .map_or(2025, |w| w.year);
    action_plan_values(&app, &staff, year).await;
    let schema = Schema::introspect(&app, &admin).await;
    let args = Args {
        year,
        code: "LAO".into(),
    };
    let viewers: [(&str, Option<&str>); 6] = [
        ("anonymous", None),
        ("delegation LAO", Some(&lao)),
        ("delegation IRQ", Some(&irq)),
        ("coordinator", Some(&coordinator)),
        ("ISU staff", Some(&staff)),
        ("ISU admin", Some(&admin)),
    ];
    let mut covered = BTreeSet::new();
    let mut all = BTreeMap::new();
    let mut reached_by = BTreeMap::new();
    for (who, token) in viewers {
        let r = walk::walk(&app, token, &schema, &args).await;
        let ids: Vec<String> = r.ids.keys().cloned().collect();
        let unreadable = walk::unreadable(&app, token, &ids).await;
        assert!(
            unreadable.is_empty(),
            "{who} reaches what node(id:) refuses: {:?}",
            unreadable
                .iter()
                .map(|id| (id, &r.ids[id]))
                .collect::<Vec<_>>()
        );
        eprintln!(
            "{who}: {} paths, {} IDs, {} fields returned IDs",
            r.paths,
            r.ids.len(),
            r.coordinates.len()
        );
        // A walk that checks little is a defect: every viewer reads the registry at least.
        assert!(
            r.ids.len() >= 100 && r.paths >= 200,
            "{who}'s walk reached too little: {} IDs, {} paths",
            r.ids.len(),
            r.paths
        );
        covered.extend(r.coordinates.iter().cloned());
        all.extend(r.ids.clone());
        reached_by.insert(who, r.ids);
    }
    // Every field that can return a Node did, for some viewer: a new type or field without
    // data in this test fails here until the test gives it some.
    let expected = schema.coordinates();
    let missing: Vec<&String> = expected.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "fields the walk never saw return an ID: {missing:?}"
    );
    assert!(
        expected.len() >= 40,
        "the walk follows {} fields",
        expected.len()
    );

    // The root fields that read by ID agree with node(id:) for every viewer, on every ID
    // anyone reached.
    for (who, token) in viewers {
        let compared = walk::readers_agree(&app, token, &schema, &all).await;
        assert!(compared >= 20, "{who}: {compared} by-ID reads compared");
    }

    // Delegations: nothing of another State they are not party to.
    for (who, token, own) in [
        ("delegation LAO", &lao, "LAO"),
        ("delegation IRQ", &irq, "IRQ"),
    ] {
        let candidates = candidates(&app, token, own).await;
        let (user, _) = me(&app, token).await;
        let leaks = leaks(&app, own, user, &reached_by[who], &candidates).await;
        assert!(
            leaks.is_empty(),
            "{who} reaches what is not its own: {leaks:#?}"
        );
    }
    // The cases that make the check above meaningful were reached, or not, as they should.
    let lao_saw = &reached_by["delegation LAO"];
    for id in [
        &c.lao_need,
        &c.lao_offer,
        &c.irq_need,
        &c.third_offer,
        &c.lao_proposal,
        &c.shared_proposal,
    ] {
        assert!(lao_saw.contains_key(id), "LAO reaches {id}");
    }
    for id in [&c.third_need, &c.third_proposal, &c.third_draft] {
        assert!(
            !lao_saw.contains_key(id),
            "LAO does not reach {id}: {:?}",
            lao_saw.get(id)
        );
    }
    let irq_saw = &reached_by["delegation IRQ"];
    for id in [&c.irq_need, &c.lao_offer, &c.shared_proposal] {
        assert!(irq_saw.contains_key(id), "IRQ reaches {id}");
    }
    for id in [
        &c.lao_need,
        &c.lao_proposal,
        &c.third_need,
        &c.third_proposal,
        &c.third_draft,
    ] {
        assert!(
            !irq_saw.contains_key(id),
            "IRQ does not reach {id}: {:?}",
            irq_saw.get(id)
        );
    }
    let staff_saw = &reached_by["ISU staff"];
    for id in [&c.third_need, &c.third_proposal, &c.third_draft] {
        assert!(staff_saw.contains_key(id), "ISU staff reaches {id}");
    }
    assert!(
        !reached_by["coordinator"].contains_key(&c.third_draft),
        "a coordinator reads no draft"
    );

    // Contact points and notifications: a State's for the ISU and its own delegation; a
    // user's in-app notices for that user and the ISU; nothing of them for anyone else.
    for id in [&n.lao_contact, &n.lao_email, &n.lao_notice] {
        assert!(lao_saw.contains_key(id), "LAO reaches {id}");
    }
    for id in [
        &n.irq_contact,
        &n.irq_email,
        &n.irq_notice,
        &n.coordinator_notice,
    ] {
        assert!(
            !lao_saw.contains_key(id),
            "LAO does not reach {id}: {:?}",
            lao_saw.get(id)
        );
    }
    for id in [&n.irq_contact, &n.irq_email, &n.irq_notice] {
        assert!(irq_saw.contains_key(id), "IRQ reaches {id}");
    }
    for id in [
        &n.lao_contact,
        &n.lao_email,
        &n.lao_notice,
        &n.coordinator_notice,
    ] {
        assert!(
            !irq_saw.contains_key(id),
            "IRQ does not reach {id}: {:?}",
            irq_saw.get(id)
        );
    }
    let coordinator_saw = &reached_by["coordinator"];
    assert!(coordinator_saw.contains_key(&n.coordinator_notice));
    let (coordinator_user, _) = me(&app, &coordinator).await;
    for (id, (ty, via)) in coordinator_saw {
        if ty == "ContactPoint" {
            panic!("a coordinator reaches the contact point {id} via {via}");
        }
        if ty == "Notification" {
            let row = notification::Entity::find_by_id(uuid_of(id))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                row.recipient_user_id,
                Some(coordinator_user),
                "a coordinator reaches {id} via {via}"
            );
        }
    }
    assert!(
        !reached_by["anonymous"]
            .values()
            .any(|(ty, _)| ty == "ContactPoint"
                || ty == "Notification"
                || ty == "Expert"
                || ty == "GoodPractice"),
        "an anonymous caller reaches contact points, notifications or the resource base"
    );
    // The roster: its experts reached by every signed-in viewer, the inactive one by the ISU
    // alone; contact details never outside the ISU, on any path that shows an expert.
    let inactive = expert::Entity::find()
        .filter(expert::Column::Active.eq(false))
        .one(&app.db)
        .await
        .unwrap()
        .map(|e| ccm_isu::api::ids::encode("Expert", e.id).to_string())
        .expect("the demo roster has an inactive expert");
    assert!(
        staff_saw.contains_key(&inactive),
        "ISU staff reach {inactive}"
    );
    for who in ["delegation LAO", "delegation IRQ", "coordinator"] {
        assert!(
            reached_by[who].values().any(|(ty, _)| ty == "Expert"),
            "{who} reaches the roster"
        );
        assert!(
            !reached_by[who].contains_key(&inactive),
            "{who} does not reach the inactive expert"
        );
    }
    let contact_details = "{ experts(first: 100) { edges { node { email phone } } }
        goodPractices(first: 20) { edges { node { experts { email phone } } } }
        assistanceNeeds(first: 20) { edges { node {
          expertSuggestions(first: 10) { expert { email phone } } } } } }";
    for (who, token, isu) in [
        ("delegation LAO", &lao, false),
        ("coordinator", &coordinator, false),
        ("ISU staff", &staff, true),
    ] {
        let body = app.graphql_as(token, contact_details, json!({})).await;
        assert!(body["errors"].is_null(), "{who}: {body}");
        let text = body["data"].to_string();
        let shown = text.matches("\"email\":\"").count();
        if isu {
            assert!(shown > 0, "ISU staff read the experts' addresses: {text}");
        } else {
            assert!(
                shown == 0 && !text.contains("\"phone\":\""),
                "{who} reads an expert's contact details: {text}"
            );
        }
    }
    for id in [
        &n.lao_contact,
        &n.irq_contact,
        &n.lao_email,
        &n.irq_email,
        &n.lao_notice,
        &n.irq_notice,
        &n.coordinator_notice,
    ] {
        assert!(staff_saw.contains_key(id), "ISU staff reach {id}");
    }
}
