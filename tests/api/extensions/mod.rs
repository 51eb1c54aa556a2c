//! Extension requests (issue 27): the lifecycle and its refusals (`lifecycle`), the analysis
//! and the decision (`analysis`), and the milestones with where they show: reminders, the
//! annual report, the State profile, the CSV export (`milestones`). Today is pinned to
//! [`TODAY`]; the registry starts without the shipped history, so each test records the
//! extensions it needs.

mod analysis;
mod lifecycle;
mod milestones;

use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};

/// The day every test here runs on.
pub const TODAY: &str = "2026-12-07";

pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

/// The app, on [`TODAY`].
pub async fn app() -> TestApp {
    spawn_app_with(|s| s.today = Some(date(TODAY))).await
}

const EXTEND: &str =
    "mutation($input: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $input) {
  extension { id } userErrors { field message code } } }";

/// Records an extension as an administrator; panics when refused.
pub async fn extend(app: &TestApp, admin: &str, code: &str, kind: &str, to: &str, on: &str) {
    let body = app
        .graphql_as(
            admin,
            EXTEND,
            json!({"input": {"stateCode": code, "kind": kind, "newDeadline": to, "grantedOn": on}}),
        )
        .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["userErrors"],
        json!([]),
        "{body}"
    );
}

/// Lao PDR's clearance deadline, extended twice: 2020-08-01 → 2025-08-01 → 2030-08-01.
pub async fn lao_clearance_to_2030(app: &TestApp, admin: &str) {
    extend(app, admin, "LAO", "CLEARANCE", "2025-08-01", "2019-09-04").await;
    extend(app, admin, "LAO", "CLEARANCE", "2030-08-01", "2024-09-10").await;
}

const MEETING: &str = "mutation($i: CreateMeetingInput!) { createMeeting(input: $i) {
  meeting { id } userErrors { code field message } } }";

/// Creates a meeting of `kind` (e.g. MEETING_OF_STATES_PARTIES) and answers its ID.
pub async fn meeting(
    app: &TestApp,
    admin: &str,
    kind: &str,
    title: &str,
    starts_on: &str,
    ends_on: &str,
) -> String {
    let body = app
        .graphql_as(
            admin,
            MEETING,
            json!({"i": {"kind": kind, "title": title, "startsOn": starts_on, "endsOn": ends_on}}),
        )
        .await;
    body["data"]["createMeeting"]["meeting"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("meeting created: {body}"))
        .to_owned()
}
