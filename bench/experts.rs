//! Benchmark of expert suggestions (issue 22; not a timed test): `cargo bench --bench
//! experts`. On PostgreSQL (a dedicated database, `ccm_isu_bench_experts`, on the server of
//! `BENCH_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`) and on SQLite
//! (a file in the temp directory), each built and first-started as the tests' apps are (the
//! shipped registry, today 2027-01-15), with a synthetic, deterministic roster of [`EXPERTS`]
//! experts inserted directly (entity rows, `insert_many` in chunks, not through the service):
//! nationals of the registry's States (a tenth without a nationality), one to three areas,
//! mostly technical expertise and training, one to three languages and regions, varied
//! availability windows (some ended), 5 % inactive.
//!
//! Timed: `domain::experts::suggestions::suggest` in process ([`WARMUP`] then [`RUNS`] runs:
//! p50, p95, min, and its SQL statements per call) for three needs: Benin's technical
//! expertise and training in clearance over a period, its working language from its contact
//! points (most of the roster eligible); Iraq's training in risk education without a period,
//! its language from the official table; a need for equipment only (no person: the short
//! way); as ISU staff and as a coordinator, `first` 10 and 100; and as ISU staff with 10 just
//! after a write to the roster (`ISU staff*`: an expert's row updated before each run,
//! untimed, which moves the roster's cache stamp, so the roster is read again rather than
//! held). Then through a running server:
//! `POST /graphql` with the contract's `ExpertSuggestions` operation for the first need, as
//! the bootstrap administrator.
//!
//! Flags (after `--`): `--keep` leaves the databases in place, `--experts N` loads N experts
//! instead of 5 000, `--sqlite-only` and `--postgres-only` run one database.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ccm_isu::auth::{Principal, Viewer};
use ccm_isu::domain::experts::suggestions;
use ccm_isu::kernel::clock::now;
use ccm_isu::kernel::config::{Secret, Settings};
use ccm_isu::kernel::db;
use ccm_isu::kernel::stamps::RequestStamps;
use ccm_isu::rules::experts::{self as rules, ExpertFacts, LanguageSource, NeedFacts, Weights};
use ccm_isu::startup::Application;
use chrono::{Duration as Days, NaiveDate};
use entity::enums::{
    AssistanceType, ContactFunction, Gender, Language, NeedStatus, RegionalGroup, ThematicArea,
    UserRole, join_values, split_values,
};
use entity::{assistance_need, contact_point, expert, state, user};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, EntityTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DB: &str = "ccm_isu_bench_experts";
const SQLITE_FILE: &str = "ccm-isu-bench-experts.db";
const EXPERTS: usize = 5_000;
/// Rows per `insert_many`, each chunk in its own transaction (18 columns: well under
/// SQLite's and PostgreSQL's limits on bound values).
const CHUNK: usize = 250;
const WARMUP: usize = 3;
const RUNS: usize = 50;
const ADMIN_EMAIL: &str = "admin@bench.test";
const ADMIN_PASSWORD: &str = "bench-password-bench-password";

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, BoxError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad date".into())
}

fn today() -> Result<NaiveDate, BoxError> {
    date(2027, 1, 15)
}

/// A small deterministic generator, so every run sees the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `percent` %.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// `k` distinct values of `from` (k ≤ its length).
    fn some<T: Copy + PartialEq>(&mut self, from: &[T], k: usize) -> Vec<T> {
        let mut out = Vec::with_capacity(k);
        while out.len() < k.min(from.len()) {
            let v = from[self.below(from.len() as u64) as usize];
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }
}

const AREAS: [ThematicArea; 7] = [
    ThematicArea::Clearance,
    ThematicArea::RiskReductionEducation,
    ThematicArea::StockpileDestruction,
    ThematicArea::VictimAssistance,
    ThematicArea::NationalImplementation,
    ThematicArea::TransparencyReporting,
    ThematicArea::Universalization,
];
const REGIONS: [RegionalGroup; 5] = [
    RegionalGroup::Africa,
    RegionalGroup::AsiaPacific,
    RegionalGroup::EasternEurope,
    RegionalGroup::LatinAmericaCaribbean,
    RegionalGroup::WesternEuropeOthers,
];
const GENDERS: [Gender; 4] = [
    Gender::Female,
    Gender::Male,
    Gender::Other,
    Gender::Undisclosed,
];

/// The roster: `n` synthetic experts, nationals of `codes`.
fn roster(n: usize, codes: &[String], today: NaiveDate) -> Vec<expert::ActiveModel> {
    let mut rng = Lcg(22);
    let t = now();
    (0..n)
        .map(|i| {
            let areas = {
                let k = 1 + rng.below(3) as usize;
                rng.some(&AREAS, k)
            };
            let mut types = Vec::new();
            if rng.chance(70) {
                types.push(AssistanceType::TechnicalExpertise);
            }
            if rng.chance(50) {
                types.push(AssistanceType::Training);
            }
            if rng.chance(5) {
                types.push(AssistanceType::Equipment);
            }
            let mut languages = Vec::new();
            for (l, p) in [
                (Language::En, 80),
                (Language::Fr, 30),
                (Language::Es, 20),
                (Language::Ar, 10),
                (Language::Ru, 5),
                (Language::Zh, 3),
            ] {
                if rng.chance(p) {
                    languages.push(l);
                }
            }
            if languages.is_empty() {
                languages.push(Language::En);
            }
            let regions = {
                let k = 1 + rng.below(3) as usize;
                rng.some(&REGIONS, k)
            };
            let days = |d: u64| Days::days(d as i64);
            let (from, until) = match rng.below(100) {
                0..40 => (None, None),
                40..60 => (
                    Some(today - days(rng.below(700))),
                    Some(today + days(1 + rng.below(700))),
                ),
                60..75 => (Some(today + days(1 + rng.below(300))), None),
                75..90 => (None, Some(today + days(1 + rng.below(300)))),
                _ => (None, Some(today - days(1 + rng.below(300)))),
            };
            let nationality = if rng.chance(10) || codes.is_empty() {
                None
            } else {
                Some(codes[rng.below(codes.len() as u64) as usize].clone())
            };
            expert::ActiveModel {
                id: Set(Uuid::from_u128(
                    0x00e0_0000_0000_7000_8000_0000_0000_0000 + i as u128,
                )),
                full_name: Set(format!("Bench Expert {i}")),
                gender: Set(GENDERS[i % GENDERS.len()]),
                nationality_code: Set(nationality),
                organization: Set(Some(format!("Bench Organization {}", i % 300))),
                areas: Set(join_values(&areas)),
                assistance_types: Set(join_values(&types)),
                languages: Set(join_values(&languages)),
                regions: Set(join_values(&regions)),
                years_of_experience: Set(Some(rng.below(40) as i32)),
                biography: Set(Some(format!(
                    "Synthetic expert {i} of the benchmark: {} years in the field.",
                    rng.below(40)
                ))),
                available_from: Set(from),
                available_until: Set(until),
                email: Set(Some(format!("expert{i}@bench.test"))),
                phone: Set(Some(format!(
                    "+41 22 {:03} {:02} {:02}",
                    i % 1000,
                    i % 97,
                    i % 89
                ))),
                consent_given_on: Set(today - days(30 + rng.below(1_000))),
                active: Set(!rng.chance(5)),
                created_at: Set(t),
                updated_at: Set(t),
            }
        })
        .collect()
}

/// One need of the bench: who needs what.
struct Case {
    label: &'static str,
    need: assistance_need::Model,
}

fn need(
    i: u128,
    state_code: &str,
    area: ThematicArea,
    types: &[AssistanceType],
    period: Option<(NaiveDate, NaiveDate)>,
) -> assistance_need::Model {
    let t = now();
    assistance_need::Model {
        id: Uuid::from_u128(0x00ee_0000_0000_7000_8000_0000_0000_0000 + i),
        state_code: state_code.into(),
        thematic_area: area,
        assistance_types: join_values(types),
        title: format!("Bench need {i}"),
        description: None,
        amount_cents: None,
        currency: None,
        covered_cents: 0,
        period_start: period.map(|p| p.0),
        period_end: period.map(|p| p.1),
        status: NeedStatus::Open,
        source_report_id: None,
        created_at: t,
        updated_at: t,
    }
}

/// What loading took.
struct Loaded {
    insert: Duration,
    cases: Vec<Case>,
    eligible_hint: usize,
    /// The roster as the rules see it, and the first need's facts: for timing the rules
    /// alone.
    facts: Vec<ExpertFacts>,
    need_facts: NeedFacts,
}

/// Inserts the roster in chunks, Benin's two French contact points, and the needs.
async fn load(db: &DatabaseConnection, n: usize) -> Result<Loaded, BoxError> {
    let today = today()?;
    let states: std::collections::HashMap<String, state::Model> = state::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let mut codes: Vec<String> = states.keys().cloned().collect();
    codes.sort();
    let rows = roster(n, &codes, today);
    let t = Instant::now();
    for chunk in rows.chunks(CHUNK) {
        let txn = db.begin().await?;
        expert::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
    }
    let insert = t.elapsed();
    let at = now();
    let contacts: Vec<contact_point::ActiveModel> = (0..2)
        .map(|i| contact_point::ActiveModel {
            id: Set(Uuid::now_v7()),
            state_code: Set("BEN".into()),
            name: Set(format!("Bench contact {i}")),
            function: Set(ContactFunction::Article7FocalPoint),
            email: Set(format!("c{i}@ben.test")),
            language: Set(Language::Fr),
            active: Set(true),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .collect();
    contact_point::Entity::insert_many(contacts)
        .exec_without_returning(db)
        .await?;
    use AssistanceType::*;
    let cases = vec![
        Case {
            label: "BEN clearance, TE+TR, period",
            need: need(
                1,
                "BEN",
                ThematicArea::Clearance,
                &[TechnicalExpertise, Training],
                Some((date(2027, 3, 1)?, date(2027, 6, 30)?)),
            ),
        },
        Case {
            label: "IRQ risk education, TR",
            need: need(
                2,
                "IRQ",
                ThematicArea::RiskReductionEducation,
                &[Training],
                None,
            ),
        },
        Case {
            label: "LAO clearance, equipment",
            need: need(3, "LAO", ThematicArea::Clearance, &[Equipment], None),
        },
    ];
    let models: Vec<assistance_need::ActiveModel> =
        cases.iter().map(|c| c.need.clone().into()).collect();
    assistance_need::Entity::insert_many(models)
        .exec_without_returning(db)
        .await?;
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared("VACUUM ANALYZE").await?;
        }
        _ => {
            db.execute_unprepared("ANALYZE").await?;
        }
    }
    // Roughly how many the first need could rank: active, offering TE or TR.
    let eligible_hint = rows
        .iter()
        .filter(|r| {
            let types = r.assistance_types.as_ref();
            *r.active.as_ref()
                && (types.contains("TECHNICAL_EXPERTISE") || types.contains("TRAINING"))
        })
        .count();
    let facts = rows
        .iter()
        .map(|r| {
            let nationality = r.nationality_code.as_ref().clone();
            let state = nationality.as_ref().and_then(|c| states.get(c));
            let areas = split_values(r.areas.as_ref());
            ExpertFacts {
                id: *r.id.as_ref(),
                nationality_name: state.map(|s| s.name.clone()),
                south_south: state.is_some_and(|s| {
                    rules::south_south(&ccm_isu::domain::experts::state_facts(s), &areas)
                }),
                nationality,
                areas,
                types: split_values(r.assistance_types.as_ref()),
                languages: split_values(r.languages.as_ref()),
                regions: split_values(r.regions.as_ref()),
                available_from: *r.available_from.as_ref(),
                available_until: *r.available_until.as_ref(),
                active: *r.active.as_ref(),
            }
        })
        .collect();
    let first = &cases.first().ok_or("no case")?.need;
    let need_facts = NeedFacts {
        state: ccm_isu::domain::experts::state_facts(
            states.get(&first.state_code).ok_or("no such State")?,
        ),
        area: first.thematic_area,
        types: split_values(&first.assistance_types),
        period_start: first.period_start,
        period_end: first.period_end,
        languages: vec![Language::Fr],
        language_source: LanguageSource::ContactPoints,
    };
    Ok(Loaded {
        insert,
        cases,
        eligible_hint,
        facts,
        need_facts,
    })
}

fn viewer(role: UserRole) -> Viewer {
    let t = now();
    let id = Uuid::from_u128(0x00a0 + role as u128);
    let account = user::Model {
        id,
        email: format!("{role:?}@bench.test").to_lowercase(),
        password_hash: String::new(),
        role,
        state_code: None,
        thematic_areas: String::new(),
        active: true,
        created_at: t,
        updated_at: t,
    };
    Viewer::authenticated(Principal {
        user_id: id,
        role,
        state_code: None,
        thematic_areas: vec![],
        session_id: Uuid::nil(),
        account: Arc::new(account),
    })
}

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

/// The p50 of the headline case (the first need, ISU staff, first 10), in process and over
/// HTTP.
struct Figures {
    backend: &'static str,
    in_process: Duration,
    http: Duration,
}

/// Times `suggest` for every need, viewer and `first`; answers the headline p50.
async fn in_process(
    db: &DatabaseConnection,
    backend: &str,
    cases: &[Case],
    statements: &AtomicU64,
) -> Result<Duration, BoxError> {
    let config = ccm_isu::domain::experts::ExpertsConfig::default();
    let today = today()?;
    let viewers = [
        ("ISU staff", viewer(UserRole::IsuStaff)),
        ("coordinator", viewer(UserRole::Coordinator)),
    ];
    let mut headline = None;
    println!(
        "{:<8} {:<30} {:<12} {:>5} {:>9} {:>9} {:>9} {:>5} {:>6} {:>6}",
        "backend", "need", "viewer", "first", "p50", "p95", "min", "stmts", "found", "best"
    );
    for case in cases {
        for (who, viewer) in &viewers {
            for first in [10, 100] {
                // The roster as the server holds it between writes; and, for ISU staff and 10,
                // just after a write (its stamp renewed before each run, untimed): read again.
                let modes: &[bool] = if first == 10 && *who == "ISU staff" {
                    &[false, true]
                } else {
                    &[false]
                };
                for &changed in modes {
                    // Each call reads the stamps afresh, as a request does.
                    let call = || async {
                        let stamps = RequestStamps::new();
                        let need = std::slice::from_ref(&case.need);
                        suggestions::suggest_many(
                            db,
                            viewer,
                            &config,
                            need,
                            today,
                            first,
                            Some(&stamps),
                        )
                        .await
                        .map(|mut by_need| by_need.remove(&case.need.id).unwrap_or_default())
                    };
                    for _ in 0..WARMUP {
                        call().await.map_err(|e| format!("{e:?}"))?;
                    }
                    let mut samples = Vec::with_capacity(RUNS);
                    let mut last = Vec::new();
                    let mut counted = 0;
                    for _ in 0..RUNS {
                        if changed {
                            // A write the roster's stamp counts (a trigger moves it).
                            db.execute_unprepared(
                                "UPDATE experts SET active = active \
                                 WHERE id = (SELECT id FROM experts LIMIT 1)",
                            )
                            .await?;
                        }
                        let before = statements.load(Ordering::Relaxed);
                        let t = Instant::now();
                        last = call().await.map_err(|e| format!("{e:?}"))?;
                        samples.push(t.elapsed());
                        counted += statements.load(Ordering::Relaxed) - before;
                    }
                    let per_call = counted / RUNS as u64;
                    samples.sort_unstable();
                    let p50 = percentile(&samples, 0.5);
                    if headline.is_none() {
                        headline = Some(p50);
                    }
                    let who = if changed {
                        format!("{who}*")
                    } else {
                        (*who).to_owned()
                    };
                    println!(
                        "{backend:<8} {:<30} {who:<12} {first:>5} {:>9} {:>9} {:>9} {per_call:>5} \
                         {:>6} {:>6}",
                        case.label,
                        ms(p50),
                        ms(percentile(&samples, 0.95)),
                        ms(samples.first().copied().unwrap_or_default()),
                        last.len(),
                        last.first()
                            .map(|(_, c)| format!("{:.3}", c.score))
                            .unwrap_or_else(|| "-".into()),
                    );
                }
            }
        }
    }
    headline.ok_or_else(|| "no case".into())
}

/// Times `rules::experts::rank` alone on the first need (no database): the rules' share.
fn pure_rank(backend: &str, loaded: &Loaded) -> Result<(), BoxError> {
    let (need, roster, w) = (&loaded.need_facts, &loaded.facts, Weights::default());
    let today = today()?;
    let eligible = roster
        .iter()
        .filter(|e| rules::eligible(need, e, today))
        .count();
    for first in [10, 100] {
        let mut samples = Vec::with_capacity(RUNS);
        for i in 0..WARMUP + RUNS {
            let t = Instant::now();
            let ranked = rules::rank(need, roster, &w, today, first);
            let took = t.elapsed();
            std::hint::black_box(ranked);
            if i >= WARMUP {
                samples.push(took);
            }
        }
        samples.sort_unstable();
        println!(
            "{backend:<8} of which rules::experts::rank alone (BEN need, {} experts, {eligible} \
             eligible, first {first}): p50 {}, p95 {}",
            roster.len(),
            ms(percentile(&samples, 0.5)),
            ms(percentile(&samples, 0.95)),
        );
    }
    Ok(())
}

/// Times the contract's `ExpertSuggestions` for the first need over HTTP; answers its p50.
async fn over_http(base: &str, backend: &str, need: Uuid) -> Result<Duration, BoxError> {
    let client = reqwest::Client::new();
    let login = client
        .post(format!("{base}/graphql"))
        .json(&json!({
            "query": "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken userErrors { code message } } }",
            "variables": { "e": ADMIN_EMAIL, "p": ADMIN_PASSWORD },
        }))
        .send()
        .await?
        .json::<serde_json::Value>()
        .await?;
    let token = login["data"]["login"]["accessToken"]
        .as_str()
        .ok_or_else(|| format!("login failed: {login}"))?
        .to_owned();
    let id =
        ccm_isu::api::ids::encode(ccm_isu::api::cooperation::types::AssistanceNeed::KIND, need).0;
    let query = "query ExpertSuggestions($needId: ID!, $first: Int) {
      node(id: $needId) { id ... on AssistanceNeed { thematicArea assistanceTypes
        state { id code regionalGroup }
        expertSuggestions(first: $first) { score reasons { factor score explanation }
          expert { id fullName languages southSouth nationality { id code } } }
        goodPractices(first: 5) { id title state { id code } } } } }";
    let body = json!({ "query": query, "variables": { "needId": id, "first": 10 } });
    let check = client
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await?
        .json::<serde_json::Value>()
        .await?;
    if check.get("errors").is_some() {
        return Err(format!("GraphQL refused the query: {check}").into());
    }
    let found = check["data"]["node"]["expertSuggestions"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    let mut samples = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for i in 0..WARMUP + RUNS {
        let t = Instant::now();
        let resp = client
            .post(format!("{base}/graphql"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await?;
        bytes = resp.bytes().await?.len();
        if i >= WARMUP {
            samples.push(t.elapsed());
        }
    }
    samples.sort_unstable();
    let p50 = percentile(&samples, 0.5);
    println!(
        "{backend:<8} POST /graphql ExpertSuggestions (first 10, ISU admin): p50 {}, p95 {}, \
         min {} ({RUNS} runs; {found} suggestions, {bytes} bytes)",
        ms(p50),
        ms(percentile(&samples, 0.95)),
        ms(samples.first().copied().unwrap_or_default()),
    );
    Ok(p50)
}

/// Builds and starts the app on `url`, loads the roster, times both ways.
async fn bench(url: &str, backend: &'static str, n: usize) -> Result<Figures, BoxError> {
    let mut settings = Settings::for_database(url);
    settings.today = Some(today()?);
    settings.records_since = Some(date(2008, 12, 3)?);
    settings.shipped_history = false;
    settings.bootstrap_admin_email = Some(ADMIN_EMAIL.into());
    settings.bootstrap_admin_password = Some(Secret::new(ADMIN_PASSWORD));
    // Builds, migrates and first-starts (the registry, the administrator).
    let app = Application::build(settings.clone()).await?;
    let base = format!("http://{}", app.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));

    let mut db = db::connect(&settings).await?;
    let statements = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&statements);
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    println!("{backend}: loading {n} experts…");
    let loaded = load(&db, n).await?;
    println!(
        "{backend}: {n} experts inserted in {:.1?} ({} active with technical expertise or \
         training), today {}",
        loaded.insert,
        loaded.eligible_hint,
        today()?
    );
    pure_rank(backend, &loaded)?;
    let in_process = in_process(&db, backend, &loaded.cases, &statements).await?;
    let first_need = loaded.cases.first().ok_or("no case")?.need.id;
    let http = over_http(&base, backend, first_need).await?;
    let _ = stop.send(());
    server.await??;
    db.close().await?;
    Ok(Figures {
        backend,
        in_process,
        http,
    })
}

async fn postgres(admin_url: &str, n: usize, keep: bool) -> Result<Figures, BoxError> {
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
    let outcome = bench(&url, "postgres", n).await;
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

async fn sqlite(n: usize, keep: bool) -> Result<Figures, BoxError> {
    let path = std::env::temp_dir().join(SQLITE_FILE);
    let remove = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    remove();
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let outcome = bench(&url, "sqlite", n).await;
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
    let n = args
        .iter()
        .position(|a| a == "--experts")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(EXPERTS);
    let keep = flag("--keep");
    let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    let mut figures = Vec::new();
    if !flag("--sqlite-only") {
        figures.push(postgres(&admin_url, n, keep).await?);
    }
    if !flag("--postgres-only") {
        figures.push(sqlite(n, keep).await?);
    }
    println!(
        "\nsummary: suggestions for one need (BEN, TE+TR, first 10, ISU staff) over {n} experts"
    );
    for f in &figures {
        println!(
            "{:<8} in process p50 {}; over HTTP p50 {}; target p50 < 20 ms: {}",
            f.backend,
            ms(f.in_process),
            ms(f.http),
            if f.in_process < Duration::from_millis(20) {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    Ok(())
}
