//! Importing an action plan from a CSV file (README, "Action plans: import"), through the
//! domain function and the command line: the plan, its actions and indicators read back over
//! GraphQL; a file with any bad line is refused whole with every line named; importing the
//! same file again changes nothing and records nothing; a plan already there is added to,
//! never changed.

use std::process::{Command, Output};

use ccm_isu::domain::action_plan::import::{self, PlanHeading, Summary};
use ccm_isu::kernel::error::{Refusal, ServiceError};
use entity::audit_entry;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

const HEADER: &str = "section,action_number,action_text,indicator_code,indicator_text,unit,computation,population,baseline_year,baseline,target\n";

/// Two actions, three indicators, and an action without indicators.
const GOOD: &str = "section,action_number,action_text,indicator_code,indicator_text,unit,computation,population,baseline_year,baseline,target
Universalization,10,SAMPLE text: join.,10.1,SAMPLE text: new States parties.,COUNT,NEW_STATES_PARTIES,States not party,,,12
Transparency measures,44,\"SAMPLE text: report,
on time.\",44.1,SAMPLE text: reports on time.,PERCENT,ANNUAL_REPORTS_ON_TIME,States parties with a report due,2020,40.5,100
Transparency measures,44,\"SAMPLE text: report,
on time.\",44.2,SAMPLE text: reports using the guide.,PERCENT,RECORDED,,2020,50,90

Cross-cutting actions,9,SAMPLE text: promote.,,,,,,,,
";

fn heading(title: &str) -> PlanHeading {
    PlanHeading {
        title: title.into(),
        first_year: 2021,
        last_year: 2026,
    }
}

async fn import(app: &TestApp, title: &str, csv: &str) -> Result<Summary, ServiceError> {
    import::import(
        &app.db,
        None,
        "importActionPlan",
        &heading(title),
        "plan.csv",
        csv,
    )
    .await
}

fn refusals(result: Result<Summary, ServiceError>) -> Vec<Refusal> {
    match result {
        Err(ServiceError::Refused(r)) => r,
        other => panic!("refused: {other:?}"),
    }
}

/// Every plan's title and years, and the actions and indicators of the plan of 2023 (one
/// plan's, to keep within the query cost limit).
const PLANS: &str = "{ actionPlans { title firstYear lastYear }
    currentActionPlan(year: 2023) { sections actions { number section text
      indicators { code text unit computation population baselineYear baseline target } } } }";

async fn plans(app: &TestApp) -> Value {
    let body = app.graphql(PLANS, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"].clone()
}

/// What [`plans`] reads when there is none.
fn no_plan() -> Value {
    json!({"actionPlans": [], "currentActionPlan": null})
}

/// The audit entries an import wrote.
async fn import_entries(app: &TestApp) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("importActionPlan"))
        .all(&app.db)
        .await
        .expect("entries")
}

#[tokio::test]
async fn a_file_becomes_a_plan_with_its_actions_and_indicators_once() {
    let app = spawn_app().await;
    let before = app.audit_entries().await;
    let s = import(&app, "Lausanne Action Plan", GOOD)
        .await
        .expect("imported");
    assert!(s.plan_created && s.changed());
    assert_eq!((s.rows, s.actions.created, s.indicators.created), (4, 3, 3));
    let plan = plans(&app).await;
    assert_eq!(
        plan,
        json!({
            "actionPlans": [{"title": "Lausanne Action Plan", "firstYear": 2021, "lastYear": 2026}],
            "currentActionPlan": {
            "sections": ["Cross-cutting actions", "Universalization", "Transparency measures"],
            "actions": [
                {"number": 9, "section": "Cross-cutting actions", "text": "SAMPLE text: promote.",
                 "indicators": []},
                {"number": 10, "section": "Universalization", "text": "SAMPLE text: join.",
                 "indicators": [{"code": "10.1", "text": "SAMPLE text: new States parties.",
                   "unit": "COUNT", "computation": "NEW_STATES_PARTIES",
                   "population": "States not party", "baselineYear": null, "baseline": null,
                   "target": 12.0}]},
                {"number": 44, "section": "Transparency measures",
                 "text": "SAMPLE text: report,\non time.",
                 "indicators": [
                   {"code": "44.1", "text": "SAMPLE text: reports on time.", "unit": "PERCENT",
                    "computation": "ANNUAL_REPORTS_ON_TIME",
                    "population": "States parties with a report due", "baselineYear": 2020,
                    "baseline": 40.5, "target": 100.0},
                   {"code": "44.2", "text": "SAMPLE text: reports using the guide.",
                    "unit": "PERCENT", "computation": "RECORDED", "population": null,
                    "baselineYear": 2020, "baseline": 50.0, "target": 90.0}]}
            ]
        }})
    );
    // One entry for the whole file: its SHA-256 and the counts.
    assert_eq!(app.audit_entries().await, before + 1);
    let entries = import_entries(&app).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity_type, "ActionPlanImport");
    assert_eq!(entries[0].entity_id, s.sha256);
    assert_eq!(entries[0].actor_id, None);
    let after: Value =
        serde_json::from_str(entries[0].after.as_deref().expect("after")).expect("json");
    assert_eq!(after["summary"]["indicators"]["created"], 3, "{after}");
    assert_eq!(after["file"], "plan.csv");

    // Again: nothing changes, nothing is recorded.
    let again = import(&app, "Lausanne Action Plan", GOOD)
        .await
        .expect("again");
    assert!(!again.changed());
    assert_eq!(again.sha256, s.sha256);
    assert_eq!(again.plan_id, s.plan_id);
    assert_eq!(
        (again.actions.unchanged, again.indicators.unchanged),
        (3, 3)
    );
    assert_eq!(app.audit_entries().await, before + 1);
    assert_eq!(plans(&app).await, plan);
}

#[tokio::test]
async fn any_bad_line_refuses_the_file_whole_and_names_each_line() {
    let app = spawn_app().await;
    let before = app.audit_entries().await;
    let rows = [
        "S,1,SAMPLE text: one.,1.1,SAMPLE text.,PERCENT,RECORDED,,,,", // line 2: good
        "S,1,SAMPLE text: one.,1.2,SAMPLE text.,PERCENTAGE,RECORDED,,,,", // 3: bad unit
        "S,1,SAMPLE text: one.,1.3,SAMPLE text.,COUNT,GUESSED,,,,",    // 4: unknown computation
        "S,2,SAMPLE text: two.,1.1,SAMPLE text.,COUNT,RECORDED,,,,",   // 5: code on line 2
        "S,1,SAMPLE text: uno.,1.4,SAMPLE text.,COUNT,RECORDED,,,,",   // 6: action 1's text
        "S,3,SAMPLE text: three.,3.1,SAMPLE text.,COUNT,RECORDED,,2020,forty,", // 7: baseline
        "S,4,SAMPLE text: four.,4.1,SAMPLE text.,COUNT,RECORDED,,2020,10", // 8: a column short
    ];
    let csv = format!("{HEADER}{}\n", rows.join("\n"));
    let refused = refusals(import(&app, "Lausanne Action Plan", &csv).await);
    let found: Vec<(String, &str)> = refused
        .iter()
        .map(|r| {
            (
                r.field.clone().unwrap_or_default().join("."),
                r.message.as_str(),
            )
        })
        .collect();
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "input.csv.3.unit",
            "input.csv.4.computation",
            "input.csv.5.indicator_code",
            "input.csv.6.action_text",
            "input.csv.7.baseline",
            "input.csv.8.file",
        ],
        "{found:?}"
    );
    for (line, (_, message)) in (3..).zip(&found) {
        assert!(message.starts_with(&format!("line {line}: ")), "{message}");
    }
    assert!(
        found[0]
            .1
            .contains("`PERCENTAGE` is not one of PERCENT, COUNT")
    );
    assert!(found[1].1.contains("`GUESSED` is not one of RECORDED, "));
    assert_eq!(found[2].1, "line 5: indicator 1.1 is already on line 2");
    assert!(found[3].1.contains("differs from action 1's on line 2"));
    assert!(found[4].1.contains("`forty` is not a number"));
    assert!(found[5].1.contains("has 10 columns; the header has 11"));
    // Nothing at all: not even the plan.
    assert_eq!(plans(&app).await, no_plan());
    assert_eq!(app.audit_entries().await, before);

    // The plan's own fields are checked as createActionPlan checks them.
    let refused = refusals(
        import::import(
            &app.db,
            None,
            "importActionPlan",
            &PlanHeading {
                title: " ".into(),
                first_year: 2026,
                last_year: 2021,
            },
            "plan.csv",
            GOOD,
        )
        .await,
    );
    let fields: Vec<_> = refused.iter().map(|r| r.field.clone()).collect();
    assert_eq!(
        fields,
        [
            Some(vec!["input".to_owned(), "title".to_owned()]),
            Some(vec!["input".to_owned(), "lastYear".to_owned()]),
        ]
    );
    assert_eq!(plans(&app).await, no_plan());
}

#[tokio::test]
async fn a_plan_already_there_is_added_to_and_never_changed() {
    let app = spawn_app().await;
    // Built through the API's mutations, as a client would, then completed from a file.
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app
        .graphql_as(
            &staff,
            "mutation($i: CreateActionPlanInput!) { createActionPlan(input: $i) { actionPlan { id } } }",
            json!({"i": {"title": "Lausanne Action Plan", "firstYear": 2021, "lastYear": 2026}}),
        )
        .await;
    let plan = body["data"]["createActionPlan"]["actionPlan"]["id"].clone();
    let body = app
        .graphql_as(
            &staff,
            "mutation($i: AddPlanActionInput!) { addPlanAction(input: $i) { action { id } } }",
            json!({"i": {"planId": plan, "number": 10, "section": "Universalization",
                         "text": "SAMPLE text: join."}}),
        )
        .await;
    let action = body["data"]["addPlanAction"]["action"]["id"].clone();
    let body = app
        .graphql_as(
            &staff,
            "mutation($i: AddActionIndicatorInput!) { addActionIndicator(input: $i) { indicator { id } } }",
            json!({"i": {"actionId": action, "code": "10.1", "text": "SAMPLE text: new States parties.",
                         "unit": "COUNT", "computation": "NEW_STATES_PARTIES",
                         "population": "States not party", "target": 12}}),
        )
        .await;
    assert!(
        body["data"]["addActionIndicator"]["indicator"]["id"].is_string(),
        "{body}"
    );
    let s = import(&app, "Lausanne Action Plan", GOOD)
        .await
        .expect("imported");
    assert!(!s.plan_created);
    assert_eq!((s.actions.created, s.actions.unchanged), (2, 1));
    assert_eq!((s.indicators.created, s.indicators.unchanged), (2, 1));
    let all = plans(&app).await;
    assert_eq!(all["actionPlans"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        all["currentActionPlan"]["actions"].as_array().map(Vec::len),
        Some(3)
    );

    // A file that gives an indicator already there otherwise is refused at its line.
    let before = app.audit_entries().await;
    let changed = GOOD.replace(
        "States not party,,,12",
        "States not party,,,15\nUniversalization,10,SAMPLE text: join.,10.2,SAMPLE text: more.,COUNT,RECORDED,,,,",
    );
    let refused = refusals(import(&app, "Lausanne Action Plan", &changed).await);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(
        refused[0].field,
        Some(["input", "csv", "2", "target"].map(str::to_owned).to_vec())
    );
    assert!(
        refused[0]
            .message
            .starts_with("line 2: indicator 10.1 is already in the plan with another `target`"),
        "{refused:?}"
    );
    // And so is an action given another text.
    let refused = refusals(
        import(
            &app,
            "Lausanne Action Plan",
            &GOOD.replace("SAMPLE text: promote.", "SAMPLE text: advocate."),
        )
        .await,
    );
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0]
            .message
            .starts_with("line 8: action 9 is already in the plan with another `action_text`"),
        "{refused:?}"
    );
    assert_eq!(app.audit_entries().await, before, "nothing written");
    assert_eq!(plans(&app).await, all);

    // A plan over these years under another title, or other years, is not this file's.
    for (title, first, last) in [
        ("Another plan", 2021, 2026),
        ("Lausanne Action Plan", 2024, 2028),
    ] {
        let refused = refusals(
            import::import(
                &app.db,
                None,
                "importActionPlan",
                &PlanHeading {
                    title: title.into(),
                    first_year: first,
                    last_year: last,
                },
                "plan.csv",
                GOOD,
            )
            .await,
        );
        assert!(
            refused[0]
                .message
                .starts_with("The years overlap Lausanne Action Plan (2021–2026)"),
            "{refused:?}"
        );
    }
    assert_eq!(app.audit_entries().await, before);
}

fn cli(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm-isu"))
        .args(args)
        .env("DATABASE_URL", &app.url)
        .env_remove("ISU_USER_PASSWORD")
        .env_remove("ISU_JWT_SECRET")
        .env_remove("ISU_ENV")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ccm-isu runs")
}

#[tokio::test]
async fn the_command_line_imports_a_file_once_and_refuses_a_bad_one_whole() {
    // The command line writes to the server's database file: no reminder planner of the
    // server writes beside it (on SQLite, a second writer can meet "database is locked").
    let app = spawn_app_with(|s| s.mail.reminders = false).await;
    let dir = std::env::temp_dir();
    let good = dir.join(format!("ccm-isu-plan-{}.csv", uuid::Uuid::now_v7()));
    let bad = dir.join(format!("ccm-isu-bad-plan-{}.csv", uuid::Uuid::now_v7()));
    std::fs::write(&good, GOOD).expect("write");
    std::fs::write(
        &bad,
        format!("{HEADER}S,1,SAMPLE text.,1.1,SAMPLE text.,PERCENT,RECORDED,,,,\nS,2,SAMPLE text.,2.1,SAMPLE text.,PERCENT,RECORDED,,,120,\n"),
    )
    .expect("write");
    let run = |file: &std::path::Path| {
        cli(
            &app,
            &[
                "action-plan",
                "import",
                file.to_str().expect("path"),
                "--title",
                "Lausanne Action Plan",
                "--first-year",
                "2021",
                "--last-year",
                "2026",
            ],
        )
    };
    let entries = app.audit_entries().await;
    let refused = run(&bad);
    let stderr = String::from_utf8_lossy(&refused.stderr).into_owned();
    assert!(!refused.status.success());
    assert!(
        stderr.contains("line 3: `baseline` must be a number from 0 to 100."),
        "{stderr}"
    );
    assert_eq!(app.audit_entries().await, entries, "nothing written");
    assert_eq!(plans(&app).await, no_plan());

    let out = run(&good);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "4 rows; plan \"Lausanne Action Plan\" 2021–2026 created; actions 3 created, 0 unchanged; indicators 3 created, 0 unchanged"
        ),
        "{stdout}"
    );
    let again = run(&good);
    let stdout = String::from_utf8_lossy(&again.stdout).into_owned();
    let _ = std::fs::remove_file(&good);
    let _ = std::fs::remove_file(&bad);
    assert!(again.status.success());
    assert!(
        stdout.contains("already there; actions 0 created, 3 unchanged; indicators 0 created, 3 unchanged (nothing changed)"),
        "{stdout}"
    );
    assert_eq!(app.audit_entries().await, entries + 1);
    assert_eq!(import_entries(&app).await.len(), 1);
}
