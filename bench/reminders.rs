//! Benchmark of the reminder planner and the email sender (not timed tests): `cargo bench
//! --bench reminders`. On PostgreSQL (a dedicated database, `ccm_isu_bench_reminders`, on the
//! server of `BENCH_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`) and
//! on SQLite (a file in the temp directory), each migrated and first-started as the tests'
//! apps are (the shipped registry of 125 States, records complete since 2008-12-03, no
//! shipped history, today 2025-03-31: every State has reports overdue, none being recorded,
//! and many annual reports are 30 days away), with two active contact points per State (EN
//! and FR):
//!
//! - `domain::notifications::planner::run` with the default policy, four cases, [`RUNS`]
//!   runs each after one warm-up (p50, p95, and the statements of one run): a dry run on an
//!   empty outbox, the first run that writes (the outbox emptied before each run, untimed),
//!   a second run with nothing new, a dry run on the full outbox;
//! - `domain::notifications::sender::send_due` in passes of `sender::BATCH` until nothing is
//!   left, for [`MESSAGES`] event emails (a report submitted, in EN, FR and ES) to a real SMTP
//!   server in this process (mailin-embedded on 127.0.0.1, plain SMTP, accepts everything):
//!   [`SEND_RUNS`] runs, messages per second and each message's send time.
//!
//! Flags (after `--`): `--keep` leaves the databases in place.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ccm_isu::domain::notifications::messages::{self, Message, Topic};
use ccm_isu::domain::notifications::outbox::{self, NewNotification};
use ccm_isu::domain::notifications::sender::{self, Mailer, SendReport};
use ccm_isu::domain::notifications::{NotificationsConfig, planner};
use ccm_isu::kernel::clock::now;
use ccm_isu::kernel::config::Settings;
use ccm_isu::kernel::db;
use ccm_isu::startup;
use chrono::NaiveDate;
use entity::enums::{ContactFunction, Language, NotificationChannel, NotificationReason};
use entity::{contact_point, notification, state};
use mailin_embedded::{Handler, Response, Server, response};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, PaginatorTrait};
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DB: &str = "ccm_isu_bench_reminders";
const SQLITE_FILE: &str = "ccm-isu-bench-reminders.db";
/// Timed runs of each planner case (after one warm-up).
const RUNS: usize = 15;
/// Emails per send run.
const MESSAGES: usize = 500;
/// Send runs per database.
const SEND_RUNS: usize = 3;
const STATES: usize = 125;
const PORTAL: &str = "https://ccm.test";
const FROM: &str = "ISU CCM <no-reply@isu.test>";
const ISU_ADDRESS: &str = "implementation@isu.test";

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, BoxError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad date".into())
}

/// Today for the planner: a day when every State has reports overdue and many annual reports
/// (due 30 April) are 30 days away.
fn today() -> Result<NaiveDate, BoxError> {
    date(2025, 3, 31)
}

/// The notifications configuration of the tests' apps: the ISU's address and the portal set.
fn config() -> NotificationsConfig {
    NotificationsConfig {
        smtp_url: None,
        mail_from: FROM.into(),
        isu_address: Some(ISU_ADDRESS.into()),
        public_url: PORTAL.into(),
        max_attempts: 8,
        interval: Duration::from_secs(300),
        run: false,
    }
}

// ------------------------------------------------------------------------- SMTP server

/// One per connection (mailin clones it): counts the messages it accepts and their bytes.
#[derive(Clone)]
struct Counter {
    accepted: Arc<AtomicUsize>,
    bytes: Arc<AtomicU64>,
    data: u64,
}

impl Handler for Counter {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data = 0;
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data += buf.len() as u64;
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.bytes.fetch_add(self.data, Ordering::Relaxed);
        self.accepted.fetch_add(1, Ordering::Relaxed);
        response::OK
    }
}

/// A plain SMTP server on 127.0.0.1 that accepts every message (its threads live as long as
/// the process).
struct SmtpServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    bytes: Arc<AtomicU64>,
}

impl SmtpServer {
    fn start() -> Result<Self, BoxError> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let bytes = Arc::new(AtomicU64::new(0));
        let mut server = Server::new(Counter {
            accepted: Arc::clone(&accepted),
            bytes: Arc::clone(&bytes),
            data: 0,
        });
        server
            .with_name("smtp.bench")
            // The sender keeps pooled connections open, one thread each.
            .with_num_threads(64)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Ok(Self {
            port,
            accepted,
            bytes,
        })
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }
}

// ---------------------------------------------------------------------------- figures

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let n = sorted.len();
    if n == 0 {
        return Duration::ZERO;
    }
    let i = ((n as f64 * q).ceil() as usize)
        .saturating_sub(1)
        .min(n - 1);
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One line of the planner's table, and the p50 for the summary.
fn report_case(
    backend: &str,
    label: &str,
    samples: &mut [Duration],
    statements: u64,
    r: &planner::PlanReport,
) -> Duration {
    samples.sort_unstable();
    let p50 = percentile(samples, 0.5);
    println!(
        "{backend:<8} {label:<26} p50 {:>9}  p95 {:>9}  min {:>9}  ({} runs; {statements} \
         statements; {} reminders due, {} written, {} cancelled)",
        ms(p50),
        ms(percentile(samples, 0.95)),
        ms(samples.first().copied().unwrap_or_default()),
        samples.len(),
        r.planned.len(),
        r.written,
        r.cancelled,
    );
    p50
}

// ---------------------------------------------------------------------------- planner

async fn clear_outbox(db: &DatabaseConnection) -> Result<(), BoxError> {
    notification::Entity::delete_many().exec(db).await?;
    Ok(())
}

/// Two active contact points (EN and FR) for every State.
async fn contacts(db: &DatabaseConnection) -> Result<(), BoxError> {
    let states = state::Entity::find().all(db).await?;
    if states.len() != STATES {
        return Err(format!("{} States in the registry, not {STATES}", states.len()).into());
    }
    let t = now();
    let rows: Vec<contact_point::ActiveModel> = states
        .iter()
        .flat_map(|s| {
            [Language::En, Language::Fr]
                .into_iter()
                .enumerate()
                .map(move |(i, language)| contact_point::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    state_code: Set(s.code.clone()),
                    name: Set(format!("Contact {i}")),
                    function: Set(ContactFunction::Article7FocalPoint),
                    email: Set(format!("c{i}@{}.test", s.code.to_lowercase())),
                    language: Set(language),
                    active: Set(true),
                    created_at: Set(t),
                    updated_at: Set(t),
                })
        })
        .collect();
    for chunk in rows.chunks(100) {
        contact_point::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

async fn plan(db: &DatabaseConnection, dry: bool) -> Result<planner::PlanReport, BoxError> {
    planner::run(db, today()?, &config(), dry)
        .await
        .map_err(Into::into)
}

/// The four cases, [`RUNS`] runs each; answers their p50.
async fn planner_cases(
    db: &DatabaseConnection,
    backend: &str,
    statements: &AtomicU64,
) -> Result<Vec<(&'static str, Duration)>, BoxError> {
    let mut out = Vec::new();
    // One timed run: its time, its statements and its report.
    let timed = |dry: bool| async move {
        let before = statements.load(Ordering::Relaxed);
        let t = Instant::now();
        let r = plan(db, dry).await?;
        let took = t.elapsed();
        Ok::<_, BoxError>((took, statements.load(Ordering::Relaxed) - before, r))
    };

    clear_outbox(db).await?;
    let label = "dry run, empty outbox";
    plan(db, true).await?;
    let (mut samples, mut last) = (Vec::new(), None);
    for _ in 0..RUNS {
        let (took, n, r) = timed(true).await?;
        samples.push(took);
        last = Some((n, r));
    }
    let (n, r) = last.ok_or("no run")?;
    if r.written == 0 {
        return Err("the dry run on an empty outbox would write nothing".into());
    }
    let would_write = r.written;
    out.push((label, report_case(backend, label, &mut samples, n, &r)));

    let label = "first run (writes)";
    plan(db, false).await?;
    let (mut samples, mut last) = (Vec::new(), None);
    for _ in 0..RUNS {
        clear_outbox(db).await?;
        let (took, n, r) = timed(false).await?;
        samples.push(took);
        last = Some((n, r));
    }
    let (n, r) = last.ok_or("no run")?;
    if r.written != would_write {
        return Err(format!("the first run wrote {}, not {would_write}", r.written).into());
    }
    out.push((label, report_case(backend, label, &mut samples, n, &r)));

    for (label, dry) in [
        ("second run (nothing new)", false),
        ("dry run, full outbox", true),
    ] {
        plan(db, dry).await?;
        let (mut samples, mut last) = (Vec::new(), None);
        for _ in 0..RUNS {
            let (took, n, r) = timed(dry).await?;
            samples.push(took);
            last = Some((n, r));
        }
        let (n, r) = last.ok_or("no run")?;
        if r.written != 0 {
            return Err(format!("{label}: {} written, not 0", r.written).into());
        }
        out.push((label, report_case(backend, label, &mut samples, n, &r)));
    }
    let rows = notification::Entity::find().count(db).await?;
    println!("{backend:<8} outbox after the runs: {rows} rows");
    Ok(out)
}

// ----------------------------------------------------------------------------- sender

/// An event email (a report submitted) to `recipient`, rendered in `language`.
fn event(recipient: &str, language: Language) -> NewNotification {
    let r = messages::render(&Message {
        topic: Topic::ReportSubmitted {
            reporting_year: Some(2025),
            initial: false,
        },
        state_name: "France".into(),
        language,
        portal_url: PORTAL.into(),
    });
    NewNotification {
        dedupe_key: format!("bench|{}", Uuid::new_v4()),
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

/// Passes until nothing is claimed, as the server's loop runs them; answers the sum.
async fn drain(db: &DatabaseConnection, mailer: &Mailer) -> Result<SendReport, BoxError> {
    let config = config();
    let mut total = SendReport::default();
    loop {
        let at = now();
        let r = sender::send_due(db, mailer, &config, at.date_naive(), at, sender::BATCH).await?;
        if r.claimed == 0 {
            return Ok(total);
        }
        total.claimed += r.claimed;
        total.sent += r.sent;
        total.retried += r.retried;
        total.failed += r.failed;
        total.cancelled += r.cancelled;
        total.released += r.released;
        total.latencies.extend(r.latencies);
    }
}

/// [`SEND_RUNS`] runs of [`MESSAGES`] emails; answers the median rate (messages/s).
async fn send_rate(
    db: &DatabaseConnection,
    backend: &str,
    server: &SmtpServer,
) -> Result<f64, BoxError> {
    let mailer = Mailer::new(&server.url(), FROM)?;
    let mut rates = Vec::new();
    for run in 1..=SEND_RUNS {
        clear_outbox(db).await?;
        let rows: Vec<NewNotification> = (0..MESSAGES)
            .map(|i| {
                event(
                    &format!("rate{i}@example.org"),
                    [Language::En, Language::Fr, Language::Es][i % 3],
                )
            })
            .collect();
        let written = outbox::enqueue(db, rows).await?;
        if written != MESSAGES as u64 {
            return Err(format!("{written} emails enqueued, not {MESSAGES}").into());
        }
        let (accepted, bytes) = (server.accepted(), server.bytes.load(Ordering::Relaxed));
        let started = Instant::now();
        let r = drain(db, &mailer).await?;
        let took = started.elapsed();
        let received = server.accepted() - accepted;
        if r.sent != MESSAGES as u64 || received != MESSAGES {
            return Err(format!(
                "{} sent and {received} received, not {MESSAGES} ({} retried, {} failed)",
                r.sent, r.retried, r.failed
            )
            .into());
        }
        let mut latencies = r.latencies;
        latencies.sort_unstable();
        let rate = MESSAGES as f64 / took.as_secs_f64();
        println!(
            "{backend:<8} send run {run}: {MESSAGES} emails in {} ({:.0} KB): {rate:.0} \
             messages/s; each message's send p50 {}, p99 {}",
            ms(took),
            (server.bytes.load(Ordering::Relaxed) - bytes) as f64 / 1000.0,
            ms(percentile(&latencies, 0.5)),
            ms(percentile(&latencies, 0.99)),
        );
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    Ok(rates[rates.len() / 2])
}

// ------------------------------------------------------------------------------- runs

/// What one database gave.
struct Figures {
    backend: &'static str,
    planner: Vec<(&'static str, Duration)>,
    rate: f64,
}

/// Migrates, first-starts, adds the contact points, runs both measurements.
async fn bench(url: &str, backend: &'static str, server: &SmtpServer) -> Result<Figures, BoxError> {
    let mut settings = Settings::for_database(url);
    settings.today = Some(today()?);
    // As the tests' apps: records complete since the Convention opened for signature, no
    // shipped history (nothing recorded: every State has reports overdue).
    settings.records_since = Some(date(2008, 12, 3)?);
    settings.shipped_history = false;
    let mut db = db::connect(&settings).await?;
    let statements = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&statements);
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    db::migrate(&db).await?;
    startup::first_start(&settings, &db).await?;
    contacts(&db).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    println!(
        "{backend:<8} {STATES} States, {} contact points, today {}",
        contact_point::Entity::find().count(&db).await?,
        today()?
    );
    let planner = planner_cases(&db, backend, &statements).await?;
    let rate = send_rate(&db, backend, server).await?;
    db.close().await?;
    Ok(Figures {
        backend,
        planner,
        rate,
    })
}

async fn postgres(admin_url: &str, keep: bool, server: &SmtpServer) -> Result<Figures, BoxError> {
    let (base, rest) = admin_url
        .rsplit_once('/')
        .ok_or("BENCH_DATABASE_URL has no database path")?;
    let params = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    let url = format!("{base}/{BENCH_DB}{params}");
    let admin = Database::connect(admin_url).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {BENCH_DB}"))
        .await?;
    let outcome = bench(&url, "postgres", server).await;
    if keep {
        println!("postgres: kept {url}");
    } else {
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
            .await?;
    }
    admin.close().await?;
    outcome
}

async fn sqlite(keep: bool, server: &SmtpServer) -> Result<Figures, BoxError> {
    let path = std::env::temp_dir().join(SQLITE_FILE);
    let remove = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    remove();
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let outcome = bench(&url, "sqlite", server).await;
    if keep {
        println!("sqlite: kept {}", path.display());
    } else {
        remove();
    }
    outcome
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // `cargo bench` passes `--bench`; other flags come after `--`.
    let keep = std::env::args().any(|a| a == "--keep");
    let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    let server = SmtpServer::start()?;
    let figures = [
        postgres(&admin_url, keep, &server).await?,
        sqlite(keep, &server).await?,
    ];
    println!("\nsummary (p50 of {RUNS} runs; send rate: median of {SEND_RUNS} runs)");
    for f in &figures {
        let cases: Vec<String> = f
            .planner
            .iter()
            .map(|(label, p50)| format!("{label} {}", ms(*p50)))
            .collect();
        println!("{:<8} planner: {}", f.backend, cases.join("; "));
        println!(
            "{:<8} sender: {MESSAGES} emails at {:.0} messages/s",
            f.backend, f.rate
        );
    }
    Ok(())
}
