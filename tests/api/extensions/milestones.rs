//! Milestones and where extension requests show (issue 27): `extensionMilestones` over HTTP
//! (the deciding meeting, `submitBy`, `daysToSubmit`, the window, the order, the request
//! under way as each viewer may read it), the planner's reminder of `submitBy` delivered to
//! a contact point by a real SMTP server and cancelled once a request is submitted, the
//! ISU's CSV export, and the demo seed with the annual report and the State profile it
//! feeds.

use std::time::Duration;

use ccm_isu::domain::notifications::{NotificationsConfig, planner, sender};
use entity::enums::{NotificationReason, NotificationStatus, ObligationKind as StoredKind};
use entity::{extension_request, notification};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use super::{TODAY, app, date, extend, lao_clearance_to_2030, meeting};
use crate::helpers::*;
use crate::smtp_server::SmtpServer;

const MILESTONES: &str = "query($m: Int) { extensionMilestones(withinMonths: $m) {
  obligation { kind dueDate status state { code } }
  decidingMeeting { id title startsOn } submitBy daysToSubmit request { id status } } }";

/// The milestones `token` reads (None: anonymous) for a window of `months` (None: the
/// default); panics on a top-level error.
async fn milestones(app: &TestApp, token: &str, months: Option<i64>) -> Vec<Value> {
    let body = app
        .graphql_as(token, MILESTONES, json!({ "m": months }))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["extensionMilestones"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .clone()
}

/// A line as (State, kind, deadline, deciding meeting's title, submitBy).
type Line = (String, String, String, Option<String>, Option<String>);

/// Each line as a [`Line`].
fn summary(lines: &[Value]) -> Vec<Line> {
    lines
        .iter()
        .map(|l| {
            (
                l["obligation"]["state"]["code"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                l["obligation"]["kind"].as_str().unwrap().to_owned(),
                l["obligation"]["dueDate"].as_str().unwrap().to_owned(),
                l["decidingMeeting"]["title"].as_str().map(str::to_owned),
                l["submitBy"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

fn line(code: &str, kind: &str, due: &str, meeting: Option<&str>, by: Option<&str>) -> Line {
    (
        code.into(),
        kind.into(),
        due.into(),
        meeting.map(str::to_owned),
        by.map(str::to_owned),
    )
}

async fn update_state(app: &TestApp, admin: &str, input: Value) {
    let body = app
        .graphql_as(
            admin,
            "mutation($i: UpdateStatePartyInput!) { updateStateParty(input: $i) { userErrors { code message } } }",
            json!({ "i": input }),
        )
        .await;
    assert_eq!(
        body["data"]["updateStateParty"]["userErrors"],
        json!([]),
        "{body}"
    );
}

/// On [`TODAY`] (2026-12-07): Lao PDR's clearance due 2030-08-01; Chile's due 2028-09-12,
/// the day the 15th MSP opens; Somalia's due 2027-09-13, the day before the 14th MSP opens;
/// Iraq's stockpiles due 2029-11-01; Iraq's clearance due 2027-06-01 but completed (MET).
/// Every other contaminated State's deadline has passed.
async fn deadlines(app: &TestApp, admin: &str) {
    lao_clearance_to_2030(app, admin).await;
    extend(app, admin, "CHL", "CLEARANCE", "2026-06-01", "2020-11-25").await;
    extend(app, admin, "CHL", "CLEARANCE", "2028-09-12", "2025-09-18").await;
    extend(app, admin, "SOM", "CLEARANCE", "2027-09-13", "2025-09-18").await;
    update_state(app, admin, json!({"code": "IRQ", "holdsStockpiles": true})).await;
    extend(
        app,
        admin,
        "IRQ",
        "STOCKPILE_DESTRUCTION",
        "2025-11-01",
        "2021-09-20",
    )
    .await;
    extend(
        app,
        admin,
        "IRQ",
        "STOCKPILE_DESTRUCTION",
        "2029-11-01",
        "2025-09-18",
    )
    .await;
    extend(app, admin, "IRQ", "CLEARANCE", "2027-06-01", "2023-09-14").await;
    update_state(
        app,
        admin,
        json!({"code": "IRQ", "clearanceCompletedOn": "2026-10-30"}),
    )
    .await;
}

/// The meetings: the 13th to 16th MSP (opening 2025-09-16, 2027-09-14, 2028-09-12 and
/// 2029-09-11) and an intersessional meeting between the 13th and Somalia's deadline, which
/// decides nothing. Answers the 16th's ID.
async fn meetings(app: &TestApp, admin: &str) -> String {
    let msp = "MEETING_OF_STATES_PARTIES";
    meeting(app, admin, msp, "13MSP", "2025-09-16", "2025-09-19").await;
    meeting(
        app,
        admin,
        "INTERSESSIONAL",
        "Intersessional 2027",
        "2027-06-01",
        "2027-06-03",
    )
    .await;
    meeting(app, admin, msp, "14MSP", "2027-09-14", "2027-09-17").await;
    meeting(app, admin, msp, "15MSP", "2028-09-12", "2028-09-15").await;
    meeting(app, admin, msp, "16MSP", "2029-09-11", "2029-09-14").await
}

/// Reminders of Article 3 and 4 deadlines only: the test States' transparency reports are
/// all overdue, and their reminders are not what these tests look at.
async fn clearance_and_stockpiles_only(app: &TestApp, admin: &str) {
    let body = app
        .graphql_as(
            admin,
            "mutation($input: SetReminderPolicyInput!) { setReminderPolicy(input: $input) {
               userErrors { code message } } }",
            json!({"input": {"leadDays": [90, 30, 7], "overdueEveryDays": 30,
                "kinds": ["STOCKPILE_DESTRUCTION", "CLEARANCE"], "escalateToIsu": false}}),
        )
        .await;
    assert_eq!(
        body["data"]["setReminderPolicy"]["userErrors"],
        json!([]),
        "{body}"
    );
}

#[tokio::test]
async fn each_deadline_ahead_has_its_deciding_meeting_and_the_last_day_to_ask() {
    let app = app().await;
    let admin = app.admin_token().await;
    let staff = app.token_for("ISU_STAFF", None).await;
    deadlines(&app, &admin).await;

    // No meeting recorded: every line without a deciding meeting or a day to submit by,
    // in deadline order. Iraq's clearance is MET, the passed deadlines are not ahead, and
    // Lao's 2030 lies beyond the default 36 months.
    let none = milestones(&app, &staff, None).await;
    assert_eq!(
        summary(&none),
        vec![
            line("SOM", "CLEARANCE", "2027-09-13", None, None),
            line("CHL", "CLEARANCE", "2028-09-12", None, None),
            line("IRQ", "STOCKPILE_DESTRUCTION", "2029-11-01", None, None),
        ]
    );
    assert!(none.iter().all(|l| l["daysToSubmit"].is_null()));

    meetings(&app, &admin).await;
    let ahead = milestones(&app, &staff, Some(60)).await;
    assert_eq!(
        summary(&ahead),
        vec![
            // The 14th opens the day after the deadline and the intersessional meeting
            // decides nothing: the 13th would have had to extend it, and its day is past.
            line(
                "SOM",
                "CLEARANCE",
                "2027-09-13",
                Some("13MSP"),
                Some("2024-12-16")
            ),
            // A meeting opening on the deadline itself still decides it.
            line(
                "CHL",
                "CLEARANCE",
                "2028-09-12",
                Some("15MSP"),
                Some("2027-12-12")
            ),
            // Two deadlines decided by the 16th: the same day to submit by, the earlier
            // deadline first.
            line(
                "IRQ",
                "STOCKPILE_DESTRUCTION",
                "2029-11-01",
                Some("16MSP"),
                Some("2028-12-11")
            ),
            line(
                "LAO",
                "CLEARANCE",
                "2030-08-01",
                Some("16MSP"),
                Some("2028-12-11")
            ),
        ]
    );
    let today = date(TODAY);
    for l in &ahead {
        let by = date(l["submitBy"].as_str().unwrap());
        assert_eq!(l["daysToSubmit"], json!((by - today).num_days()), "{l}");
        assert!(l["request"].is_null());
        assert_ne!(l["obligation"]["status"], "MET");
    }
    assert_eq!(
        ahead[0]["daysToSubmit"],
        json!(-721),
        "negative once passed"
    );

    // The default window is 36 months: Lao's deadline is not in it.
    let default = milestones(&app, &staff, None).await;
    assert_eq!(summary(&default), summary(&ahead[..3]));
    assert_eq!(
        summary(&milestones(&app, &staff, Some(36)).await),
        summary(&default)
    );
    // Ten months reach Somalia's deadline only (nine end on 2027-09-07, before it); none
    // falls due today.
    assert_eq!(
        summary(&milestones(&app, &staff, Some(10)).await),
        summary(&ahead[..1])
    );
    assert!(milestones(&app, &staff, Some(9)).await.is_empty());
    assert!(milestones(&app, &staff, Some(0)).await.is_empty());
    assert_eq!(milestones(&app, &staff, Some(120)).await.len(), 4);

    // A window outside 0 to 120 months is refused; so is an anonymous caller.
    for months in [-1, 121, 100_000] {
        let body = app
            .graphql_as(&staff, MILESTONES, json!({ "m": months }))
            .await;
        assert_eq!(
            error_code(&body),
            Some("BAD_USER_INPUT"),
            "{months}: {body}"
        );
        assert!(body["data"].is_null(), "{body}");
    }
    let body = app.graphql(MILESTONES, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");

    // Every signed-in user reads the milestones.
    let coordinator = app.coordinator_token(&["CLEARANCE"]).await;
    assert_eq!(milestones(&app, &coordinator, Some(60)).await.len(), 4);
}

const OPEN: &str =
    "mutation($input: OpenExtensionRequestInput!) { openExtensionRequest(input: $input) {
  request { id version elements { provision } } userErrors { field message code } } }";
const UPDATE: &str =
    "mutation($input: UpdateExtensionRequestInput!) { updateExtensionRequest(input: $input) {
  request { id version complete } userErrors { field message code } } }";
const SUBMIT: &str =
    "mutation($input: SubmitExtensionRequestInput!) { submitExtensionRequest(input: $input) {
  request { id version status } userErrors { field message code } } }";
const WITHDRAW: &str =
    "mutation($input: WithdrawExtensionRequestInput!) { withdrawExtensionRequest(input: $input) {
  request { id version status } userErrors { field message code } } }";

/// Opens a request of `code` for `kind` to `meeting_id` as `token`; answers (ID, version,
/// provisions).
async fn open(
    app: &TestApp,
    token: &str,
    code: &str,
    kind: &str,
    requested: &str,
    meeting_id: &str,
) -> (String, i64, Vec<String>) {
    let body = app
        .graphql_as(
            token,
            OPEN,
            json!({"input": {"stateCode": code, "kind": kind, "requestedDeadline": requested,
                "meetingId": meeting_id}}),
        )
        .await;
    let p = &body["data"]["openExtensionRequest"];
    assert_eq!(p["userErrors"], json!([]), "{body}");
    let provisions = p["request"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["provision"].as_str().unwrap().to_owned())
        .collect();
    (
        p["request"]["id"].as_str().unwrap().to_owned(),
        p["request"]["version"].as_i64().unwrap(),
        provisions,
    )
}

/// Writes every element and submits; answers the version after submission.
async fn complete_and_submit(
    app: &TestApp,
    token: &str,
    id: &str,
    version: i64,
    provisions: &[String],
) -> i64 {
    let elements: Vec<Value> = provisions
        .iter()
        .map(|p| json!({"provision": p, "text": format!("Text for {p}.")}))
        .collect();
    let body = app
        .graphql_as(
            token,
            UPDATE,
            json!({"input": {"id": id, "expectedVersion": version, "elements": elements}}),
        )
        .await;
    let p = &body["data"]["updateExtensionRequest"];
    assert_eq!(p["userErrors"], json!([]), "{body}");
    assert_eq!(p["request"]["complete"], true);
    let version = p["request"]["version"].as_i64().unwrap();
    let body = app
        .graphql_as(
            token,
            SUBMIT,
            json!({"input": {"id": id, "expectedVersion": version}}),
        )
        .await;
    let p = &body["data"]["submitExtensionRequest"];
    assert_eq!(p["userErrors"], json!([]), "{body}");
    assert_eq!(p["request"]["status"], "SUBMITTED");
    p["request"]["version"].as_i64().unwrap()
}

/// Lao's line among the milestones `token` reads.
async fn lao_line(app: &TestApp, token: &str) -> Value {
    milestones(app, token, Some(60))
        .await
        .into_iter()
        .find(|l| l["obligation"]["state"]["code"] == "LAO")
        .expect("Lao's line")
}

#[tokio::test]
async fn the_request_under_way_shows_to_whoever_may_read_it() {
    let app = app().await;
    let admin = app.admin_token().await;
    lao_clearance_to_2030(&app, &admin).await;
    let msp16 = meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "16MSP",
        "2029-09-11",
        "2029-09-14",
    )
    .await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;

    // Lao's delegation starts a draft: Lao's delegation and the ISU see it under way,
    // another delegation sees the line without it.
    let (id, version, provisions) =
        open(&app, &lao, "LAO", "CLEARANCE", "2035-08-01", &msp16).await;
    for token in [&lao, &staff] {
        let l = lao_line(&app, token).await;
        assert_eq!(l["request"], json!({"id": id, "status": "DRAFT"}), "{l}");
        assert_eq!(l["decidingMeeting"]["id"], json!(msp16));
        assert_eq!(l["submitBy"], "2028-12-11");
    }
    let other = lao_line(&app, &irq).await;
    assert!(other["request"].is_null(), "{other}");
    assert_eq!(other["submitBy"], "2028-12-11");

    // Submitted, it is published: every signed-in user sees it.
    let version = complete_and_submit(&app, &lao, &id, version, &provisions).await;
    for token in [&lao, &staff, &irq] {
        assert_eq!(
            lao_line(&app, token).await["request"],
            json!({"id": id, "status": "SUBMITTED"})
        );
    }

    // Withdrawn, it is no longer under way: the line stands without a request.
    let body = app
        .graphql_as(
            &lao,
            WITHDRAW,
            json!({"input": {"id": id, "expectedVersion": version, "reason": "Completed in time."}}),
        )
        .await;
    assert_eq!(
        body["data"]["withdrawExtensionRequest"]["userErrors"],
        json!([]),
        "{body}"
    );
    for token in [&lao, &staff, &irq] {
        assert!(lao_line(&app, token).await["request"].is_null());
    }
}

/// The notifications configuration the reminder app runs with.
fn mail_config() -> NotificationsConfig {
    NotificationsConfig {
        smtp_url: None,
        mail_from: "ISU CCM <no-reply@isu.test>".into(),
        isu_address: None,
        public_url: "https://ccm.test".into(),
        max_attempts: 8,
        interval: Duration::from_secs(300),
        run: false,
    }
}

/// The reminders to submit a request in the outbox, by key.
async fn submission_reminders(app: &TestApp) -> Vec<notification::Model> {
    notification::Entity::find()
        .filter(notification::Column::DedupeKey.starts_with("ext|"))
        .order_by_asc(notification::Column::DedupeKey)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_last_day_to_ask_is_announced_to_the_contact_points_and_cancelled_once_a_request_is_in()
{
    // Lao's 16MSP opens on 2029-09-11: its request is due by 2028-12-11, 90 days after
    // 2028-09-12.
    let day = date("2028-09-12");
    let app = spawn_app_with(move |s| {
        s.today = Some(day);
        s.mail.reminders = false;
    })
    .await;
    let admin = app.admin_token().await;
    clearance_and_stockpiles_only(&app, &admin).await;
    lao_clearance_to_2030(&app, &admin).await;
    let msp16 = meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "Sixteenth Meeting of States Parties",
        "2029-09-11",
        "2029-09-14",
    )
    .await;
    let body = app
        .graphql_as(
            &admin,
            "mutation($input: AddContactPointInput!) { addContactPoint(input: $input) {
               contactPoint { id } userErrors { code message } } }",
            json!({"input": {"stateCode": "LAO", "name": "Focal point", "function": "NATIONAL_AUTHORITY",
                "email": "focal@lao.test", "language": "EN"}}),
        )
        .await;
    assert_eq!(
        body["data"]["addContactPoint"]["userErrors"],
        json!([]),
        "{body}"
    );
    let contact = entity::contact_point::Entity::find()
        .filter(entity::contact_point::Column::Email.eq("focal@lao.test"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let config = mail_config();

    // The day before the 90-day round: nothing yet.
    let r = planner::run(&app.db, date("2028-09-11"), &config, false)
        .await
        .unwrap();
    assert!(r.submissions.is_empty(), "{r:?}");

    // On the day: one reminder to the contact point, written once however often the
    // planner runs.
    let r = planner::run(&app.db, day, &config, false).await.unwrap();
    assert_eq!(r.submissions.len(), 1, "{r:?}");
    let again = planner::run(&app.db, day, &config, false).await.unwrap();
    assert_eq!(again.written, 0);
    assert!(again.submissions[0].in_outbox);
    let rows = submission_reminders(&app).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        row.dedupe_key,
        format!("ext|LAO|CLEARANCE|2030-08-01|2028-12-11|L90|{contact}")
    );
    assert_eq!(
        (
            row.reason,
            row.obligation_kind,
            row.due_date,
            row.round.as_deref(),
            row.contact_point_id,
            row.status,
        ),
        (
            NotificationReason::DeadlineApproaching,
            Some(StoredKind::Clearance),
            Some(date("2028-12-11")),
            Some("L90"),
            Some(contact),
            NotificationStatus::Pending,
        )
    );
    // The deadline's own reminders go on by their rule: nothing of the 2030 deadline yet.
    assert!(
        notification::Entity::find()
            .filter(notification::Column::DedupeKey.starts_with("rem|LAO"))
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );

    // Delivered by a real SMTP server.
    let server = SmtpServer::start();
    let mailer = sender::Mailer::new(&server.url(), &config.mail_from).unwrap();
    let sent = sender::send_due(
        &app.db,
        &mailer,
        &config,
        day,
        ccm_isu::kernel::clock::now(),
        50,
    )
    .await
    .unwrap();
    assert_eq!((sent.claimed, sent.sent), (1, 1), "{sent:?}");
    let mail = server.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mail[0].to, vec!["focal@lao.test".to_owned()]);
    let subject = mail[0].subject();
    assert!(subject.contains("11 December 2028"), "{subject}");
    assert!(
        subject.contains("Lao People's Democratic Republic"),
        "{subject}"
    );
    let text = mail[0].text();
    for part in [
        "1 August 2030",
        "Sixteenth Meeting of States Parties, opening on 11 September 2029",
        "90 days remain",
        "Article 4(5)",
        "Article 4(6)",
        "https://ccm.test/extensions",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }

    // The 30-day round is written; then Lao submits its request before it goes out: the
    // sender cancels it instead of sending it, and no later round is planned.
    let l30 = date("2028-11-11");
    let r = planner::run(&app.db, l30, &config, false).await.unwrap();
    assert_eq!(r.written, 1, "{r:?}");
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let (id, version, provisions) =
        open(&app, &lao, "LAO", "CLEARANCE", "2035-08-01", &msp16).await;
    complete_and_submit(&app, &lao, &id, version, &provisions).await;
    let sent = sender::send_due(
        &app.db,
        &mailer,
        &config,
        l30,
        ccm_isu::kernel::clock::now(),
        50,
    )
    .await
    .unwrap();
    assert_eq!((sent.sent, sent.cancelled), (0, 1), "{sent:?}");
    let statuses: Vec<(String, NotificationStatus)> = submission_reminders(&app)
        .await
        .into_iter()
        .map(|n| (n.round.unwrap_or_default(), n.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("L30".to_owned(), NotificationStatus::Cancelled),
            ("L90".to_owned(), NotificationStatus::Sent),
        ]
    );
    let r = planner::run(&app.db, date("2028-12-04"), &config, false)
        .await
        .unwrap();
    assert!(r.submissions.is_empty(), "{r:?}");
    assert_eq!(submission_reminders(&app).await.len(), 2);
}

#[tokio::test]
async fn a_pending_reminder_is_cancelled_by_the_planner_once_its_deadline_moves() {
    let day = date("2028-11-11");
    let app = spawn_app_with(move |s| {
        s.today = Some(day);
        s.mail.reminders = false;
    })
    .await;
    let admin = app.admin_token().await;
    clearance_and_stockpiles_only(&app, &admin).await;
    lao_clearance_to_2030(&app, &admin).await;
    meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "16MSP",
        "2029-09-11",
        "2029-09-14",
    )
    .await;
    meeting(
        &app,
        &admin,
        "MEETING_OF_STATES_PARTIES",
        "17MSP",
        "2030-09-10",
        "2030-09-13",
    )
    .await;
    let body = app
        .graphql_as(
            &admin,
            "mutation($input: AddContactPointInput!) { addContactPoint(input: $input) { userErrors { code } } }",
            json!({"input": {"stateCode": "LAO", "name": "Focal point", "function": "NATIONAL_AUTHORITY",
                "email": "focal@lao.test", "language": "FR"}}),
        )
        .await;
    assert_eq!(
        body["data"]["addContactPoint"]["userErrors"],
        json!([]),
        "{body}"
    );
    let config = mail_config();
    let r = planner::run(&app.db, day, &config, false).await.unwrap();
    assert_eq!(r.submissions.len(), 1);
    let subject = &submission_reminders(&app).await[0].subject;
    assert!(subject.contains("11 décembre 2028"), "in French: {subject}");

    // An extension to 2031-01-01: the 17th MSP decides it, by 2029-12-10; the pending
    // reminder of 2028-12-11 is cancelled at the next run.
    extend(&app, &admin, "LAO", "CLEARANCE", "2031-01-01", "2028-11-01").await;
    let r = planner::run(&app.db, day, &config, false).await.unwrap();
    assert_eq!((r.written, r.cancelled), (0, 1), "{r:?}");
    assert!(r.submissions.is_empty());
    let rows = submission_reminders(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, NotificationStatus::Cancelled);
}

/// GET `path` with `token`.
async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.unwrap()
}

fn csv_rows(body: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_isu_exports_the_milestones_as_csv() {
    let app = app().await;
    let admin = app.admin_token().await;
    deadlines(&app, &admin).await;
    let msp16 = meetings(&app, &admin).await;
    // A title that a spreadsheet would run as a formula is written as text.
    meeting(
        &app,
        &admin,
        "REVIEW_CONFERENCE",
        "=4RC()",
        "2029-10-01",
        "2029-10-05",
    )
    .await;
    let staff = app.token_for("ISU_STAFF", None).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    open(&app, &lao, "LAO", "CLEARANCE", "2035-08-01", &msp16).await;

    let resp = get(
        &app,
        "/exports/extension-milestones.csv?withinMonths=60",
        Some(&staff),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(resp.headers()["cache-control"], "private, max-age=300");
    let tag = resp.headers()["etag"].to_str().unwrap().to_owned();
    let body = resp.text().await.unwrap();
    assert!(
        body.starts_with(
            "state_code,state_name,kind,due_date,extended,deciding_meeting,meeting_opens,submit_by,days_to_submit,request_status\n"
        ),
        "{body}"
    );
    let rows = csv_rows(&body);
    let cells = |r: &Vec<String>| [0, 2, 3, 4, 5, 6, 7, 9].map(|i| r[i].clone()).to_vec();
    assert_eq!(
        rows.iter().map(cells).collect::<Vec<_>>(),
        vec![
            vec![
                "SOM",
                "CLEARANCE",
                "2027-09-13",
                "yes",
                "13MSP",
                "2025-09-16",
                "2024-12-16",
                ""
            ],
            vec![
                "CHL",
                "CLEARANCE",
                "2028-09-12",
                "yes",
                "15MSP",
                "2028-09-12",
                "2027-12-12",
                ""
            ],
            // The Review Conference opens 2029-10-01, on or before Iraq's and Lao's
            // deadlines: it decides both, and its title is written as text.
            vec![
                "IRQ",
                "STOCKPILE_DESTRUCTION",
                "2029-11-01",
                "yes",
                "'=4RC()",
                "2029-10-01",
                "2029-01-01",
                ""
            ],
            vec![
                "LAO",
                "CLEARANCE",
                "2030-08-01",
                "yes",
                "'=4RC()",
                "2029-10-01",
                "2029-01-01",
                "DRAFT"
            ],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(str::to_owned).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
    assert_eq!(rows[3][1], "Lao People's Democratic Republic");
    assert_eq!(rows[0][8], "-721");
    // The same export, unchanged: 304.
    let again = app
        .client
        .get(format!(
            "{}/exports/extension-milestones.csv?withinMonths=60",
            app.base
        ))
        .bearer_auth(&staff)
        .header("if-none-match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    // The default window: 36 months, Lao's deadline not in it.
    let default = get(&app, "/exports/extension-milestones.csv", Some(&staff)).await;
    assert_eq!(csv_rows(&default.text().await.unwrap()).len(), 3);

    // ISU staff only: a delegation 403, no token 401 with a challenge; a bad window 400.
    let resp = get(&app, "/exports/extension-milestones.csv", Some(&lao)).await;
    assert_eq!(resp.status().as_u16(), 403);
    let resp = get(&app, "/exports/extension-milestones.csv", None).await;
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp.headers().contains_key("www-authenticate"));
    for bad in ["121", "-1", "soon"] {
        let resp = get(
            &app,
            &format!("/exports/extension-milestones.csv?withinMonths={bad}"),
            Some(&staff),
        )
        .await;
        assert_eq!(resp.status().as_u16(), 400, "{bad}");
    }
}

/// The text of an HTML page, without its tags and with runs of white space as one space.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_demo_has_requests_at_every_stage_and_the_reports_show_them() {
    let app = app().await;
    let mut settings = ccm_isu::kernel::config::Settings::for_database(&app.url);
    settings.today = Some(date(TODAY));
    ccm_isu::seed::demo(&app.db, &settings, PASSWORD)
        .await
        .expect("the demo loads");

    // Requests at every stage, by the demo staff account's mutations.
    let rows = extension_request::Entity::find()
        .order_by_asc(extension_request::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let stages: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r.state_code,
                sea_orm::ActiveEnum::to_value(&r.status),
                r.outcome
                    .map_or_else(|| "-".to_owned(), |o| sea_orm::ActiveEnum::to_value(&o)),
                if r.submitted_on.is_some() {
                    "submitted"
                } else {
                    "unsubmitted"
                },
            )
        })
        .collect();
    assert_eq!(
        stages,
        [
            "DEU WITHDRAWN - submitted",
            "CHL DECIDED GRANTED submitted",
            "SOM DECIDED GRANTED_SHORTER submitted",
            "SOM UNDER_ANALYSIS - submitted",
            "LAO DRAFT - unsubmitted",
        ]
    );
    let staff = app.token_for("ISU_STAFF", None).await;
    let body = app
        .graphql_as(
            &staff,
            "{ extensionRequests(first: 10) { edges { node { state { code } status late
               questions { number answer } outcome grantedDeadline extension { newDeadline }
               documents { symbol } decision { reference } } } } }",
            json!({}),
        )
        .await;
    let nodes: Vec<&Value> = body["data"]["extensionRequests"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(nodes.len(), 5, "{body}");
    assert_eq!(nodes[1]["late"], false, "Chile on time");
    assert_eq!(nodes[1]["extension"]["newDeadline"], "2029-06-01");
    assert_eq!(nodes[1]["documents"], json!([{"symbol": "CCM/MSP/2025/5"}]));
    assert_eq!(nodes[1]["decision"], json!({"reference": "para. 26"}));
    assert_eq!(nodes[2]["documents"], json!([{"symbol": "CCM/MSP/2025/6"}]));
    assert_eq!(nodes[2]["late"], true, "Somalia late");
    assert_eq!(nodes[2]["grantedDeadline"], "2028-03-01");
    let questions = nodes[3]["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2);
    assert!(questions[0]["answer"].is_string() && questions[1]["answer"].is_null());

    // The milestones on the demo data: who must ask, by when.
    let lines = milestones(&app, &staff, Some(60)).await;
    let said: Vec<(String, Option<String>, Option<String>, Value)> = lines
        .iter()
        .map(|l| {
            (
                l["obligation"]["state"]["code"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                l["decidingMeeting"]["title"].as_str().map(str::to_owned),
                l["submitBy"].as_str().map(str::to_owned),
                l["request"]["status"].clone(),
            )
        })
        .collect();
    eprintln!("the demo's milestones on {TODAY}: {said:#?}");
    assert_eq!(
        said,
        vec![
            (
                "SOM".into(),
                Some("DEMO Fourteenth Meeting of States Parties (14MSP)".into()),
                Some("2026-12-14".into()),
                json!("UNDER_ANALYSIS"),
            ),
            (
                "CHL".into(),
                Some("DEMO Fifteenth Meeting of States Parties (15MSP)".into()),
                Some("2027-12-12".into()),
                Value::Null,
            ),
            (
                "LAO".into(),
                Some("DEMO Sixteenth Meeting of States Parties (16MSP)".into()),
                Some("2028-12-11".into()),
                json!("DRAFT"),
            ),
        ]
    );
    // Lao's draft: its delegation reads it, Iraq's does not.
    let irq = app.token_for("DELEGATION", Some("IRQ")).await;
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    assert!(lao_line(&app, &irq).await["request"].is_null());
    assert_eq!(lao_line(&app, &lao).await["request"]["status"], "DRAFT");

    // The annual report of 2025: the requests decided that year and the deadlines ahead.
    let html = get(&app, "/reports/annual/2025.html", Some(&staff))
        .await
        .text()
        .await
        .unwrap();
    let text = html_text(&html);
    for part in [
        "Extension requests",
        "Extension requests decided in 2025",
        "Chile Clearance (Article 4) DEMO Thirteenth Meeting of States Parties (13MSP) 1 June 2026 1 June 2029 Granted 1 June 2029 18 September 2025",
        "Somalia Clearance (Article 4) DEMO Thirteenth Meeting of States Parties (13MSP) 1 March 2026 1 March 2031 Granted for a shorter period 1 March 2028 18 September 2025",
        "Requests decided in 2025 2",
        "Deadlines ahead and the requests they need",
        "Somalia Clearance (Article 4) 1 March 2028 DEMO Fourteenth Meeting of States Parties (14MSP) 14 December 2026 Under analysis",
        "Chile Clearance (Article 4) 1 June 2029 DEMO Fifteenth Meeting of States Parties (15MSP) 12 December 2027 No request",
    ] {
        assert!(
            text.contains(part),
            "the annual report lacks {part:?}: {text}"
        );
    }
    let pdf = get(&app, "/reports/annual/2025.pdf", Some(&staff)).await;
    assert_eq!(pdf.status().as_u16(), 200);

    // Lao's profile, for its delegation: its draft and its earlier history.
    let html = get(&app, "/reports/states/LAO.html", Some(&lao))
        .await
        .text()
        .await
        .unwrap();
    let text = html_text(&html);
    assert!(
        text.contains(
            "Extension requests Obligation Deadline Requested Meeting Submit by Submitted on Status Outcome Granted deadline Clearance (Article 4) 1 August 2030 1 August 2035 DEMO Sixteenth Meeting of States Parties (16MSP) 11 December 2028 – Draft"
        ),
        "{text}"
    );
    let html = get(&app, "/reports/states/SOM.html", Some(&staff))
        .await
        .text()
        .await
        .unwrap();
    let text = html_text(&html);
    assert!(
        text.contains("Decided (late) Granted for a shorter period 1 March 2028"),
        "{text}"
    );
    assert!(
        text.contains("14 December 2026 16 November 2026 Under analysis"),
        "{text}"
    );

    // A second run changes nothing.
    let audit = app.audit_entries().await;
    ccm_isu::seed::demo(&app.db, &settings, PASSWORD)
        .await
        .expect("the demo loads again");
    assert_eq!(app.audit_entries().await, audit);
    assert_eq!(
        extension_request::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        5
    );
}
