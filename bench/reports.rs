//! Benchmark of the management reports (issue 23; not a timed test): `cargo bench --bench
//! reports`. On PostgreSQL (a dedicated database, `ccm_isu_bench_reports`, on the server of
//! `BENCH_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`) and on SQLite
//! (a file in the temp directory), each built and first-started as the tests' apps are (the
//! shipped registry, today 2026-12-06), with the demo data loaded through the services
//! (`seed::demo`, as `seed --demo` does).
//!
//! Timed in process, as the demo's ISU staff account, [`WARMUP`] then [`RUNS`] runs each
//! (p50, p95, min; and the SQL statements per build): the annual report for 2026 (building
//! the `Document` from the database, then typesetting it as PDF, then as HTML, each apart),
//! Lao's State profile and the demo action plan's progress report for 2026 (build and PDF).
//! Each PDF is timed with typst's memo emptied before the run (a report whose data changed),
//! and the annual report also once first in the process (fonts and library loading) and
//! again unchanged (typst's memo warm). The target: the annual report over the demo
//! renders in under 2 s (build + PDF, memo emptied).
//!
//! Flags (after `--`): `--keep` leaves the databases in place, `--sqlite-only` and
//! `--postgres-only` run one database.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ccm_isu::auth::{Principal, Viewer};
use ccm_isu::domain::budget::BudgetConfig;
use ccm_isu::domain::cooperation::CooperationConfig;
use ccm_isu::domain::publications::{Context, annual, profile, progress};
use ccm_isu::domain::sponsorship::SponsorshipConfig;
use ccm_isu::kernel::config::{Secret, Settings};
use ccm_isu::kernel::db;
use ccm_isu::kernel::typeset::{self, Document};
use ccm_isu::startup::Application;
use chrono::NaiveDate;
use entity::user;
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter,
};
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DB: &str = "ccm_isu_bench_reports";
const SQLITE_FILE: &str = "ccm-isu-bench-reports.db";
const WARMUP: usize = 2;
const RUNS: usize = 10;
const YEAR: i32 = 2026;
const ADMIN_EMAIL: &str = "admin@bench.test";
const ADMIN_PASSWORD: &str = "bench-password-bench-password";
const DEMO_PASSWORD: &str = "bench-demo-password-123";
const DEMO_STAFF: &str = "isu.staff@demo.invalid";

fn today() -> Result<NaiveDate, BoxError> {
    NaiveDate::from_ymd_opt(2026, 12, 6).ok_or_else(|| "bad date".into())
}

/// A service's refusal or fault, as the benchmark's error.
fn failed(e: ccm_isu::kernel::error::ServiceError) -> BoxError {
    format!("{e:?}").into()
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// What one timed step measured.
struct Timing {
    p50: Duration,
    p95: Duration,
    min: Duration,
}

/// Times `step` [`WARMUP`] + [`RUNS`] times; prints and returns the figures, with the
/// statements of the last run when `statements` counts them.
async fn time<T, F, Fut>(
    backend: &str,
    what: &str,
    statements: Option<&AtomicU64>,
    mut step: F,
) -> Result<(Timing, T), BoxError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BoxError>>,
{
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    let mut counted = 0;
    for i in 0..WARMUP + RUNS {
        let before = statements.map(|s| s.load(Ordering::Relaxed));
        let t = Instant::now();
        let out = step().await?;
        let elapsed = t.elapsed();
        if let (Some(s), Some(before)) = (statements, before) {
            counted = s.load(Ordering::Relaxed) - before;
        }
        if i >= WARMUP {
            samples.push(elapsed);
        }
        last = Some(out);
    }
    samples.sort_unstable();
    let timing = Timing {
        p50: percentile(&samples, 0.5),
        p95: percentile(&samples, 0.95),
        min: samples.first().copied().unwrap_or_default(),
    };
    let cost = if statements.is_some() {
        format!("; {counted} statements per build")
    } else {
        String::new()
    };
    println!(
        "{backend:<8} {what:<34} p50 {:>9}, p95 {:>9}, min {:>9} ({RUNS} runs{cost})",
        ms(timing.p50),
        ms(timing.p95),
        ms(timing.min),
    );
    Ok((timing, last.ok_or("no run")?))
}

/// The PDF of `doc`, on the blocking pool as the server renders it (without the gate:
/// nothing else renders here).
async fn pdf(doc: &Document) -> Result<usize, BoxError> {
    let doc = doc.clone();
    let bytes = tokio::task::spawn_blocking(move || typeset::pdf(&doc)).await??;
    Ok(bytes.len())
}

async fn html(doc: &Document) -> Result<usize, BoxError> {
    let doc = doc.clone();
    let page = tokio::task::spawn_blocking(move || typeset::html(&doc)).await??;
    Ok(page.len())
}

async fn staff_viewer(db: &DatabaseConnection) -> Result<Viewer, BoxError> {
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(DEMO_STAFF))
        .one(db)
        .await?
        .ok_or("the demo's staff account")?;
    Ok(Viewer::authenticated(Principal {
        user_id: account.id,
        role: account.role,
        state_code: account.state_code.clone(),
        thematic_areas: vec![],
        session_id: Uuid::nil(),
        account: Arc::new(account),
    }))
}

/// The annual report's build + PDF p50 (typst's memo emptied before each PDF), for the
/// summary.
struct Figures {
    backend: &'static str,
    annual: Duration,
}

/// Builds the app on `url`, loads the demo, times the reports.
async fn bench(url: &str, backend: &'static str) -> Result<Figures, BoxError> {
    let mut settings = Settings::for_database(url);
    settings.today = Some(today()?);
    settings.records_since = NaiveDate::from_ymd_opt(2008, 12, 3);
    settings.shipped_history = false;
    settings.bootstrap_admin_email = Some(ADMIN_EMAIL.into());
    settings.bootstrap_admin_password = Some(Secret::new(ADMIN_PASSWORD));
    // Builds, migrates and first-starts (the registry, the administrator); never served.
    drop(Application::build(settings.clone()).await?);

    let mut db = db::connect(&settings).await?;
    let statements = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&statements);
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let t = Instant::now();
    ccm_isu::seed::demo(&db, &settings, DEMO_PASSWORD)
        .await
        .map_err(failed)?;
    println!("{backend}: demo loaded in {:.1?}", t.elapsed());
    let viewer = staff_viewer(&db).await?;
    let budget = BudgetConfig::from_settings(&settings)?;
    let sponsorship = SponsorshipConfig::from_settings(&settings)?;
    let cooperation = CooperationConfig::from_settings(&settings)?;
    let cx = Context {
        db: &db,
        today: today()?,
        budget: &budget,
        sponsorship: &sponsorship,
        cooperation: &cooperation,
    };
    let plan = ccm_isu::domain::action_plan::plans::plan_for_year(&db, YEAR)
        .await?
        .ok_or("the demo's action plan")?;

    let (build, doc) = time(
        backend,
        "annual report: build",
        Some(&statements),
        || async {
            annual::annual_report(cx, &viewer, YEAR)
                .await
                .map_err(failed)?
                .ok_or_else(|| BoxError::from("no annual report"))
        },
    )
    .await?;
    // The first render of the process also loads the fonts and typst's library (once per
    // process); the runs after it reuse typst's memoised layout of the same data, as a
    // report asked for again unchanged would. "cache emptied" empties that memo before each
    // run: a report whose data changed since it was last rendered.
    let first = Instant::now();
    pdf(&doc).await?;
    println!(
        "{backend:<8} {:<34} {:>9} (once)",
        "annual report: first PDF",
        ms(first.elapsed())
    );
    time(backend, "annual report: PDF again", None, || pdf(&doc)).await?;
    let (typeset, bytes) = time(backend, "annual report: PDF, cache emptied", None, || {
        typst::comemo::evict(0);
        pdf(&doc)
    })
    .await?;
    time(backend, "annual report: HTML", None, || html(&doc)).await?;
    println!("{backend:<8} annual report: {bytes} bytes of PDF");

    let (_, doc) = time(
        backend,
        "State profile (LAO): build",
        Some(&statements),
        || async {
            profile::state_profile(cx, &viewer, "LAO")
                .await
                .map_err(failed)?
                .ok_or_else(|| BoxError::from("no profile"))
        },
    )
    .await?;
    time(backend, "State profile (LAO): PDF", None, || {
        typst::comemo::evict(0);
        pdf(&doc)
    })
    .await?;

    let (_, doc) = time(
        backend,
        "progress report: build",
        Some(&statements),
        || async {
            progress::progress_report(cx, &viewer, plan.id, YEAR)
                .await
                .map_err(failed)?
                .ok_or_else(|| BoxError::from("no progress report"))
        },
    )
    .await?;
    time(backend, "progress report: PDF", None, || {
        typst::comemo::evict(0);
        pdf(&doc)
    })
    .await?;
    db.close().await?;
    Ok(Figures {
        backend,
        annual: build.p50 + typeset.p50,
    })
}

async fn postgres(admin_url: &str, keep: bool) -> Result<Figures, BoxError> {
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
    let outcome = bench(&url, "postgres").await;
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

async fn sqlite(keep: bool) -> Result<Figures, BoxError> {
    let path = std::env::temp_dir().join(SQLITE_FILE);
    let remove = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    remove();
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let outcome = bench(&url, "sqlite").await;
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
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let keep = flag("--keep");
    let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    let mut figures = Vec::new();
    if !flag("--sqlite-only") {
        figures.push(postgres(&admin_url, keep).await?);
    }
    if !flag("--postgres-only") {
        figures.push(sqlite(keep).await?);
    }
    println!("\nsummary: the annual report for {YEAR} over the demo, build + PDF (p50s)");
    for f in &figures {
        println!(
            "{:<8} {}; target < 2 s: {}",
            f.backend,
            ms(f.annual),
            if f.annual < Duration::from_secs(2) {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    Ok(())
}
