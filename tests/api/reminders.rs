//! Deadline reminders and event notices (docs/domain.md §12), over HTTP and the database:
//! the planner run on the app's database for days that `ISU_TODAY` and the planner's
//! `today` move, each reminder written once (also by two planners at once), cancelled when
//! its report is submitted or its deadline extended, overdue rounds and the ISU's copy, the
//! notices of a report submitted, a sponsorship decided, a match proposed and a decision
//! falling due, the dry run and `ccm-isu reminders plan`.
//!
//! The server's own planner is off (`ISU_REMINDERS=false`): each test runs the planner
//! itself, on the days it chooses.

use std::process::{Command, Output};
use std::time::Duration;

use ccm_isu::domain::notifications::messages::{self, Message, Topic};
use ccm_isu::domain::notifications::{NotificationsConfig, planner};
use ccm_isu::rules::obligations::ObligationKind;
use chrono::NaiveDate;
use entity::enums::{
    Language, NotificationChannel, NotificationReason, NotificationStatus,
    ObligationKind as StoredKind, ReportKind, ReportStatus,
};
use entity::{contact_point, notification, transparency_report};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Database, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::*;

const PORTAL: &str = "https://ccm.test";
const ISU_ADDRESS: &str = "implementation@isu.test";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// The server on `day`, its planner off, the ISU's address and the portal's set.
async fn app_on(day: &str) -> TestApp {
    let d = date(day);
    spawn_app_with(move |s| {
        s.today = Some(d);
        s.mail.reminders = false;
        s.mail.isu_address = Some(ISU_ADDRESS.into());
        s.mail.public_url = format!("{PORTAL}/");
    })
    .await
}

/// The configuration the app was started with ([`app_on`]).
fn config() -> NotificationsConfig {
    NotificationsConfig {
        smtp_url: None,
        mail_from: "ISU CCM <no-reply@isu.test>".into(),
        isu_address: Some(ISU_ADDRESS.into()),
        public_url: PORTAL.into(),
        max_attempts: 8,
        interval: Duration::from_secs(300),
        run: false,
    }
}

async fn plan(app: &TestApp, day: &str) -> planner::PlanReport {
    planner::run(&app.db, date(day), &config(), false)
        .await
        .expect("planner runs")
}

const ADD_CONTACT: &str =
    "mutation($input: AddContactPointInput!) { addContactPoint(input: $input) {
  contactPoint { id email language active } userErrors { field message code } } }";

/// Adds an active contact point through `addContactPoint`; returns its row ID.
async fn add_contact(app: &TestApp, token: &str, code: &str, email: &str, language: &str) -> Uuid {
    let body = app
        .graphql_as(
            token,
            ADD_CONTACT,
            json!({"input": {"stateCode": code, "name": format!("Focal point {email}"),
                "function": "ARTICLE_7_FOCAL_POINT", "email": email, "language": language}}),
        )
        .await;
    let p = &body["data"]["addContactPoint"];
    assert_eq!(p["userErrors"], json!([]), "{body}");
    contact_point::Entity::find()
        .filter(contact_point::Column::StateCode.eq(code))
        .filter(contact_point::Column::Email.eq(email))
        .one(&app.db)
        .await
        .expect("read")
        .expect("the contact point is written")
        .id
}

/// Every row of the outbox, by key.
async fn outbox(app: &TestApp) -> Vec<notification::Model> {
    notification::Entity::find()
        .order_by_asc(notification::Column::DedupeKey)
        .all(&app.db)
        .await
        .expect("outbox")
}

async fn outbox_len(app: &TestApp) -> u64 {
    notification::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

/// The reminders of one State and kind, by key.
async fn reminders_of(app: &TestApp, code: &str, kind: StoredKind) -> Vec<notification::Model> {
    outbox(app)
        .await
        .into_iter()
        .filter(|n| n.state_code.as_deref() == Some(code) && n.obligation_kind == Some(kind))
        .collect()
}

/// A report as the reports workflow leaves it once submitted, written directly (no
/// notice, no cancellation: what a history import does).
async fn insert_submitted(app: &TestApp, code: &str, kind: ReportKind, year: i32, on: &str) {
    let t = ccm_isu::kernel::clock::now();
    let at = date(on).and_hms_opt(10, 0, 0).expect("time").and_utc();
    transparency_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(code.into()),
        kind: Set(kind),
        reporting_year: Set(year),
        status: Set(ReportStatus::Submitted),
        version: Set(1),
        due_date: Set(date(on)),
        submitted_at: Set(Some(at)),
        on_time: Set(Some(true)),
        published_at: Set(None),
        sections: Set("{}".into()),
        imported: Set(false),
        published_url: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(&app.db)
    .await
    .expect("report inserted");
}

/// Nigeria (in force 2023-08-01) with its initial report and its annual report on 2023
/// submitted: on 2025-03-31 its only open obligation is the annual report on 2024, due
/// 2025-04-30, 30 days later.
async fn nigeria_with_one_open_report(app: &TestApp) {
    insert_submitted(app, "NGA", ReportKind::Initial, 2023, "2024-01-20").await;
    insert_submitted(app, "NGA", ReportKind::Annual, 2023, "2024-04-20").await;
}

fn deadline(kind: ObligationKind, year: Option<i32>, due: &str, days: i64) -> Topic {
    Topic::Deadline {
        kind,
        reporting_year: year,
        due_date: date(due),
        days_remaining: days,
    }
}

fn rendered(topic: Topic, state: &str, language: Language) -> messages::Rendered {
    messages::render(&Message {
        topic,
        state_name: state.into(),
        language,
        portal_url: PORTAL.into(),
    })
}

#[tokio::test]
async fn a_reminder_is_written_once_in_the_contacts_language_however_often_the_planner_runs() {
    let app = app_on("2025-03-31").await;
    nigeria_with_one_open_report(&app).await;
    let admin = app.admin_token().await;
    let focal = add_contact(&app, &admin, "NGA", "focal@nga.test", "FR").await;

    let first = plan(&app, "2025-03-31").await;
    assert_eq!((first.written, first.cancelled), (1, 0), "{first:?}");
    assert_eq!(first.planned.len(), 1);
    let p = &first.planned[0];
    assert_eq!(
        (
            p.state_code.as_str(),
            p.kind,
            p.reporting_year,
            p.due_date,
            p.round.label(),
            p.reason,
            p.recipient.as_str(),
            p.language,
            p.contact_point_id,
            p.in_outbox
        ),
        (
            "NGA",
            ObligationKind::AnnualTransparencyReport,
            Some(2024),
            date("2025-04-30"),
            "L30".to_owned(),
            NotificationReason::DeadlineApproaching,
            "focal@nga.test",
            Language::Fr,
            Some(focal),
            false
        )
    );
    let rows = outbox(&app).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        row.dedupe_key,
        format!("rem|NGA|ANNUAL_TRANSPARENCY_REPORT|2024|2025-04-30|L30|{focal}")
    );
    assert_eq!(row.reason, NotificationReason::DeadlineApproaching);
    assert_eq!(row.channel, NotificationChannel::Email);
    assert_eq!(row.status, NotificationStatus::Pending);
    assert_eq!(row.language, Language::Fr);
    assert_eq!(row.recipient, "focal@nga.test");
    assert_eq!(row.contact_point_id, Some(focal));
    assert_eq!(row.state_code.as_deref(), Some("NGA"));
    assert_eq!(
        row.obligation_kind,
        Some(StoredKind::AnnualTransparencyReport)
    );
    assert_eq!(row.reporting_year, Some(2024));
    assert_eq!(row.due_date, Some(date("2025-04-30")));
    assert_eq!(row.round.as_deref(), Some("L30"));
    // The message in French, as the templates write it for 30 days remaining.
    let topic = deadline(
        ObligationKind::AnnualTransparencyReport,
        Some(2024),
        "2025-04-30",
        30,
    );
    let fr = rendered(topic.clone(), "Nigeria", Language::Fr);
    assert_eq!(row.subject, fr.subject);
    assert_eq!(row.body, fr.text);
    assert_eq!(row.body_html.as_deref(), Some(fr.html.as_str()));
    assert_ne!(fr.subject, rendered(topic, "Nigeria", Language::En).subject);

    // Again the same day, and on the following days up to the next lead day: nothing new.
    for day in ["2025-03-31", "2025-04-01", "2025-04-22"] {
        let again = plan(&app, day).await;
        assert_eq!((again.written, again.cancelled), (0, 0), "{day}");
        assert_eq!(again.planned.len(), 1, "{day}");
        assert!(again.planned[0].in_outbox, "{day}");
    }
    assert_eq!(outbox_len(&app).await, 1);

    // Seven days before: the next round.
    let l7 = plan(&app, "2025-04-23").await;
    assert_eq!(l7.written, 1);
    assert_eq!(l7.planned[0].round.label(), "L7");
    // The first round, never sent (no SMTP here), is overtaken: CANCELLED, so that the
    // State is not told "30 days" and "7 days" at once when the mail comes back.
    assert_eq!(l7.cancelled, 1);
    assert_eq!(
        outbox(&app)
            .await
            .iter()
            .map(|n| (n.round.clone(), n.status))
            .collect::<Vec<_>>(),
        vec![
            (Some("L30".into()), NotificationStatus::Cancelled),
            (Some("L7".into()), NotificationStatus::Pending)
        ]
    );
}

#[tokio::test]
async fn every_active_contact_point_gets_its_own_reminder_and_other_states_none() {
    let app = app_on("2025-03-31").await;
    nigeria_with_one_open_report(&app).await;
    let admin = app.admin_token().await;
    let nga = app.token_for("DELEGATION", Some("NGA")).await;
    let en = add_contact(&app, &nga, "NGA", "mission@nga.test", "EN").await;
    let es = add_contact(&app, &admin, "NGA", "autoridad@nga.test", "ES").await;
    let retired = add_contact(&app, &admin, "NGA", "old@nga.test", "EN").await;
    let mut row: contact_point::ActiveModel = contact_point::Entity::find_by_id(retired)
        .one(&app.db)
        .await
        .expect("read")
        .expect("there")
        .into();
    row.active = Set(false);
    row.update(&app.db).await.expect("deactivated");
    // A State without anything due today.
    add_contact(&app, &admin, "VUT", "focal@vut.test", "EN").await;

    let r = plan(&app, "2025-03-31").await;
    assert_eq!(r.written, 2, "{r:?}");
    let rows = outbox(&app).await;
    let mut to: Vec<(Option<Uuid>, Language)> = rows
        .iter()
        .map(|n| (n.contact_point_id, n.language))
        .collect();
    to.sort_by_key(|t| format!("{t:?}"));
    let mut expected = vec![(Some(en), Language::En), (Some(es), Language::Es)];
    expected.sort_by_key(|t| format!("{t:?}"));
    assert_eq!(to, expected);
    let es_row = rows
        .iter()
        .find(|n| n.contact_point_id == Some(es))
        .expect("es");
    let topic = deadline(
        ObligationKind::AnnualTransparencyReport,
        Some(2024),
        "2025-04-30",
        30,
    );
    assert_eq!(
        es_row.subject,
        rendered(topic, "Nigeria", Language::Es).subject
    );
}

#[tokio::test]
async fn two_planners_at_once_write_each_reminder_once() {
    let app = app_on("2025-03-31").await;
    let admin = app.admin_token().await;
    // States with many reports overdue (none is recorded), two contact points each.
    for code in ["LAO", "AFG", "IRQ", "NGA", "COL", "CHE"] {
        let lower = code.to_lowercase();
        add_contact(&app, &admin, code, &format!("a@{lower}.test"), "EN").await;
        add_contact(&app, &admin, code, &format!("b@{lower}.test"), "FR").await;
    }
    // A second pool on the same database: a second server.
    let other = Database::connect(&app.url).await.expect("second pool");
    for day in ["2025-03-31", "2025-04-23", "2025-05-01", "2025-06-15"] {
        let before = outbox_len(&app).await;
        let config = config();
        let (a, b) = tokio::join!(
            planner::run(&app.db, date(day), &config, false),
            planner::run(&other, date(day), &config, false)
        );
        let (a, b) = (a.expect("first planner"), b.expect("second planner"));
        let keys = |r: &planner::PlanReport| {
            r.planned
                .iter()
                .map(|p| p.dedupe_key.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&a), keys(&b), "{day}: both planned the same");
        assert!(!a.planned.is_empty(), "{day}");
        let rows = outbox(&app).await;
        assert_eq!(
            rows.len() as u64 - before,
            a.written + b.written,
            "{day}: what each says it wrote"
        );
        for key in keys(&a) {
            assert_eq!(
                rows.iter().filter(|n| n.dedupe_key == key).count(),
                1,
                "{day}: {key}"
            );
        }
        // Once both have run, a third run finds everything there.
        let third = plan(&app, day).await;
        assert_eq!(third.written, 0, "{day}");
        assert!(third.planned.iter().all(|p| p.in_outbox), "{day}");
    }
    let rows = outbox(&app).await;
    let mut keys: Vec<&str> = rows.iter().map(|n| n.dedupe_key.as_str()).collect();
    keys.dedup();
    assert_eq!(keys.len(), rows.len(), "no key twice");
    // 2025-05-01: the annual report on 2024 was missed the day before; the reminder of its
    // 30-day round, still pending, stays (the obligation is still open, on the same date).
    assert!(rows.iter().any(|n| n.state_code.as_deref() == Some("LAO")
        && n.reporting_year == Some(2024)
        && n.round.as_deref() == Some("O1")
        && n.reason == NotificationReason::DeadlineMissed));
    other.close().await.ok();
}

const CREATE_REPORT: &str =
    "mutation($input: CreateTransparencyReportInput!) { createTransparencyReport(input: $input) {
  report { id } userErrors { field message code } } }";
const SUBMIT_REPORT: &str = "mutation($id: ID!) { submitTransparencyReport(input: {id: $id}) {
  report { id status } userErrors { field message code } } }";

async fn submit_report(app: &TestApp, token: &str, code: &str, kind: &str, year: i32) -> Uuid {
    let body = app
        .graphql_as(
            token,
            CREATE_REPORT,
            json!({"input": {"stateCode": code, "kind": kind, "reportingYear": year}}),
        )
        .await;
    let id = body["data"]["createTransparencyReport"]["report"]["id"].clone();
    assert!(id.is_string(), "{body}");
    let body = app
        .graphql_as(token, SUBMIT_REPORT, json!({"id": id}))
        .await;
    let p = &body["data"]["submitTransparencyReport"];
    assert_eq!(p["report"]["status"], "SUBMITTED", "{body}");
    uuid_of(&id)
}

#[tokio::test]
async fn submitting_the_report_cancels_its_pending_reminder_and_notifies_the_isu_and_the_state() {
    let app = app_on("2025-03-31").await;
    nigeria_with_one_open_report(&app).await;
    let admin = app.admin_token().await;
    let staff_email = app.create_user("ISU_STAFF", None, &[]).await;
    let nga = app.token_for("DELEGATION", Some("NGA")).await;
    let focal = add_contact(&app, &admin, "NGA", "focal@nga.test", "ES").await;
    let lao_focal = add_contact(&app, &admin, "LAO", "focal@lao.test", "EN").await;
    assert_eq!(new_for(&plan(&app, "2025-03-31").await, "NGA"), 1);
    let lao_before = reminders_of(&app, "LAO", StoredKind::AnnualTransparencyReport)
        .await
        .len();
    assert!(lao_before > 0, "Lao PDR's reports are overdue: reminded");

    let report = submit_report(&app, &nga, "NGA", "ANNUAL", 2024).await;

    let reminder = reminders_of(&app, "NGA", StoredKind::AnnualTransparencyReport).await;
    assert_eq!(reminder.len(), 1);
    assert_eq!(reminder[0].status, NotificationStatus::Cancelled);
    // Another State's reminders are untouched.
    assert!(
        reminders_of(&app, "LAO", StoredKind::AnnualTransparencyReport)
            .await
            .iter()
            .all(|n| n.status == NotificationStatus::Pending)
    );

    let notices: Vec<notification::Model> = outbox(&app)
        .await
        .into_iter()
        .filter(|n| n.reason == NotificationReason::ReportSubmitted)
        .collect();
    let mut in_app: Vec<&str> = notices
        .iter()
        .filter(|n| n.channel == NotificationChannel::InApp)
        .map(|n| n.recipient.as_str())
        .collect();
    in_app.sort_unstable();
    let mut isu = vec![ADMIN_EMAIL, staff_email.as_str()];
    isu.sort_unstable();
    assert_eq!(in_app, isu, "every ISU staff member, in the app");
    for n in notices
        .iter()
        .filter(|n| n.channel == NotificationChannel::InApp)
    {
        assert_eq!(n.status, NotificationStatus::Sent, "nothing to deliver");
        assert!(n.read_at.is_none());
        assert_eq!(n.state_code, None, "not among the State's notifications");
        assert_eq!(n.subject_id, Some(report));
        assert!(n.recipient_user_id.is_some());
    }
    let emails: Vec<&notification::Model> = notices
        .iter()
        .filter(|n| n.channel == NotificationChannel::Email)
        .collect();
    assert_eq!(
        emails.len(),
        1,
        "the State's contact point only: {emails:?}"
    );
    let ack = emails[0];
    assert_eq!(ack.contact_point_id, Some(focal));
    assert_ne!(ack.contact_point_id, Some(lao_focal));
    assert_eq!(
        (ack.status, ack.language, ack.state_code.as_deref()),
        (NotificationStatus::Pending, Language::Es, Some("NGA"))
    );
    assert_eq!(
        ack.dedupe_key,
        format!("evt|REPORT_SUBMITTED|{report}|{focal}")
    );
    let es = rendered(
        Topic::ReportSubmitted {
            reporting_year: Some(2024),
            initial: false,
        },
        "Nigeria",
        Language::Es,
    );
    assert_eq!(ack.subject, es.subject);

    // The planner has nothing to write or cancel for Nigeria any more.
    let after = plan(&app, "2025-03-31").await;
    assert!(after.planned.iter().all(|p| p.state_code != "NGA"));
    assert_eq!(after.cancelled, 0);
    assert_eq!(after.written, 0);
}

#[tokio::test]
async fn a_report_met_without_the_api_is_cancelled_by_the_next_run_and_by_the_senders_check() {
    let app = app_on("2025-03-31").await;
    nigeria_with_one_open_report(&app).await;
    let admin = app.admin_token().await;
    add_contact(&app, &admin, "NGA", "focal@nga.test", "EN").await;
    plan(&app, "2025-03-31").await;
    let rows = outbox(&app).await;
    assert_eq!(rows.len(), 1);
    let today = date("2025-03-31");
    assert_eq!(
        planner::still_due(&app.db, today, &rows)
            .await
            .expect("check"),
        Vec::<Uuid>::new(),
        "still needed"
    );
    // Recorded by an import: no event cancels the reminder.
    insert_submitted(&app, "NGA", ReportKind::Annual, 2024, "2025-03-31").await;
    assert_eq!(
        planner::still_due(&app.db, today, &rows)
            .await
            .expect("check"),
        vec![rows[0].id]
    );
    let dry = planner::run(&app.db, today, &config(), true)
        .await
        .expect("dry run");
    assert_eq!((dry.written, dry.cancelled), (0, 1));
    assert_eq!(outbox(&app).await[0].status, NotificationStatus::Pending);
    let r = plan(&app, "2025-03-31").await;
    assert_eq!((r.written, r.cancelled), (0, 1));
    assert_eq!(outbox(&app).await[0].status, NotificationStatus::Cancelled);
    assert_eq!(plan(&app, "2025-03-31").await.cancelled, 0, "once");
}

const EXTEND: &str =
    "mutation($input: RecordDeadlineExtensionInput!) { recordDeadlineExtension(input: $input) {
  extension { newDeadline } userErrors { field message code } } }";

#[tokio::test]
async fn an_extension_cancels_the_old_series_and_the_new_date_starts_a_new_one() {
    // Lao PDR's clearance deadline (Article 4) falls on 2020-08-01: 30 days away.
    let app = app_on("2020-07-02").await;
    let admin = app.admin_token().await;
    let focal = add_contact(&app, &admin, "LAO", "focal@lao.test", "FR").await;
    plan(&app, "2020-07-02").await;
    let old = reminders_of(&app, "LAO", StoredKind::Clearance).await;
    assert_eq!(old.len(), 1);
    assert_eq!(
        (old[0].due_date, old[0].round.as_deref()),
        (Some(date("2020-08-01")), Some("L30"))
    );

    let body = app
        .graphql_as(
            &admin,
            EXTEND,
            json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2020-08-31",
                "grantedOn": "2020-06-20", "grantedAt": "Intersessional"}}),
        )
        .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["userErrors"],
        json!([]),
        "{body}"
    );

    // The next run cancels the old date's reminder and, 60 days before the new date, plans
    // the new series from its 90-day round.
    let r = plan(&app, "2020-07-02").await;
    assert_eq!(r.cancelled, 1, "{r:?}");
    let rows = reminders_of(&app, "LAO", StoredKind::Clearance).await;
    assert_eq!(rows.len(), 2);
    let by_due = |due: &str| {
        rows.iter()
            .find(|n| n.due_date == Some(date(due)))
            .unwrap_or_else(|| panic!("no reminder for {due}: {rows:?}"))
    };
    assert_eq!(by_due("2020-08-01").status, NotificationStatus::Cancelled);
    let new = by_due("2020-08-31");
    assert_eq!(
        (new.status, new.round.as_deref(), new.contact_point_id),
        (NotificationStatus::Pending, Some("L90"), Some(focal))
    );
    assert_eq!(
        new.dedupe_key,
        format!("rem|LAO|CLEARANCE|-|2020-08-31|L90|{focal}")
    );
    // On the old date's 7-day round nothing is planned for it any more; the new date's
    // 30-day round comes on its day.
    plan(&app, "2020-07-25").await;
    assert_eq!(
        reminders_of(&app, "LAO", StoredKind::Clearance).await.len(),
        2
    );
    plan(&app, "2020-08-01").await;
    let rows = reminders_of(&app, "LAO", StoredKind::Clearance).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().any(|n| n.due_date == Some(date("2020-08-31"))
        && n.round.as_deref() == Some("L30")
        && n.status == NotificationStatus::Pending));
}

const SET_POLICY: &str =
    "mutation($input: SetReminderPolicyInput!) { setReminderPolicy(input: $input) {
  policy { leadDays overdueEveryDays kinds escalateToIsu } userErrors { field message code } } }";

async fn set_policy(app: &TestApp, input: Value) {
    let admin = app.admin_token().await;
    let body = app
        .graphql_as(&admin, SET_POLICY, json!({ "input": input }))
        .await;
    assert_eq!(
        body["data"]["setReminderPolicy"]["userErrors"],
        json!([]),
        "{body}"
    );
}

/// How many of the reminders a run found due for the State `code` were new.
fn new_for(r: &planner::PlanReport, code: &str) -> usize {
    r.planned
        .iter()
        .filter(|p| p.state_code == code && !p.in_outbox)
        .count()
}

/// The reminders of one State and kind as (round, reason, contact point, recipient,
/// language).
async fn rounds(
    app: &TestApp,
    code: &str,
    kind: StoredKind,
) -> Vec<(String, NotificationReason, Option<Uuid>, String, Language)> {
    reminders_of(app, code, kind)
        .await
        .into_iter()
        .map(|n| {
            (
                n.round.unwrap_or_default(),
                n.reason,
                n.contact_point_id,
                n.recipient,
                n.language,
            )
        })
        .collect()
}

#[tokio::test]
async fn overdue_rounds_repeat_at_the_policys_interval_and_are_copied_to_the_isu() {
    // Nigeria's initial report is due 2024-01-28.
    let app = app_on("2024-01-20").await;
    let admin = app.admin_token().await;
    let focal = add_contact(&app, &admin, "NGA", "focal@nga.test", "FR").await;
    set_policy(
        &app,
        json!({"leadDays": [30, 7], "overdueEveryDays": 30,
               "kinds": ["INITIAL_TRANSPARENCY_REPORT"], "escalateToIsu": true}),
    )
    .await;
    // Lead rounds are never copied to the ISU.
    plan(&app, "2024-01-20").await;
    let l30 = (
        "L30".to_owned(),
        NotificationReason::DeadlineApproaching,
        Some(focal),
        "focal@nga.test".to_owned(),
        Language::Fr,
    );
    assert_eq!(
        rounds(&app, "NGA", StoredKind::InitialTransparencyReport).await,
        vec![l30.clone()]
    );
    // Due today: the last lead round, not yet overdue.
    plan(&app, "2024-01-28").await;
    let l7 = (
        "L7".to_owned(),
        NotificationReason::DeadlineApproaching,
        Some(focal),
        "focal@nga.test".to_owned(),
        Language::Fr,
    );
    assert_eq!(
        rounds(&app, "NGA", StoredKind::InitialTransparencyReport).await,
        vec![l30.clone(), l7.clone()]
    );
    let overdue = |round: &str, to_isu: bool| {
        if to_isu {
            (
                round.to_owned(),
                NotificationReason::DeadlineMissed,
                None,
                ISU_ADDRESS.to_owned(),
                Language::En,
            )
        } else {
            (
                round.to_owned(),
                NotificationReason::DeadlineMissed,
                Some(focal),
                "focal@nga.test".to_owned(),
                Language::Fr,
            )
        }
    };
    // The day after: O1, to the contact point and to the ISU.
    let r = plan(&app, "2024-01-29").await;
    assert_eq!(new_for(&r, "NGA"), 2);
    // States without a contact point: the ISU's copy only.
    let others: Vec<&planner::Planned> =
        r.planned.iter().filter(|p| p.state_code != "NGA").collect();
    assert!(
        !others.is_empty(),
        "other States' initial reports are overdue"
    );
    assert!(
        others
            .iter()
            .all(|p| p.contact_point_id.is_none() && p.recipient == ISU_ADDRESS)
    );
    let mut expected = vec![
        l30.clone(),
        l7.clone(),
        overdue("O1", false),
        overdue("O1", true),
    ];
    let sorted = |mut v: Vec<(String, NotificationReason, Option<Uuid>, String, Language)>| {
        v.sort_by_key(|t| format!("{t:?}"));
        v
    };
    assert_eq!(
        sorted(rounds(&app, "NGA", StoredKind::InitialTransparencyReport).await),
        sorted(expected.clone())
    );
    // 30 days overdue: still O1; 31 days: O2.
    assert_eq!(new_for(&plan(&app, "2024-02-27").await, "NGA"), 0);
    let r = plan(&app, "2024-02-28").await;
    assert_eq!(new_for(&r, "NGA"), 2);
    expected.extend([overdue("O2", false), overdue("O2", true)]);
    assert_eq!(
        sorted(rounds(&app, "NGA", StoredKind::InitialTransparencyReport).await),
        sorted(expected.clone())
    );
    let isu_copy = reminders_of(&app, "NGA", StoredKind::InitialTransparencyReport)
        .await
        .into_iter()
        .find(|n| n.contact_point_id.is_none() && n.round.as_deref() == Some("O2"))
        .expect("the ISU's copy");
    assert_eq!(
        isu_copy.dedupe_key,
        "rem|NGA|INITIAL_TRANSPARENCY_REPORT|-|2024-01-28|O2|isu"
    );
    assert_eq!(
        isu_copy.subject,
        rendered(
            deadline(
                ObligationKind::InitialTransparencyReport,
                None,
                "2024-01-28",
                -31
            ),
            "Nigeria",
            Language::En
        )
        .subject
    );

    // Without escalation, an interval of 0: one overdue reminder, to the contact only.
    set_policy(
        &app,
        json!({"leadDays": [7], "overdueEveryDays": 0,
               "kinds": ["INITIAL_TRANSPARENCY_REPORT"], "escalateToIsu": false}),
    )
    .await;
    let r = plan(&app, "2024-06-01").await;
    assert_eq!(r.written, 0, "O1 is already written: {r:?}");
    assert!(
        r.planned
            .iter()
            .all(|p| p.contact_point_id.is_some() && p.round.label() == "O1")
    );
    assert_eq!(
        sorted(rounds(&app, "NGA", StoredKind::InitialTransparencyReport).await),
        sorted(expected)
    );
}

/// The status of each reminder of Nigeria's initial report to its contact point, by round.
async fn statuses(app: &TestApp) -> Vec<(String, NotificationStatus)> {
    let mut v: Vec<(String, NotificationStatus)> =
        reminders_of(app, "NGA", StoredKind::InitialTransparencyReport)
            .await
            .into_iter()
            .filter(|n| n.contact_point_id.is_some())
            .map(|n| (n.round.unwrap_or_default(), n.status))
            .collect();
    v.sort_by_key(|(round, _)| round.clone());
    v
}

#[tokio::test]
async fn an_unsent_reminder_overtaken_by_a_later_round_is_cancelled_never_sent_as_a_backlog() {
    // Nigeria's initial report is due 2024-01-28; no email goes out meanwhile (no SMTP).
    let app = app_on("2024-01-20").await;
    let admin = app.admin_token().await;
    add_contact(&app, &admin, "NGA", "focal@nga.test", "EN").await;
    use NotificationStatus::{Cancelled, Pending, Sent};
    plan(&app, "2024-01-20").await;
    assert_eq!(statuses(&app).await, [("L30".into(), Pending)]);
    // Seven days before: "due in 7 days" replaces the unsent "due in 30 days".
    plan(&app, "2024-01-21").await;
    assert_eq!(
        statuses(&app).await,
        [("L30".into(), Cancelled), ("L7".into(), Pending)]
    );
    // Missed: the first overdue reminder replaces the unsent "due in 7 days".
    plan(&app, "2024-01-29").await;
    assert_eq!(
        statuses(&app).await,
        [
            ("L30".into(), Cancelled),
            ("L7".into(), Cancelled),
            ("O1".into(), Pending)
        ]
    );
    // The sender checks the same before it sends: O1 is not due any more once O2 is.
    let o1: Vec<notification::Model> =
        reminders_of(&app, "NGA", StoredKind::InitialTransparencyReport)
            .await
            .into_iter()
            .filter(|n| n.round.as_deref() == Some("O1") && n.contact_point_id.is_some())
            .collect();
    let not_due = planner::still_due(&app.db, date("2024-02-28"), &o1)
        .await
        .expect("check");
    assert_eq!(not_due, vec![o1[0].id]);
    assert!(
        planner::still_due(&app.db, date("2024-02-27"), &o1)
            .await
            .expect("check")
            .is_empty()
    );
    // A reminder already sent stays SENT when the next round comes.
    let mut sent: notification::ActiveModel = o1[0].clone().into();
    sent.status = Set(Sent);
    sent.update(&app.db).await.expect("mark sent");
    plan(&app, "2024-02-28").await;
    assert_eq!(
        statuses(&app).await,
        [
            ("L30".into(), Cancelled),
            ("L7".into(), Cancelled),
            ("O1".into(), Sent),
            ("O2".into(), Pending)
        ]
    );
}

#[tokio::test]
async fn kinds_left_out_of_the_policy_are_not_reminded_of_and_their_pending_reminders_cancelled() {
    let app = app_on("2020-07-02").await;
    let admin = app.admin_token().await;
    add_contact(&app, &admin, "LAO", "focal@lao.test", "EN").await;
    let r = plan(&app, "2020-07-02").await;
    assert!(
        r.planned
            .iter()
            .any(|p| p.kind == ObligationKind::Clearance)
    );
    assert!(
        r.planned
            .iter()
            .any(|p| p.kind == ObligationKind::AnnualTransparencyReport)
    );
    set_policy(
        &app,
        json!({"leadDays": [90, 30, 7], "overdueEveryDays": 30,
               "kinds": ["CLEARANCE"], "escalateToIsu": false}),
    )
    .await;
    let r = plan(&app, "2020-07-02").await;
    assert!(
        r.planned
            .iter()
            .all(|p| p.kind == ObligationKind::Clearance)
    );
    assert!(r.cancelled > 0);
    for n in outbox(&app).await {
        let expected = if n.obligation_kind == Some(StoredKind::Clearance) {
            NotificationStatus::Pending
        } else {
            NotificationStatus::Cancelled
        };
        assert_eq!(n.status, expected, "{}", n.dedupe_key);
    }
}

#[tokio::test]
async fn a_dry_run_says_what_would_be_written_and_writes_nothing() {
    let app = app_on("2025-03-31").await;
    nigeria_with_one_open_report(&app).await;
    let admin = app.admin_token().await;
    add_contact(&app, &admin, "NGA", "focal@nga.test", "FR").await;
    let audit = app.audit_entries().await;
    let dry = planner::run(&app.db, date("2025-03-31"), &config(), true)
        .await
        .expect("dry run");
    assert_eq!((dry.written, dry.cancelled), (1, 0));
    assert_eq!(dry.planned.len(), 1);
    assert!(!dry.planned[0].in_outbox);
    assert_eq!(outbox_len(&app).await, 0);
    assert_eq!(app.audit_entries().await, audit);
    let real = plan(&app, "2025-03-31").await;
    assert_eq!(real.planned, {
        let mut p = dry.planned.clone();
        p[0].in_outbox = false;
        p
    });
    let dry = planner::run(&app.db, date("2025-03-31"), &config(), true)
        .await
        .expect("dry run");
    assert_eq!((dry.written, dry.cancelled), (0, 0));
    assert!(dry.planned[0].in_outbox);
}

fn reminders_cli(app: &TestApp, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm-isu"))
        .args(["reminders", "plan"])
        .args(args)
        .env("DATABASE_URL", &app.url)
        .env("ISU_TODAY", today)
        .env("ISU_PUBLIC_URL", PORTAL)
        .env("ISU_MAIL_ISU_ADDRESS", ISU_ADDRESS)
        .env_remove("ISU_JWT_SECRET")
        .env_remove("ISU_ENV")
        .env("RUST_LOG", "error")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("ccm-isu runs")
}

#[tokio::test]
async fn reminders_plan_dry_run_prints_what_the_planner_would_write_and_writes_nothing() {
    let app = app_on("2025-03-31").await;
    nigeria_with_one_open_report(&app).await;
    let admin = app.admin_token().await;
    add_contact(&app, &admin, "NGA", "focal@nga.test", "FR").await;

    let out = reminders_cli(&app, "2025-03-31", &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "NGA ANNUAL_TRANSPARENCY_REPORT 2024 due 2025-04-30 L30 DEADLINE_APPROACHING to focal@nga.test (FR) new",
            "2025-03-31: 1 due today (1 reminders, 0 decision notices, 0 extension request reminders; 0 already in the outbox); would write 1, would cancel 0 (dry run: nothing written)",
        ],
        "{stdout}"
    );
    assert_eq!(outbox_len(&app).await, 0);

    let out = reminders_cli(&app, "2025-03-31", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        "2025-03-31: 1 due today (1 reminders, 0 decision notices, 0 extension request reminders; 0 already in the outbox); written 1, cancelled 0"
    );
    assert_eq!(outbox_len(&app).await, 1);

    let out = reminders_cli(&app, "2025-03-31", &["--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("(FR) already in the outbox\n"), "{stdout}");
    assert!(stdout.contains("would write 0, would cancel 0"), "{stdout}");
    assert_eq!(outbox_len(&app).await, 1);
}

// --------------------------------------------------------------------------- events

const CREATE_MEETING: &str =
    "mutation($input: CreateMeetingInput!) { createMeeting(input: $input) {
  meeting { id } userErrors { field message code } } }";
const APPLY: &str =
    "mutation($input: SponsorshipApplicationInput!) { applyForSponsorship(input: $input) {
  application { id } userErrors { field message code } } }";
const DECIDE: &str =
    "mutation($input: SponsorshipDecisionInput!) { decideSponsorshipApplication(input: $input) {
  application { id status } userErrors { field message code } } }";

fn uuid_of(id: &Value) -> Uuid {
    let (_, key) =
        ccm_isu::kernel::ids::decode_parts(id.as_str().expect("an ID")).expect("a global ID");
    key.parse().expect("a UUID key")
}

/// The notices of `reason`, as (channel, recipient, State), sorted.
async fn notices(
    app: &TestApp,
    reason: NotificationReason,
) -> Vec<(NotificationChannel, String, Option<String>)> {
    let mut v: Vec<_> = outbox(app)
        .await
        .into_iter()
        .filter(|n| n.reason == reason)
        .map(|n| (n.channel, n.recipient, n.state_code))
        .collect();
    v.sort_by(|a, b| (format!("{:?}", a.0), &a.1).cmp(&(format!("{:?}", b.0), &b.1)));
    v
}

fn email(to: &str, code: &str) -> (NotificationChannel, String, Option<String>) {
    (NotificationChannel::Email, to.into(), Some(code.into()))
}

fn in_app(to: &str, code: Option<&str>) -> (NotificationChannel, String, Option<String>) {
    (NotificationChannel::InApp, to.into(), code.map(Into::into))
}

#[tokio::test]
async fn a_sponsorship_decision_is_announced_to_the_applicant_state_once_per_outcome() {
    let app = app_on("2026-06-01").await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao_email = app.create_user("DELEGATION", Some("LAO"), &[]).await;
    let lao = token_of(&app.login(&lao_email, PASSWORD).await);
    app.create_user("DELEGATION", Some("IRQ"), &[]).await;
    add_contact(&app, &admin, "LAO", "mission@lao.test", "FR").await;
    add_contact(&app, &admin, "IRQ", "mission@irq.test", "EN").await;
    let body = app
        .graphql_as(
            &staff,
            CREATE_MEETING,
            json!({"input": {
                "kind": "MEETING_OF_STATES_PARTIES",
                "title": "Fourteenth Meeting of States Parties",
                "startsOn": "2026-09-14", "endsOn": "2026-09-17", "venue": "Geneva",
                "applicationDeadline": "2026-07-31",
                "sponsorshipBudget": {"amount": "10000", "currency": "CHF"},
                "dailySubsistenceAllowance": {"amount": "300", "currency": "CHF"},
            }}),
        )
        .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"].clone();
    assert!(meeting.is_string(), "{body}");
    let body = app
        .graphql_as(
            &lao,
            APPLY,
            json!({"input": {
                "meetingId": meeting, "stateCode": "LAO",
                "delegate": {"fullName": "Khamla Vongsa", "gender": "FEMALE", "position": "Director", "email": "khamla@mfa.test"},
                "requestedTravel": {"amount": "1200", "currency": "CHF"},
                "requestedDays": 4,
                "justification": "Head of the national clearance authority.",
            }}),
        )
        .await;
    let application = body["data"]["applyForSponsorship"]["application"]["id"].clone();
    assert!(application.is_string(), "{body}");
    let decide =
        |decision: &str| json!({"input": {"applicationId": application, "decision": decision}});

    // UNDER_REVIEW is not an outcome: nothing is announced.
    let body = app.graphql_as(&staff, DECIDE, decide("UNDER_REVIEW")).await;
    assert_eq!(
        body["data"]["decideSponsorshipApplication"]["userErrors"],
        json!([]),
        "{body}"
    );
    assert_eq!(
        notices(&app, NotificationReason::SponsorshipDecided).await,
        vec![]
    );
    let body = app.graphql_as(&staff, DECIDE, decide("WAITLISTED")).await;
    assert_eq!(
        body["data"]["decideSponsorshipApplication"]["application"]["status"], "WAITLISTED",
        "{body}"
    );
    let expected = vec![
        email("mission@lao.test", "LAO"),
        in_app(&lao_email, Some("LAO")),
    ];
    assert_eq!(
        notices(&app, NotificationReason::SponsorshipDecided).await,
        expected
    );
    // Approved later: announced again, as a new outcome.
    let body = app.graphql_as(&staff, DECIDE, decide("APPROVED")).await;
    assert_eq!(
        body["data"]["decideSponsorshipApplication"]["application"]["status"], "APPROVED",
        "{body}"
    );
    let rows: Vec<notification::Model> = outbox(&app)
        .await
        .into_iter()
        .filter(|n| n.reason == NotificationReason::SponsorshipDecided)
        .collect();
    assert_eq!(rows.len(), 4);
    let id = uuid_of(&application);
    assert!(rows.iter().all(|n| n.subject_id == Some(id)));
    let approved_email = rows
        .iter()
        .find(|n| n.channel == NotificationChannel::Email && n.dedupe_key.contains("/APPROVED|"))
        .expect("the approval's email");
    assert_eq!(approved_email.language, Language::Fr);
    assert_eq!(
        approved_email.subject,
        rendered(
            Topic::SponsorshipDecided {
                meeting: "Fourteenth Meeting of States Parties".into(),
                delegate: "Khamla Vongsa".into(),
                outcome: entity::enums::ApplicationStatus::Approved,
            },
            "Lao People's Democratic Republic",
            Language::Fr
        )
        .subject
    );
    assert!(rows.iter().all(|n| n.state_code.as_deref() == Some("LAO")));

    // The delegation reads them in the app, newest first.
    let body = app
        .graphql_as(
            &lao,
            "{ unreadNotificationCount myNotifications(first: 10) { edges { node { reason channel subject } } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["unreadNotificationCount"], 2, "{body}");
    let mine = &body["data"]["myNotifications"]["edges"];
    assert_eq!(mine.as_array().map(Vec::len), Some(2), "{body}");
    assert_eq!(mine[0]["node"]["reason"], "SPONSORSHIP_DECIDED");
    assert_eq!(mine[0]["node"]["channel"], "IN_APP");
    let approved_in_app = rows
        .iter()
        .find(|n| n.channel == NotificationChannel::InApp && n.dedupe_key.contains("/APPROVED|"))
        .expect("the approval's notice");
    assert_eq!(mine[0]["node"]["subject"], approved_in_app.subject.as_str());
}

const RATE: &str = "mutation($input: SetExchangeRateInput!) { setExchangeRate(input: $input) { userErrors { field code } } }";
const NEED: &str =
    "mutation($input: CreateAssistanceNeedInput!) { createAssistanceNeed(input: $input) {
  need { id } userErrors { field message code } } }";
const OFFER: &str =
    "mutation($input: CreateAssistanceOfferInput!) { createAssistanceOffer(input: $input) {
  offer { id } userErrors { field message code } } }";
const PROPOSE: &str = "mutation($input: ProposeMatchInput!) { proposeMatch(input: $input) {
  proposal { id status } userErrors { field message code } } }";

#[tokio::test]
async fn a_match_proposed_is_announced_to_both_states() {
    let app = app_on("2026-02-01").await;
    let admin = app.admin_token().await;
    let body = app
        .graphql_as(
            &admin,
            RATE,
            json!({"input": {"currency": "USD", "rateToBase": "0.90", "validFrom": "2020-01-01"}}),
        )
        .await;
    assert_eq!(body["data"]["setExchangeRate"]["userErrors"], json!([]));
    let lao_email = app.create_user("DELEGATION", Some("LAO"), &[]).await;
    let lao = token_of(&app.login(&lao_email, PASSWORD).await);
    let che_email = app.create_user("DELEGATION", Some("CHE"), &[]).await;
    app.create_user("DELEGATION", Some("IRQ"), &[]).await;
    add_contact(&app, &admin, "LAO", "mission@lao.test", "FR").await;
    add_contact(&app, &admin, "CHE", "dfae@che.test", "FR").await;
    add_contact(&app, &admin, "IRQ", "mission@irq.test", "EN").await;
    let body = app
        .graphql_as(
            &lao,
            NEED,
            json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"],
                "title": "Survey of Xieng Khouang", "amount": {"amount": "1000", "currency": "CHF"},
                "periodStart": "2026-01-01", "periodEnd": "2026-12-31"}}),
        )
        .await;
    let need = body["data"]["createAssistanceNeed"]["need"]["id"].clone();
    assert!(need.is_string(), "{body}");
    let body = app
        .graphql_as(
            &admin,
            OFFER,
            json!({"input": {"providerStateCode": "CHE", "thematicAreas": ["CLEARANCE"], "assistanceTypes": ["FINANCIAL"],
                "title": "Swiss clearance fund", "amount": {"amount": "600", "currency": "CHF"}, "targetRegions": ["ASIA_PACIFIC"]}}),
        )
        .await;
    let offer = body["data"]["createAssistanceOffer"]["offer"]["id"].clone();
    assert!(offer.is_string(), "{body}");
    let before = outbox_len(&app).await;
    let body = app
        .graphql_as(
            &admin,
            PROPOSE,
            json!({"input": {"needId": need, "offerId": offer, "amount": {"amount": "400", "currency": "CHF"}}}),
        )
        .await;
    let proposal = body["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert!(proposal.is_string(), "{body}");
    let mut expected = vec![
        email("dfae@che.test", "CHE"),
        email("mission@lao.test", "LAO"),
        in_app(&che_email, Some("CHE")),
        in_app(&lao_email, Some("LAO")),
    ];
    expected.sort_by(|a, b| (format!("{:?}", a.0), &a.1).cmp(&(format!("{:?}", b.0), &b.1)));
    assert_eq!(
        notices(&app, NotificationReason::MatchProposed).await,
        expected
    );
    assert_eq!(outbox_len(&app).await, before + 4);
    let id = uuid_of(&proposal);
    let lao_row = outbox(&app)
        .await
        .into_iter()
        .find(|n| n.recipient == "mission@lao.test")
        .expect("Lao PDR's email");
    assert_eq!(lao_row.subject_id, Some(id));
    assert_eq!(
        lao_row.subject,
        rendered(
            Topic::MatchProposed {
                need: "Survey of Xieng Khouang".into(),
                need_state: "Lao People's Democratic Republic".into(),
                offer_state: "Switzerland".into(),
            },
            "Lao People's Democratic Republic",
            Language::Fr
        )
        .subject
    );
    // A refused proposal (the same pair again) writes no notice.
    let body = app
        .graphql_as(
            &admin,
            PROPOSE,
            json!({"input": {"needId": need, "offerId": offer}}),
        )
        .await;
    assert_eq!(codes(&body["data"]["proposeMatch"]), vec!["ALREADY_EXISTS"]);
    assert_eq!(outbox_len(&app).await, before + 4);
}

const RECORD_DECISION: &str = "mutation($i: RecordDecisionInput!) { recordDecision(input: $i) {
    decision { id } userErrors { code field message } } }";
const UPDATE_DECISION: &str =
    "mutation($i: UpdateDecisionStatusInput!) { updateDecisionStatus(input: $i) {
    decision { id status } userErrors { code field message } } }";

#[tokio::test]
async fn a_decision_falling_due_is_followed_up_in_the_app_of_isu_staff() {
    let app = app_on("2026-06-01").await;
    let staff_email = app.create_user("ISU_STAFF", None, &[]).await;
    let staff = token_of(&app.login(&staff_email, PASSWORD).await);
    app.create_user("DELEGATION", Some("LAO"), &[]).await;
    app.create_user("COORDINATOR", None, &["CLEARANCE"]).await;
    let body = app
        .graphql_as(
            &staff,
            CREATE_MEETING,
            json!({"input": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Intersessional meeting",
                   "startsOn": "2026-05-01", "endsOn": "2026-05-02"}}),
        )
        .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"].clone();
    assert!(meeting.is_string(), "{body}");
    let record = |reference: &str, due: &str| {
        json!({"i": {"meetingId": meeting, "kind": "DECISION", "reference": reference,
            "text": "The ISU is to report.", "access": "RESTRICTED", "responsible": "ISU",
            "dueOn": due, "actionPlanActions": []}})
    };
    let mut ids = Vec::new();
    for (reference, due) in [
        ("para. 1", "2026-06-30"),
        ("para. 2", "2026-06-30"),
        ("para. 3", "2026-12-31"),
    ] {
        let body = app
            .graphql_as(&staff, RECORD_DECISION, record(reference, due))
            .await;
        let id = body["data"]["recordDecision"]["decision"]["id"].clone();
        assert!(id.is_string(), "{body}");
        ids.push(id);
    }
    // Para. 2 is implemented: nothing to follow up.
    let body = app
        .graphql_as(
            &staff,
            UPDATE_DECISION,
            json!({"i": {"id": ids[1], "status": "IMPLEMENTED", "expectedVersion": 1}}),
        )
        .await;
    assert_eq!(
        body["data"]["updateDecisionStatus"]["decision"]["status"], "IMPLEMENTED",
        "{body}"
    );

    let r = plan(&app, "2026-06-01").await;
    assert_eq!(r.decisions.len(), 2, "{r:?}");
    assert_eq!(r.written, 2);
    let mut to: Vec<&str> = r.decisions.iter().map(|d| d.recipient.as_str()).collect();
    to.sort_unstable();
    let mut isu = vec![ADMIN_EMAIL, staff_email.as_str()];
    isu.sort_unstable();
    assert_eq!(to, isu);
    let due = uuid_of(&ids[0]);
    for n in outbox(&app).await {
        assert_eq!(n.reason, NotificationReason::DecisionDue);
        assert_eq!(n.channel, NotificationChannel::InApp);
        assert_eq!(n.status, NotificationStatus::Sent);
        assert_eq!(n.subject_id, Some(due));
        assert_eq!(n.round.as_deref(), Some("L30"));
        assert_eq!(n.state_code, None);
        let user = n.recipient_user_id.expect("a user");
        assert_eq!(n.dedupe_key, format!("dec|{due}|2026-06-30|L30|{user}"));
    }
    assert_eq!(plan(&app, "2026-06-02").await.written, 0, "once a round");
    assert_eq!(plan(&app, "2026-06-23").await.written, 2, "the 7-day round");
    assert_eq!(
        plan(&app, "2026-07-01").await.written,
        0,
        "not after its date"
    );
}
