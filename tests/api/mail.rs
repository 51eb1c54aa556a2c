//! Email delivery against a real SMTP server started by the test (tests/api/smtp_server.rs):
//! the right messages reach the right addresses in the right language; a refusal (451) is
//! retried and each message arrives once; a permanent refusal (550), spent attempts and a
//! header-injecting subject are FAILED with a clear lastError; a sender that dies loses
//! nothing (its rows are sent once their lease passes, with the same Message-ID); two
//! senders racing send each row once; without ISU_SMTP_URL emails stay PENDING and the
//! readiness body says so; `/metrics` shows the outbox and the sender.
//!
//! Most tests call the sender directly on the app's database, with an explicit `now`, so
//! that time moves without waiting; the end-to-end ones let the server's own loop run with
//! a one-second interval.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use ccm_isu::domain::notifications::NotificationsConfig;
use ccm_isu::domain::notifications::messages::{self, Message, Topic};
use ccm_isu::domain::notifications::outbox::{self, NewNotification};
use ccm_isu::domain::notifications::sender::{self, Mailer, SendReport};
use ccm_isu::kernel::clock::now;
use ccm_isu::kernel::config::{Secret, Settings};
use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    ContactFunction, Language, NotificationChannel, NotificationReason, NotificationStatus,
};
use entity::{contact_point, notification};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Database, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app_with};
use crate::smtp_server::{Received, SmtpServer};

const FROM: &str = "ISU CCM <no-reply@isu.test>";

fn config(max_attempts: u32) -> NotificationsConfig {
    NotificationsConfig {
        smtp_url: None,
        mail_from: FROM.into(),
        isu_address: None,
        public_url: "https://ccm.example.org".into(),
        max_attempts,
        interval: Duration::from_secs(300),
        run: true,
    }
}

fn mailer(server: &SmtpServer) -> Mailer {
    Mailer::new(&server.url(), FROM).expect("mailer")
}

/// A direct-sender app: no loop of its own.
async fn quiet_app() -> TestApp {
    spawn_app_with(|s| s.mail.reminders = false).await
}

fn today() -> NaiveDate {
    now().date_naive()
}

/// An event email (a report submitted) to `recipient`, rendered in `language`.
fn event(recipient: &str, language: Language) -> NewNotification {
    let r = messages::render(&Message {
        topic: Topic::ReportSubmitted {
            reporting_year: Some(2025),
            initial: false,
        },
        state_name: "France".into(),
        language,
        portal_url: "https://ccm.example.org".into(),
    });
    NewNotification {
        dedupe_key: format!("test|{}", Uuid::new_v4()),
        reason: NotificationReason::ReportSubmitted,
        channel: NotificationChannel::Email,
        state_code: Some("FRA".into()),
        contact_point_id: None,
        recipient_user_id: None,
        recipient: recipient.into(),
        subject: r.subject,
        body: r.text,
        body_html: Some(r.html),
        language,
        obligation_kind: None,
        reporting_year: Some(2025),
        due_date: None,
        round: None,
        subject_id: None,
    }
}

async fn enqueue(db: &DatabaseConnection, rows: Vec<NewNotification>) {
    let n = rows.len() as u64;
    assert_eq!(outbox::enqueue(db, rows).await.expect("enqueue"), n);
}

async fn emails(db: &DatabaseConnection) -> Vec<notification::Model> {
    notification::Entity::find()
        .filter(notification::Column::Channel.eq(NotificationChannel::Email))
        .all(db)
        .await
        .expect("rows")
}

async fn by_recipient(db: &DatabaseConnection, recipient: &str) -> notification::Model {
    notification::Entity::find()
        .filter(notification::Column::Recipient.eq(recipient))
        .one(db)
        .await
        .expect("row")
        .unwrap_or_else(|| panic!("no row for {recipient}"))
}

async fn send(
    db: &DatabaseConnection,
    m: &Mailer,
    c: &NotificationsConfig,
    at: DateTime<Utc>,
) -> SendReport {
    sender::send_due(db, m, c, today(), at, 50)
        .await
        .expect("a pass")
}

/// Passes at `at` until nothing is claimed; answers the sum.
async fn drain(
    db: &DatabaseConnection,
    m: &Mailer,
    c: &NotificationsConfig,
    at: DateTime<Utc>,
    batch: u64,
) -> SendReport {
    let mut total = SendReport::default();
    loop {
        let r = sender::send_due(db, m, c, today(), at, batch)
            .await
            .expect("a pass");
        if r.claimed == 0 {
            return total;
        }
        total.claimed += r.claimed;
        total.sent += r.sent;
        total.retried += r.retried;
        total.failed += r.failed;
        total.cancelled += r.cancelled;
        total.latencies.extend(r.latencies);
    }
}

/// How many times each Message-ID reached the server.
fn per_message_id(received: &[Received]) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for r in received {
        *n.entry(r.message_id()).or_insert(0) += 1;
    }
    n
}

fn message_id(id: Uuid) -> String {
    format!("<{id}@isu.test>")
}

async fn contact(
    db: &DatabaseConnection,
    state: &str,
    email: &str,
    language: Language,
    active: bool,
) -> Uuid {
    let at = now();
    let id = Uuid::now_v7();
    contact_point::ActiveModel {
        id: Set(id),
        state_code: Set(state.into()),
        name: Set(format!("Focal point {state}")),
        function: Set(ContactFunction::Article7FocalPoint),
        email: Set(email.into()),
        language: Set(language),
        active: Set(active),
        created_at: Set(at),
        updated_at: Set(at),
    }
    .insert(db)
    .await
    .expect("contact point");
    id
}

#[tokio::test]
async fn the_server_plans_and_sends_each_contact_its_reminders_in_its_language() {
    let server = SmtpServer::start();
    let url = server.url();
    let app = spawn_app_with(move |s| {
        // 30 days before the annual reports fall due (30 April 2026).
        s.today = NaiveDate::from_ymd_opt(2026, 3, 31);
        s.mail.smtp_url = Some(Secret::new(url));
        s.mail.mail_from = FROM.into();
        s.mail.public_url = "https://ccm.example.org".into();
        s.mail.reminder_interval_secs = 1;
    })
    .await;
    let people = [
        (
            "FRA",
            "France",
            "point.focal@diplomatie.example.fr",
            Language::Fr,
        ),
        (
            "ESP",
            "Spain",
            "punto.focal@exteriores.example.es",
            Language::Es,
        ),
        (
            "CHL",
            "Chile",
            "focal.point@minrel.example.cl",
            Language::En,
        ),
        // No template in Chinese: English.
        ("CHL", "Chile", "mission@chile.example.ch", Language::Zh),
    ];
    let mut contacts = BTreeMap::new();
    for (state, name, email, language) in people {
        let id = contact(&app.db, state, email, language, true).await;
        contacts.insert(id, (state, name, email, language));
    }
    // An inactive contact point is never written to.
    contact(
        &app.db,
        "FRA",
        "former@diplomatie.example.fr",
        Language::Fr,
        false,
    )
    .await;

    // The planner runs every second and the sender with it: wait until every reminder of
    // these contact points is SENT.
    let deadline = Instant::now() + Duration::from_secs(60);
    let rows = loop {
        let rows = emails(&app.db).await;
        let done = contacts
            .keys()
            .all(|id| rows.iter().any(|r| r.contact_point_id == Some(*id)))
            && rows.iter().all(|r| r.status == NotificationStatus::Sent);
        if done {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "not all sent after a minute: {:?}",
            rows.iter()
                .map(|r| (&r.recipient, r.status, &r.last_error))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let received = server.accepted();
    let counts = per_message_id(&received);
    assert_eq!(received.len(), rows.len(), "one message per row");
    let mut annual = 0;
    for row in &rows {
        let (state, name, email, language) = contacts[&row.contact_point_id.expect("a contact")];
        assert_eq!(row.recipient, email);
        assert_eq!(row.state_code.as_deref(), Some(state));
        assert_eq!(row.attempts, 1);
        assert!(row.sent_at.is_some());
        let id = message_id(row.id);
        assert_eq!(counts.get(&id), Some(&1), "{id} once");
        let got = received
            .iter()
            .find(|r| r.message_id() == id)
            .expect("received");
        assert_eq!(got.to, [email.to_owned()], "the envelope's recipient");
        assert_eq!(got.from, "no-reply@isu.test");
        let tag = match language {
            Language::Fr => "fr",
            Language::Es => "es",
            _ => "en",
        };
        assert_eq!(got.header("content-language").as_deref(), Some(tag));
        let (text, html, subject) = (got.text(), got.html(), got.subject());
        assert!(text.contains(name), "{text}");
        assert!(html.contains(name), "{html}");
        assert!(html.contains(&format!("<html lang=\"{tag}\">")), "{html}");
        assert!(text.contains("https://ccm.example.org/deadlines"), "{text}");
        let greeting = match tag {
            "fr" => "Madame, Monsieur",
            "es" => "Estimados colegas",
            _ => "Dear colleagues",
        };
        assert!(text.starts_with(greeting), "{text}");
        assert_eq!(subject, row.subject);
        if row.round.as_deref() == Some("L30") {
            annual += 1;
            let due = match tag {
                "fr" => "30 avril 2026",
                "es" => "30 de abril de 2026",
                _ => "30 April 2026",
            };
            assert!(subject.contains(due), "{subject}");
            assert!(text.contains("7(2)"), "{text}");
        }
    }
    // Each active contact point got its reminder of the annual report due in 30 days.
    assert_eq!(annual, contacts.len(), "{rows:#?}");
    assert!(
        !received
            .iter()
            .any(|r| r.to.contains(&"former@diplomatie.example.fr".to_owned()))
    );
}

#[tokio::test]
async fn a_server_that_refuses_then_accepts_gets_each_message_once() {
    let server = SmtpServer::start();
    let app = quiet_app().await;
    let (m, c) = (mailer(&server), config(8));
    enqueue(
        &app.db,
        vec![
            event("a@example.org", Language::En),
            event("b@example.org", Language::Fr),
            event("c@example.org", Language::Es),
        ],
    )
    .await;
    server.refuse_next(2, 451);
    let t0 = now();
    let first = send(&app.db, &m, &c, t0).await;
    assert_eq!(
        (first.claimed, first.sent, first.retried, first.failed),
        (3, 1, 2, 0)
    );
    assert_eq!(first.latencies.len(), 3);
    let rows = emails(&app.db).await;
    let waiting: Vec<_> = rows
        .iter()
        .filter(|r| r.status == NotificationStatus::Pending)
        .collect();
    assert_eq!(waiting.len(), 2);
    for r in &waiting {
        assert_eq!(r.attempts, 1);
        let e = r.last_error.as_deref().expect("the error is recorded");
        assert!(e.contains("451") && e.contains("attempt 1 of 8"), "{e}");
        // Retried a minute later (the first backoff).
        let wait = r.next_attempt_at - t0;
        assert!(
            wait >= chrono::Duration::seconds(60) && wait < chrono::Duration::seconds(70),
            "{wait}"
        );
    }
    // Not due yet: nothing is claimed.
    assert_eq!(send(&app.db, &m, &c, t0).await.claimed, 0);
    let later = send(&app.db, &m, &c, t0 + chrono::Duration::seconds(75)).await;
    assert_eq!((later.claimed, later.sent), (2, 2));

    let received = server.accepted();
    assert_eq!(received.len(), 3);
    assert_eq!(server.transactions(), 5, "3 accepted, 2 refused");
    let counts = per_message_id(&received);
    for r in emails(&app.db).await {
        assert_eq!(r.status, NotificationStatus::Sent);
        assert_eq!(counts.get(&message_id(r.id)), Some(&1));
        let got = received
            .iter()
            .find(|m| m.message_id() == message_id(r.id))
            .expect("received");
        assert_eq!(got.to, std::slice::from_ref(&r.recipient));
        if r.attempts == 2 {
            // What the row went through stays on it.
            assert!(r.last_error.as_deref().is_some_and(|e| e.contains("451")));
        } else {
            assert_eq!((r.attempts, r.last_error.as_deref()), (1, None));
        }
    }
}

#[tokio::test]
async fn permanent_refusals_spent_attempts_and_header_injection_are_failed() {
    let server = SmtpServer::start();
    let app = quiet_app().await;
    let (m, c) = (mailer(&server), config(2));
    server.refuse_recipient("gone@example.org", 550);
    let mut injected = event("victim@example.org", Language::En);
    injected.subject = "Hello\r\nBcc: everyone@example.org".into();
    enqueue(
        &app.db,
        vec![
            event("gone@example.org", Language::En),
            event("ok@example.org", Language::En),
            injected,
            event("not an address", Language::En),
            event("also-ok@example.org", Language::En),
        ],
    )
    .await;
    let t0 = now();
    let rows_before = emails(&app.db).await;
    assert_eq!(rows_before.len(), 5);

    let first = send(&app.db, &m, &c, t0).await;
    assert_eq!(first.claimed, 5);
    let gone = by_recipient(&app.db, "gone@example.org").await;
    assert_eq!(
        (gone.status, gone.attempts),
        (NotificationStatus::Failed, 1)
    );
    let e = gone.last_error.expect("why");
    assert!(
        e.contains("refused by the SMTP server") && e.contains("550"),
        "{e}"
    );
    let bcc = by_recipient(&app.db, "victim@example.org").await;
    assert_eq!(bcc.status, NotificationStatus::Failed);
    assert!(bcc.last_error.expect("why").contains("line break"));
    let bad = by_recipient(&app.db, "not an address").await;
    assert_eq!(bad.status, NotificationStatus::Failed);
    assert!(
        bad.last_error
            .expect("why")
            .contains("not an email address")
    );
    assert_eq!(
        by_recipient(&app.db, "ok@example.org").await.status,
        NotificationStatus::Sent
    );
    assert_eq!(
        by_recipient(&app.db, "also-ok@example.org").await.status,
        NotificationStatus::Sent
    );
    // Nothing with a line break in a header went out.
    assert!(
        server
            .accepted()
            .iter()
            .all(|r| !r.raw.contains("everyone@example.org"))
    );

    // A row whose every attempt is refused for now: FAILED after ISU_MAIL_MAX_ATTEMPTS (2).
    enqueue(&app.db, vec![event("busy@example.org", Language::En)]).await;
    server.refuse_next(2, 451);
    let t1 = now();
    let r1 = send(&app.db, &m, &c, t1).await;
    assert_eq!((r1.claimed, r1.retried), (1, 1));
    let busy = by_recipient(&app.db, "busy@example.org").await;
    assert_eq!(
        (busy.status, busy.attempts),
        (NotificationStatus::Pending, 1)
    );
    let r2 = send(&app.db, &m, &c, t1 + chrono::Duration::seconds(90)).await;
    assert_eq!((r2.claimed, r2.failed), (1, 1));
    let busy = by_recipient(&app.db, "busy@example.org").await;
    assert_eq!(
        (busy.status, busy.attempts),
        (NotificationStatus::Failed, 2)
    );
    let e = busy.last_error.expect("why");
    assert!(e.contains("451") && e.contains("attempt 2 of 2"), "{e}");
    // FAILED is final: later passes leave it.
    let r3 = send(&app.db, &m, &c, t1 + chrono::Duration::days(1)).await;
    assert_eq!(r3.claimed, 0);
}

#[tokio::test]
async fn a_killed_sender_loses_nothing_and_a_resend_keeps_its_message_id() {
    let server = SmtpServer::start();
    let app = quiet_app().await;
    let (m, c) = (mailer(&server), config(8));
    enqueue(
        &app.db,
        (0..3)
            .map(|i| event(&format!("r{i}@example.org"), Language::En))
            .collect(),
    )
    .await;
    let t0 = now();
    // A sender claims the rows and dies before sending any.
    let claimed = sender::claim(&app.db, t0, 10).await.expect("claim");
    assert_eq!(claimed.len(), 3);
    assert!(claimed.iter().all(|r| r.attempts == 1));
    drop(claimed);
    // While its lease runs, no other sender takes them.
    assert_eq!(send(&app.db, &m, &c, t0).await.claimed, 0);
    assert_eq!(
        send(&app.db, &m, &c, t0 + chrono::Duration::minutes(4))
            .await
            .claimed,
        0
    );
    // Once it has passed, they are sent, each once.
    let after = t0
        + chrono::Duration::from_std(sender::LEASE).expect("lease")
        + chrono::Duration::seconds(1);
    let r = send(&app.db, &m, &c, after).await;
    assert_eq!((r.claimed, r.sent), (3, 3));
    let received = server.accepted();
    assert_eq!(received.len(), 3);
    for row in emails(&app.db).await {
        assert_eq!((row.status, row.attempts), (NotificationStatus::Sent, 2));
        assert_eq!(per_message_id(&received).get(&message_id(row.id)), Some(&1));
    }

    // A sender that dies after the server accepted the message, before marking it: the row
    // is sent again once the lease passes (at least once), with the same Message-ID, so the
    // receiver can drop the copy.
    enqueue(&app.db, vec![event("twice@example.org", Language::En)]).await;
    let t1 = now();
    let claimed = sender::claim(&app.db, t1, 10).await.expect("claim");
    assert_eq!(claimed.len(), 1);
    {
        use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
        let email = m.compose(&claimed[0]).expect("email");
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(server.port)
            .build()
            .send(email)
            .await
            .expect("accepted");
    }
    let after = t1
        + chrono::Duration::from_std(sender::LEASE).expect("lease")
        + chrono::Duration::seconds(1);
    assert_eq!(send(&app.db, &m, &c, after).await.sent, 1);
    let twice: Vec<_> = server
        .accepted()
        .into_iter()
        .filter(|r| r.to == ["twice@example.org".to_owned()])
        .collect();
    assert_eq!(twice.len(), 2);
    assert_eq!(twice[0].message_id(), twice[1].message_id());
    assert_eq!(twice[0].message_id(), message_id(claimed[0].id));
    let row = by_recipient(&app.db, "twice@example.org").await;
    assert_eq!(row.status, NotificationStatus::Sent);
}

/// A reminder of an obligation that is still open, due on the date it names, goes out; one
/// whose due date is no longer the obligation's (an extension moved it, or it was met) is
/// CANCELLED by the sender, never sent.
#[tokio::test]
async fn a_reminder_no_longer_due_is_cancelled_not_sent() {
    let server = SmtpServer::start();
    let app = quiet_app().await;
    let (m, c) = (mailer(&server), config(8));
    let today = NaiveDate::from_ymd_opt(2026, 3, 31).expect("date");
    let reminder = |recipient: &str, due: &str| {
        let due: NaiveDate = due.parse().expect("date");
        let r = messages::render(&Message {
            topic: Topic::Deadline {
                kind: ccm_isu::rules::obligations::ObligationKind::AnnualTransparencyReport,
                reporting_year: Some(2025),
                due_date: due,
                days_remaining: (due - today).num_days(),
            },
            state_name: "France".into(),
            language: Language::Fr,
            portal_url: "https://ccm.example.org".into(),
        });
        NewNotification {
            dedupe_key: format!("test|{}", Uuid::new_v4()),
            reason: NotificationReason::DeadlineApproaching,
            obligation_kind: Some(entity::enums::ObligationKind::AnnualTransparencyReport),
            reporting_year: Some(2025),
            due_date: Some(due),
            round: Some("L30".into()),
            subject: r.subject,
            body: r.text,
            body_html: Some(r.html),
            ..event(recipient, Language::Fr)
        }
    };
    enqueue(
        &app.db,
        vec![
            // France's annual report covering 2025 is due on 30 April 2026.
            reminder("due@example.org", "2026-04-30"),
            reminder("moved@example.org", "2026-05-15"),
        ],
    )
    .await;
    let r = sender::send_due(&app.db, &m, &c, today, now(), 50)
        .await
        .expect("a pass");
    assert_eq!((r.claimed, r.sent, r.cancelled), (2, 1, 1), "{r:?}");
    let moved = by_recipient(&app.db, "moved@example.org").await;
    // Cancelled, and its claim was not an attempt.
    assert_eq!(
        (moved.status, moved.attempts),
        (NotificationStatus::Cancelled, 0)
    );
    assert_eq!(
        by_recipient(&app.db, "due@example.org").await.status,
        NotificationStatus::Sent
    );
    let received = server.accepted();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].to, ["due@example.org".to_owned()]);
    assert!(received[0].subject().contains("30 avril 2026"));
}

/// On PostgreSQL (TEST_DATABASE_URL) the rows are claimed `FOR UPDATE SKIP LOCKED`; on
/// SQLite the claim is one statement under the database's only write lock. Either way two
/// senders on their own connections send each row once.
#[tokio::test]
async fn two_senders_racing_send_each_row_once() {
    let server = SmtpServer::start();
    let app = quiet_app().await;
    let c = config(8);
    const N: usize = 120;
    enqueue(
        &app.db,
        (0..N)
            .map(|i| event(&format!("race{i}@example.org"), Language::En))
            .collect(),
    )
    .await;
    let (db_a, db_b) = (
        Database::connect(&app.url).await.expect("connect"),
        Database::connect(&app.url).await.expect("connect"),
    );
    let (m_a, m_b) = (mailer(&server), mailer(&server));
    let at = now();
    let (a, b) = tokio::join!(
        drain(&db_a, &m_a, &c, at, 10),
        drain(&db_b, &m_b, &c, at, 10)
    );
    assert_eq!(a.claimed + b.claimed, N as u64, "{a:?} {b:?}");
    assert_eq!(a.sent + b.sent, N as u64);
    let received = server.accepted();
    assert_eq!(received.len(), N);
    let counts = per_message_id(&received);
    assert_eq!(counts.len(), N);
    assert!(counts.values().all(|n| *n == 1));
    for row in emails(&app.db).await {
        assert_eq!((row.status, row.attempts), (NotificationStatus::Sent, 1));
        let got = received
            .iter()
            .find(|r| r.message_id() == message_id(row.id))
            .expect("received");
        assert_eq!(got.to, std::slice::from_ref(&row.recipient));
    }
}

#[tokio::test]
async fn without_smtp_emails_stay_pending_and_readiness_says_so() {
    let app = spawn_app_with(|s| s.mail.reminder_interval_secs = 1).await;
    enqueue(&app.db, vec![event("someone@example.org", Language::En)]).await;
    let resp = app
        .client
        .get(format!("{}/health/ready", app.base))
        .send()
        .await
        .expect("ready");
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.expect("body");
    assert_eq!(
        body,
        "ready; email: not configured (ISU_SMTP_URL unset): emails stay PENDING"
    );
    // The server's loop has run (every second) and left the row alone.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let row = by_recipient(&app.db, "someone@example.org").await;
    assert_eq!((row.status, row.attempts), (NotificationStatus::Pending, 0));

    // With SMTP configured the body is plain "ready"; on a replica that leaves email to
    // another server, it says so.
    let server = SmtpServer::start();
    let url = server.url();
    let with = spawn_app_with(move |s| s.mail.smtp_url = Some(Secret::new(url))).await;
    let body = with
        .client
        .get(format!("{}/health/ready", with.base))
        .send()
        .await
        .expect("ready")
        .text()
        .await
        .expect("body");
    assert_eq!(body, "ready");
    let url = server.url();
    let replica = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(Secret::new(url));
        s.mail.reminders = false;
    })
    .await;
    let body = replica
        .client
        .get(format!("{}/health/ready", replica.base))
        .send()
        .await
        .expect("ready")
        .text()
        .await
        .expect("body");
    assert!(
        body.starts_with("ready; email: not sent by this server"),
        "{body}"
    );
}

#[tokio::test]
async fn a_bad_smtp_url_stops_the_start_without_showing_the_password() {
    for (url, says) in [
        (
            "smtp://user:hunter2@mail.example.org?tls=sometimes",
            "tls=sometimes",
        ),
        ("http://user:hunter2@mail.example.org", "smtp://"),
    ] {
        let mut settings = Settings::for_database("sqlite://never-opened.db?mode=ro");
        settings.mail.smtp_url = Some(Secret::new(url));
        let err = match ccm_isu::startup::Application::build(settings).await {
            Ok(_) => panic!("{url} accepted"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("ISU_SMTP_URL") && err.contains(says), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    let mut settings = Settings::for_database("sqlite://never-opened.db?mode=ro");
    settings.mail.smtp_url = Some(Secret::new("smtp://127.0.0.1:2525"));
    settings.mail.mail_from = "nobody".into();
    let err = match ccm_isu::startup::Application::build(settings).await {
        Ok(_) => panic!("a From without a domain accepted"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("ISU_MAIL_FROM"), "{err}");
}

/// The value of a sample line `name` in a Prometheus exposition.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
}

#[tokio::test]
async fn metrics_show_the_outbox_and_the_sender() {
    let server = SmtpServer::start();
    server.refuse_recipient("gone@example.org", 550);
    let url = server.url();
    let app = spawn_app_with(move |s| {
        s.mail.smtp_url = Some(Secret::new(url));
        s.mail.mail_from = FROM.into();
        s.mail.reminder_interval_secs = 1;
    })
    .await;
    enqueue(
        &app.db,
        vec![
            event("one@example.org", Language::En),
            event("two@example.org", Language::Fr),
            event("three@example.org", Language::Es),
            event("gone@example.org", Language::En),
        ],
    )
    .await;
    server.wait_for(3, Duration::from_secs(30)).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        let text = app
            .client
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("body");
        if sample(
            &text,
            "isu_notifications_outbox{status=\"SENT\",channel=\"EMAIL\"}",
        ) == Some(3.0)
            && sample(
                &text,
                "isu_notifications_outbox{status=\"FAILED\",channel=\"EMAIL\"}",
            ) == Some(1.0)
        {
            break text;
        }
        assert!(Instant::now() < deadline, "{text}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for (name, value) in [
        ("isu_emails_sent_total", 3.0),
        ("isu_email_send_failures_total{outcome=\"failed\"}", 1.0),
        ("isu_email_send_duration_seconds_count", 4.0),
        (
            "isu_notifications_outbox{status=\"PENDING\",channel=\"EMAIL\"}",
            0.0,
        ),
        (
            "isu_notifications_outbox{status=\"CANCELLED\",channel=\"IN_APP\"}",
            0.0,
        ),
        ("isu_reminders_written_total", 0.0),
        ("isu_reminders_cancelled_total", 0.0),
    ] {
        assert_eq!(sample(&text, name), Some(value), "{name} in\n{text}");
    }
}
