//! Day-one truth over HTTP: what fell due before the records begin is NOT_RECORDED, the
//! shipped history is loaded on first start, and a history file (tests/fixtures/history.csv)
//! makes the figures what it implies. Expected figures are worked out by hand from the
//! registry (data/states.csv), data/history.csv and the fixture; see each test.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::*;

const FIXTURE: &str = include_str!("../fixtures/history.csv");

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// Today 2026-12-06; the records begin on `since` (None: the day the database was
/// created, which is today).
async fn app_with_records_since(since: Option<&str>) -> TestApp {
    spawn_app_with(|s| {
        s.today = Some(date("2026-12-06"));
        s.records_since = since.map(date);
        s.shipped_history = true;
    })
    .await
}

const OVERDUE: &str = "{ overdueObligations(first: 100) { totalCount edges { node {
    kind reportingYear dueDate status state { code } } } } }";

/// `overdueObligations` as (code, kind, year, due date).
async fn overdue(app: &TestApp) -> Vec<(String, String, Option<i64>, String)> {
    let body = app.graphql(OVERDUE, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    let conn = &body["data"]["overdueObligations"];
    let list: Vec<_> = conn["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let n = &e["node"];
            assert_eq!(n["status"], "OVERDUE");
            (
                n["state"]["code"].as_str().expect("code").to_owned(),
                n["kind"].as_str().expect("kind").to_owned(),
                n["reportingYear"].as_i64(),
                n["dueDate"].as_str().expect("due").to_owned(),
            )
        })
        .collect();
    assert_eq!(conn["totalCount"].as_u64(), Some(list.len() as u64));
    list
}

fn row(
    code: &str,
    kind: &str,
    year: Option<i64>,
    due: &str,
) -> (String, String, Option<i64>, String) {
    (code.into(), kind.into(), year, due.into())
}

const IMPORT: &str = "mutation($input: ImportHistoryInput!) { importHistory(input: $input) {
    import { sha256 lines
      reports { created updated unchanged } extensions { created updated unchanged }
      completions { created updated unchanged } recordsBegin { created updated unchanged } }
    userErrors { code field message } } }";

async fn import(app: &TestApp, token: &str, csv: &str) -> Value {
    let body = app
        .graphql_as(
            token,
            IMPORT,
            json!({"input": {"fileName": "history.csv", "csv": csv}}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["importHistory"].clone()
}

fn counts(v: &Value) -> (i64, i64, i64) {
    (
        v["created"].as_i64().expect("created"),
        v["updated"].as_i64().expect("updated"),
        v["unchanged"].as_i64().expect("unchanged"),
    )
}

#[tokio::test]
async fn a_fresh_install_calls_nothing_overdue_that_fell_due_before_it() {
    // The records begin the day the database was created (today): everything due before is
    // unknown, so nothing is overdue, however much fell due since 2010.
    let app = app_with_records_since(None).await;
    assert_eq!(overdue(&app).await, vec![]);
    let body = app
        .graphql(
            "{ stateParty(code: \"LAO\") {
                obligations(status: [NOT_RECORDED], kinds: [INITIAL_TRANSPARENCY_REPORT]) { status }
                recordCoverage { kind completeSince source notRecorded } } }",
            json!({}),
        )
        .await;
    let lao = &body["data"]["stateParty"];
    assert_eq!(lao["obligations"][0]["status"], "NOT_RECORDED", "{body}");
    let coverage = lao["recordCoverage"].as_array().expect("coverage");
    assert_eq!(coverage.len(), 4);
    for c in coverage {
        assert_eq!(c["completeSince"], "2026-12-06", "{c}");
        assert_eq!(c["source"], "DEPLOYMENT");
    }
    // Lao PDR (in force 2010-08-01) owed its initial report and the reports on 2010–2025:
    // 17 not recorded; its clearance, extended to 2025-08-01 by the shipped history, too.
    assert_eq!(coverage[0]["notRecorded"], 1);
    assert_eq!(coverage[1]["notRecorded"], 16);
    assert_eq!(coverage[2]["notRecorded"], 0);
    assert_eq!(coverage[3]["notRecorded"], 1);
}

#[tokio::test]
async fn overdue_lists_only_what_fell_due_after_the_records_begin() {
    // Records since 2026-06-01. Due between then and today (2026-12-06), with the shipped
    // history: Chile's clearance (extended to 2026-06-01, the first day: within the
    // records), Vanuatu's initial report (in force 2026-03-01, due 180 days later,
    // 2026-08-28) and Chad's clearance (extended to 2026-10-01). Lebanon's clearance
    // (2026-05-01) and every annual report due 2026-04-30 fell due before: NOT_RECORDED.
    let app = app_with_records_since(Some("2026-06-01")).await;
    assert_eq!(
        overdue(&app).await,
        vec![
            row("CHL", "CLEARANCE", None, "2026-06-01"),
            row("VUT", "INITIAL_TRANSPARENCY_REPORT", None, "2026-08-28"),
            row("TCD", "CLEARANCE", None, "2026-10-01"),
        ]
    );
    let body = app
        .graphql(
            "{ stateParty(code: \"LBN\") { obligations(kinds: [CLEARANCE]) { status dueDate extended } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["stateParty"]["obligations"][0],
        json!({"status": "NOT_RECORDED", "dueDate": "2026-05-01", "extended": true})
    );
    // The calendar announces what is open, never what is not recorded.
    let ics = app
        .client
        .get(format!("{}/calendar/all.ics", app.base))
        .send()
        .await
        .expect("calendar")
        .text()
        .await
        .expect("text");
    assert!(ics.contains("UID:TCD-CLEARANCE@ccm-isu"), "{ics}");
    assert!(!ics.contains("UID:LBN-CLEARANCE@ccm-isu"));
    assert!(!ics.contains("UID:LAO-ANNUAL_TRANSPARENCY_REPORT-2025@ccm-isu"));
}

#[tokio::test]
async fn the_shipped_history_is_loaded_on_first_start_with_its_sources() {
    let app = app_with_records_since(Some("2026-06-01")).await;
    let body = app
        .graphql(
            "{ bgr: stateParty(code: \"BGR\") {
                 extensions { previousDeadline newDeadline grantedOn grantedAt imported precision
                   grantedOnPrecision confidence sources }
                 obligations(kinds: [STOCKPILE_DESTRUCTION]) { status dueDate fulfilledOn } }
               nor: stateParty(code: \"NOR\") {
                 clearanceCompletedOn
                 importedCompletions { kind completedOn precision declared confidence } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let bgr = &body["data"]["bgr"];
    let ext = bgr["extensions"].as_array().expect("extensions");
    assert_eq!(ext.len(), 3, "{bgr}");
    assert_eq!(ext[1]["grantedAt"], "2RC");
    assert_eq!(ext[1]["grantedOnPrecision"], "approximate");
    assert_eq!(ext[1]["imported"], true);
    assert_eq!(ext[1]["confidence"], "reported");
    assert_eq!(ext[1]["sources"].as_array().map(Vec::len), Some(3));
    // Bulgaria holds no stockpiles by the registry's flags: its extensions show it owed
    // destruction, completed 2023-06-30 before the deadline in force (2023-12-31).
    assert_eq!(
        bgr["obligations"][0],
        json!({"status": "MET", "dueDate": "2023-12-31", "fulfilledOn": "2023-06-30"})
    );
    let nor = &body["data"]["nor"];
    assert_eq!(nor["clearanceCompletedOn"], "2013-09-30");
    assert_eq!(
        nor["importedCompletions"].as_array().map(Vec::len),
        Some(2),
        "{nor}"
    );
}

#[tokio::test]
async fn importing_a_history_makes_the_figures_what_it_implies() {
    let app = app_with_records_since(Some("2026-06-01")).await;
    let admin = app.admin_token().await;
    let entries = app.audit_entries().await;
    let first = import(&app, &admin, FIXTURE).await;
    assert_eq!(first["userErrors"], json!([]), "{first}");
    let summary = &first["import"];
    assert_eq!(summary["lines"], 21);
    // Lao PDR: the initial report and 14 annual ones (2010–2025 but 2016 and 2019); South
    // Sudan: the initial report and 2024's.
    assert_eq!(counts(&summary["reports"]), (17, 0, 0));
    assert_eq!(counts(&summary["extensions"]), (1, 0, 0));
    // Montenegro's clearance, shipped as 2020-12-31 (year), refined to 2020-07-31.
    assert_eq!(counts(&summary["completions"]), (0, 1, 0));
    // Lao PDR: all four kinds; South Sudan: annual reports.
    assert_eq!(counts(&summary["recordsBegin"]), (5, 0, 0));
    assert_eq!(app.audit_entries().await, entries + 1, "one entry per file");
    let sha = summary["sha256"].as_str().expect("sha").to_owned();
    let audit = app
        .graphql_as(
            &admin,
            "{ auditLog(first: 1) { edges { node { action entityType entityId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditLog"]["edges"][0]["node"],
        json!({"action": "importHistory", "entityType": "HistoryImport", "entityId": sha}),
        "{audit}"
    );

    // Lao PDR's records are complete from entry into force: its missing reports on 2016 and
    // 2019 are overdue. South Sudan's annual reports are complete from 2024-02-01: 2025's
    // (due 2026-04-30) is overdue; before the file it was not recorded.
    assert_eq!(
        overdue(&app).await,
        vec![
            row(
                "LAO",
                "ANNUAL_TRANSPARENCY_REPORT",
                Some(2016),
                "2017-04-30"
            ),
            row(
                "LAO",
                "ANNUAL_TRANSPARENCY_REPORT",
                Some(2019),
                "2020-04-30"
            ),
            row(
                "SSD",
                "ANNUAL_TRANSPARENCY_REPORT",
                Some(2025),
                "2026-04-30"
            ),
            row("CHL", "CLEARANCE", None, "2026-06-01"),
            row("VUT", "INITIAL_TRANSPARENCY_REPORT", None, "2026-08-28"),
            row("TCD", "CLEARANCE", None, "2026-10-01"),
        ]
    );
    let body = app
        .graphql_as(
            &admin,
            "{ stateParty(code: \"LAO\") {
                 obligations(kinds: [CLEARANCE, INITIAL_TRANSPARENCY_REPORT]) { kind status dueDate fulfilledOn }
                 recordCoverage { kind completeSince source notRecorded }
                 transparencyReports(first: 20) { edges { node { reportingYear status imported publishedUrl onTime } } } }
               reportingCompliance(year: 2025) { statesRequired submitted submittedOnTime
                 complianceRate onTimeRate missing { code } notRecorded notRecordedStates { code } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let lao = &body["data"]["stateParty"];
    assert_eq!(
        lao["obligations"],
        json!([
            {"kind": "INITIAL_TRANSPARENCY_REPORT", "status": "MET", "dueDate": "2011-01-28", "fulfilledOn": "2011-01-20"},
            {"kind": "CLEARANCE", "status": "UPCOMING", "dueDate": "2030-08-01", "fulfilledOn": null},
        ])
    );
    for c in lao["recordCoverage"].as_array().expect("coverage") {
        assert_eq!(
            (&c["completeSince"], &c["source"], &c["notRecorded"]),
            (&json!("2010-08-01"), &json!("IMPORTED"), &json!(0)),
            "{c}"
        );
    }
    let reports: Vec<&Value> = lao["transparencyReports"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .collect();
    let of_year = |y: i64| {
        reports
            .iter()
            .find(|r| r["reportingYear"] == y)
            .copied()
            .cloned()
            .unwrap_or_else(|| panic!("no report on {y}: {reports:?}"))
    };
    assert_eq!(
        of_year(2025),
        json!({"reportingYear": 2025, "status": "SUBMITTED", "imported": true, "publishedUrl": null, "onTime": false})
    );
    assert_eq!(
        of_year(2024),
        json!({"reportingYear": 2024, "status": "PUBLISHED", "imported": true,
               "publishedUrl": "https://www.clusterconvention.org/files/article7/LAO-2024.pdf", "onTime": true})
    );
    // The reports on 2025 were due 2026-04-30, before the records begin, except where a
    // file says otherwise: Lao PDR submitted (late), South Sudan did not; every other
    // State's is not recorded. The rates are over the two whose records tell.
    let c = &body["data"]["reportingCompliance"];
    let required = c["statesRequired"].as_i64().expect("required");
    assert!(required > 100, "{c}");
    assert_eq!(c["submitted"], 1);
    assert_eq!(c["submittedOnTime"], 0);
    assert_eq!(c["missing"], json!([{"code": "SSD"}]));
    assert_eq!(c["notRecorded"].as_i64(), Some(required - 2));
    assert_eq!(
        c["notRecordedStates"].as_array().map(Vec::len),
        Some((required - 2) as usize)
    );
    assert_eq!(c["complianceRate"], 0.5);
    assert_eq!(c["onTimeRate"], 0.0);

    // The export says the same.
    let csv = app
        .client
        .get(format!("{}/exports/compliance/2025.csv", app.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("text");
    let status_of = |code: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{code},")))
            .and_then(|l| l.split(',').nth(5))
            .map(str::to_owned)
    };
    assert_eq!(status_of("SSD").as_deref(), Some("MISSING"));
    assert_eq!(status_of("LAO").as_deref(), Some("SUBMITTED"));
    assert_eq!(status_of("NOR").as_deref(), Some("NOT_RECORDED"));

    // The same file again changes nothing and records nothing.
    let again = import(&app, &admin, FIXTURE).await;
    assert_eq!(again["userErrors"], json!([]));
    let summary = &again["import"];
    assert_eq!(summary["sha256"], sha.as_str());
    assert_eq!(counts(&summary["reports"]), (0, 0, 17));
    assert_eq!(counts(&summary["extensions"]), (0, 0, 1));
    assert_eq!(counts(&summary["completions"]), (0, 0, 1));
    assert_eq!(counts(&summary["recordsBegin"]), (0, 0, 5));
    assert_eq!(app.audit_entries().await, entries + 1);
    assert_eq!(overdue(&app).await.len(), 6);
}

#[tokio::test]
async fn a_file_with_bad_lines_is_refused_whole_with_every_line_named() {
    let app = app_with_records_since(Some("2026-06-01")).await;
    let admin = app.admin_token().await;
    let entries = app.audit_entries().await;
    let csv = concat!(
        "record,state,kind,year,submitted_on,previous_deadline,new_deadline,granted_on,granted_at,completed_on\n",
        "report,LAO,annual,2015,2016-04-29,,,,,\n",
        "report,XXX,annual,2015,2016-04-29,,,,,\n",
        "report,SSD,initial,,2023-12-01,,,,,\n",
        "report,LAO,annual,2015,2016-05-02,,,,,\n",
        "extension,CHL,clearance,,,2026-06-01,2026-06-01,2025-09-01,13MSP,\n",
        "extension,SSD,clearance,,,2034-02-01,2036-02-01,2023-09-01,11MSP,\n",
        "completion,TCD,clearance,,,,,,,2027-01-01\n",
        "report,LAO,annual,2016,2017-02-30,,,,,\n",
        "report,LAO,semiannual,2016,2017-04-30,,,,,\n",
    );
    let refused = import(&app, &admin, csv).await;
    assert!(refused["import"].is_null(), "{refused}");
    let errors: Vec<(String, Vec<String>)> = refused["userErrors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["code"].as_str().expect("code").to_owned(),
                e["field"]
                    .as_array()
                    .expect("field")
                    .iter()
                    .map(|f| f.as_str().expect("part").to_owned())
                    .collect(),
            )
        })
        .collect();
    let at = |code: &str, line: &str, column: &str| {
        (
            code.to_owned(),
            vec![
                "input".to_owned(),
                "csv".to_owned(),
                line.to_owned(),
                column.to_owned(),
            ],
        )
    };
    // The file's own faults first: a malformed date, an unknown kind, a deadline not
    // moved, a completion ahead of today. Nothing else is checked until they are fixed.
    assert_eq!(
        errors,
        vec![
            at("INVALID_INPUT", "6", "new_deadline"),
            at("INVALID_INPUT", "8", "completed_on"),
            at("INVALID_INPUT", "9", "submitted_on"),
            at("INVALID_INPUT", "10", "kind"),
        ],
        "{refused}"
    );
    assert!(
        refused["userErrors"][0]["message"]
            .as_str()
            .expect("message")
            .starts_with("line 6, new_deadline:")
    );

    // Fixed, what needs the registry: an unknown State, a report before entry into force
    // (South Sudan: 2024-02-01), the same report twice, an extension granted before entry
    // into force.
    let csv = concat!(
        "record,state,kind,year,submitted_on,previous_deadline,new_deadline,granted_on,granted_at\n",
        "report,LAO,annual,2015,2016-04-29,,,,\n",
        "report,XXX,annual,2015,2016-04-29,,,,\n",
        "report,SSD,initial,,2023-12-01,,,,\n",
        "report,LAO,annual,2015,2016-05-02,,,,\n",
        "extension,SSD,clearance,,,2034-02-01,2036-02-01,2023-09-01,11MSP\n",
    );
    let refused = import(&app, &admin, csv).await;
    let fields: Vec<(Value, Value)> = refused["userErrors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| (e["code"].clone(), e["field"].clone()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (json!("NOT_FOUND"), json!(["input", "csv", "3", "state"])),
            (
                json!("INVALID_INPUT"),
                json!(["input", "csv", "4", "submitted_on"])
            ),
            (json!("INVALID_INPUT"), json!(["input", "csv", "5", "year"])),
            (
                json!("INVALID_INPUT"),
                json!(["input", "csv", "6", "granted_on"])
            ),
        ],
        "{refused}"
    );
    assert!(
        refused["userErrors"][2]["message"]
            .as_str()
            .expect("message")
            .contains("already on line 2")
    );
    // Nothing was written: no report, no audit entry; the good line did not land alone.
    assert_eq!(app.audit_entries().await, entries);
    let body = app
        .graphql_as(
            &admin,
            "{ stateParty(code: \"LAO\") { transparencyReports(first: 1) { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["stateParty"]["transparencyReports"]["totalCount"],
        0
    );
}

#[tokio::test]
async fn only_an_administrator_imports_history() {
    let app = app_with_records_since(Some("2026-06-01")).await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let refused = import(&app, &staff, FIXTURE).await;
    assert_eq!(codes(&refused), ["FORBIDDEN"]);
    let anonymous = app
        .graphql(
            IMPORT,
            json!({"input": {"fileName": "h.csv", "csv": FIXTURE}}),
        )
        .await;
    assert_eq!(
        codes(&anonymous["data"]["importHistory"]),
        ["UNAUTHENTICATED"]
    );
}
