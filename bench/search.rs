//! Benchmark of the full-text search (not a timed test): `cargo bench --bench search`.
//! Loads 10 000 meeting documents of about 20 KB and 1 000 decisions into a dedicated
//! PostgreSQL database (`ccm_isu_bench_search`, on the server of `BENCH_DATABASE_URL`,
//! default `postgres://postgres@127.0.0.1:5432/postgres`), then times
//! `domain::records::search::search` for ISU staff and for a delegation: rare, medium and
//! common words, two and three words, a word that matches nothing, a deep page, a language
//! filter. Synthetic, deterministic text: a vocabulary of 4 000 made-up words drawn with a
//! Zipf law, and treaty words sprinkled at set frequencies.
//!
//! Flags (after `--`): `--sqlite` runs the same on a SQLite file (FTS5) too, `--keep` leaves
//! the databases in place, `--docs N` loads N documents instead of 10 000.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ccm_isu::auth::{Principal, Viewer};
use ccm_isu::domain::records::search;
use ccm_isu::kernel::config::Settings;
use ccm_isu::kernel::db;
use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{
    Access, DecisionKind, DocumentKind, ImplementationStatus, Language, MeetingKind, UserRole,
};
use entity::{decision, meeting, meeting_document, user};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, EntityTrait, Statement,
    TransactionTrait,
};
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DB: &str = "ccm_isu_bench_search";
const DOCUMENTS: usize = 10_000;
const DECISIONS: usize = 1_000;
const MEETINGS: usize = 5;
/// Rows per `insert_many`, each batch in its own transaction.
const BATCH: usize = 250;
/// Made-up words, drawn with a Zipf law (s = 1).
const VOCABULARY: usize = 4_000;
/// Page size of the search, as the API's default.
const PAGE: u64 = 20;
/// Timed runs per class (after warm-up), unless a class takes longer than [`CLASS_BUDGET`].
const RUNS: usize = 50;
const WARMUP: usize = 3;
const CLASS_BUDGET: Duration = Duration::from_secs(20);
const MIN_RUNS: usize = 10;

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
}

/// Treaty words: the word, how many texts in 10 000 hold it, and at most how many times.
const TERMS: [(&str, u64, u64); 17] = [
    ("cluster", 9_000, 20),
    ("munitions", 9_000, 20),
    ("Article", 7_000, 10),
    ("clearance", 6_000, 12),
    ("stockpile", 4_000, 6),
    ("destruction", 4_000, 6),
    ("assistance", 3_500, 8),
    ("victim", 3_000, 6),
    ("cooperation", 2_500, 6),
    ("transparency", 2_000, 5),
    ("contaminated", 1_500, 4),
    ("remnants", 1_000, 4),
    ("deadline", 800, 3),
    ("extension", 500, 3),
    ("universalization", 300, 3),
    ("submunition", 50, 2),
    ("interoperability", 10, 1),
];

/// Titles draw their treaty word among the first of [`TERMS`], the frequent ones.
const TITLE_TERMS: usize = 12;

/// Consonant-vowel syllables: no made-up word can be a treaty word or "zyzzyva".
const SYLLABLES: [&str; 40] = [
    "ba", "be", "bi", "bo", "bu", "da", "de", "di", "do", "du", "ka", "ke", "ki", "ko", "ku", "la",
    "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "ra", "re",
    "ri", "ro", "ru", "ta", "te", "ti", "to", "tu",
];

/// The made-up vocabulary and its cumulative Zipf weights.
struct Words {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new() -> Self {
        let n = SYLLABLES.len();
        let words = (0..VOCABULARY)
            .map(|k| {
                // k + 40 in base 40: two or three syllables, all distinct.
                let mut v = k + n;
                let mut digits = Vec::new();
                while v > 0 {
                    digits.push(SYLLABLES[v % n]);
                    v /= n;
                }
                digits.concat()
            })
            .collect();
        let mut total = 0.0;
        let cumulative = (0..VOCABULARY)
            .map(|k| {
                total += 1.0 / (k + 1) as f64;
                total
            })
            .collect();
        Self { words, cumulative }
    }

    fn pick(&self, rng: &mut Lcg) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let u = rng.next() as f64 / f64::from(1u32 << 31) * total;
        let i = self
            .cumulative
            .partition_point(|&c| c < u)
            .min(VOCABULARY - 1);
        &self.words[i]
    }

    /// About `target` bytes of sentences, with treaty words at their frequencies.
    fn text(&self, rng: &mut Lcg, target: usize) -> String {
        // Where each treaty word goes, in made-up-word positions.
        let positions = (target / 7).max(1) as u64;
        let mut inserts: Vec<(u64, &str)> = Vec::new();
        for (term, per_10k, most) in TERMS {
            if rng.below(10_000) < per_10k {
                for _ in 0..=rng.below(most) {
                    inserts.push((rng.below(positions), term));
                }
            }
        }
        inserts.sort_unstable();
        let mut inserts = inserts.into_iter().peekable();
        let mut out = String::with_capacity(target + 64);
        let mut position = 0;
        let (mut in_sentence, mut sentence_len) = (0, 8 + rng.below(17));
        let mut sentences = 0;
        while out.len() < target || inserts.peek().is_some() {
            let word = match inserts.peek() {
                Some(&(p, term)) if p <= position || out.len() >= target => {
                    inserts.next();
                    term
                }
                _ => {
                    position += 1;
                    self.pick(rng)
                }
            };
            if in_sentence == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(word);
            }
            if word == "Article" {
                out.push_str(&format!(" {}", 1 + rng.below(23)));
            }
            in_sentence += 1;
            if in_sentence >= sentence_len {
                out.push('.');
                in_sentence = 0;
                sentence_len = 8 + rng.below(17);
                sentences += 1;
                out.push_str(if sentences % 5 == 0 { "\n\n" } else { " " });
            }
        }
        if in_sentence > 0 {
            out.push('.');
        }
        out
    }
}

const KINDS: [DocumentKind; 8] = [
    DocumentKind::Agenda,
    DocumentKind::ProgrammeOfWork,
    DocumentKind::WorkingPaper,
    DocumentKind::Report,
    DocumentKind::SummaryOfConclusions,
    DocumentKind::Statement,
    DocumentKind::Presentation,
    DocumentKind::Other,
];
const DECISION_KINDS: [DecisionKind; 3] = [
    DecisionKind::Decision,
    DecisionKind::Recommendation,
    DecisionKind::Conclusion,
];

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, BoxError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad date".into())
}

fn access(rng: &mut Lcg) -> Access {
    if rng.below(10) < 8 {
        Access::Public
    } else {
        Access::Restricted
    }
}

/// What loading took and how big the data is.
struct Loaded {
    generate: Duration,
    insert: Duration,
    analyze: Duration,
    text_bytes: usize,
}

/// Inserts the meetings, documents and decisions, in batches, then analyzes.
async fn load(db: &DatabaseConnection, documents: usize) -> Result<Loaded, BoxError> {
    let mut rng = Lcg(2026);
    let words = Words::new();
    let now: DateTime<Utc> = date(2026, 12, 6)?
        .and_hms_opt(12, 0, 0)
        .ok_or("bad time")?
        .and_utc();
    let (mut generate, mut insert) = (Duration::ZERO, Duration::ZERO);
    let mut text_bytes = 0;

    let mut meetings = Vec::new();
    for m in 0..MEETINGS {
        let year = 2020 + m as i32;
        let id = Uuid::from_u128(0x00be_0000_0000_0000_0000_0000_0000_0000 + m as u128);
        meetings.push((id, year));
        let starts = date(year, 9, 10)?;
        meeting::Entity::insert(meeting::ActiveModel {
            id: Set(id),
            kind: Set(MeetingKind::MeetingOfStatesParties),
            title: Set(format!("BENCH Meeting of States Parties {year}")),
            starts_on: Set(starts),
            ends_on: Set(starts + chrono::Duration::days(3)),
            venue: Set(Some("Geneva".into())),
            application_deadline: Set(None),
            sponsorship_budget_cents: Set(None),
            dsa_cents: Set(None),
            currency: Set(None),
            committed_cents: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(db)
        .await?;
    }

    let mut done = 0;
    while done < documents {
        let t = Instant::now();
        let batch: Vec<meeting_document::ActiveModel> = (done..(done + BATCH).min(documents))
            .map(|i| {
                let (meeting_id, year) = meetings[i % MEETINGS];
                let language = match rng.below(10) {
                    0 => Language::Fr,
                    1 => Language::Es,
                    _ => Language::En,
                };
                let mut title = format!("Bench document {i}:");
                for _ in 0..5 {
                    title.push(' ');
                    title.push_str(words.pick(&mut rng));
                }
                // A third of the titles hold a treaty word, never a rare one.
                if rng.below(10) < 3 {
                    title.push(' ');
                    title.push_str(TERMS[rng.below(TITLE_TERMS as u64) as usize].0);
                }
                let len = 18_000 + rng.below(4_001) as usize;
                let text = words.text(&mut rng, len);
                text_bytes += text.len();
                meeting_document::ActiveModel {
                    id: Set(Uuid::from_u128(
                        0x00d0_0000_0000_0000_0000_0000_0000_0000 + i as u128,
                    )),
                    meeting_id: Set(meeting_id),
                    kind: Set(KINDS[i % KINDS.len()]),
                    symbol: Set(Some(format!("CCM/MSP/{year}/BENCH/{i}"))),
                    title: Set(title),
                    language: Set(language),
                    published_on: Set(Some(date(year, 9, 1).unwrap_or_default())),
                    access: Set(access(&mut rng)),
                    submitted_by: Set(None),
                    text: Set(Some(text)),
                    media_type: Set(None),
                    byte_size: Set(None),
                    sha256: Set(None),
                    blob_id: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
            })
            .collect();
        done += batch.len();
        generate += t.elapsed();
        let t = Instant::now();
        let txn = db.begin().await?;
        meeting_document::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
        insert += t.elapsed();
        if done % 2_000 == 0 {
            println!("  {done} documents ({:.1?} inserting)", insert);
        }
    }

    let mut done = 0;
    while done < DECISIONS {
        let t = Instant::now();
        let batch: Vec<decision::ActiveModel> = (done..(done + BATCH).min(DECISIONS))
            .map(|i| {
                let (meeting_id, _) = meetings[i % MEETINGS];
                let len = 300 + rng.below(1_701) as usize;
                let text = words.text(&mut rng, len);
                text_bytes += text.len();
                decision::ActiveModel {
                    id: Set(Uuid::from_u128(
                        0x00de_0000_0000_0000_0000_0000_0000_0000 + i as u128,
                    )),
                    meeting_id: Set(meeting_id),
                    kind: Set(DECISION_KINDS[i % DECISION_KINDS.len()]),
                    reference: Set(format!(
                        "para. {}({})",
                        1 + i / 4,
                        ["a", "b", "c", "d"][i % 4]
                    )),
                    text: Set(text),
                    access: Set(access(&mut rng)),
                    responsible: Set("States Parties".into()),
                    responsible_state: Set(None),
                    due_on: Set(None),
                    status: Set(ImplementationStatus::NotStarted),
                    management_response: Set(None),
                    action_plan_actions: Set(String::new()),
                    superseded_by: Set(None),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
            })
            .collect();
        done += batch.len();
        generate += t.elapsed();
        let t = Instant::now();
        let txn = db.begin().await?;
        decision::Entity::insert_many(batch)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
        insert += t.elapsed();
    }

    let t = Instant::now();
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.execute_unprepared("VACUUM ANALYZE meeting_documents, decisions")
                .await?;
        }
        _ => {
            db.execute_unprepared("ANALYZE").await?;
        }
    }
    Ok(Loaded {
        generate,
        insert,
        analyze: t.elapsed(),
        text_bytes,
    })
}

/// One kind of query.
struct Class {
    name: &'static str,
    query: &'static str,
    language: Option<Language>,
    offset: u64,
}

const CLASSES: [Class; 9] = [
    Class {
        name: "rare word",
        query: "submunition",
        language: None,
        offset: 0,
    },
    Class {
        name: "medium word",
        query: "extension",
        language: None,
        offset: 0,
    },
    Class {
        name: "common word",
        query: "munitions",
        language: None,
        offset: 0,
    },
    Class {
        name: "common word, FR only",
        query: "munitions",
        language: Some(Language::Fr),
        offset: 0,
    },
    Class {
        name: "two words",
        query: "stockpile destruction",
        language: None,
        offset: 0,
    },
    Class {
        name: "three words",
        query: "victim assistance transparency",
        language: None,
        offset: 0,
    },
    Class {
        name: "no match",
        query: "zyzzyva",
        language: None,
        offset: 0,
    },
    Class {
        name: "frequent word, page 1",
        query: "clearance",
        language: None,
        offset: 0,
    },
    Class {
        name: "frequent word, offset 200",
        query: "clearance",
        language: None,
        offset: 200,
    },
];

fn viewer(role: UserRole, state_code: Option<&str>) -> Result<Viewer, BoxError> {
    let now = date(2026, 12, 6)?
        .and_hms_opt(12, 0, 0)
        .ok_or("bad time")?
        .and_utc();
    let id = Uuid::from_u128(0x00a0 + role as u128);
    let account = user::Model {
        id,
        email: format!("{role:?}@bench.test").to_lowercase(),
        password_hash: String::new(),
        role,
        state_code: state_code.map(str::to_owned),
        thematic_areas: String::new(),
        active: true,
        created_at: now,
        updated_at: now,
    };
    Ok(Viewer::authenticated(Principal {
        user_id: id,
        role,
        state_code: state_code.map(str::to_owned),
        thematic_areas: vec![],
        session_id: Uuid::nil(),
        account: Arc::new(account),
    }))
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

/// Times every class for both viewers; returns every sample.
async fn run_queries(db: &DatabaseConnection, backend: &str) -> Result<Vec<Duration>, BoxError> {
    let viewers = [
        ("ISU staff", viewer(UserRole::IsuStaff, None)?),
        ("delegation", viewer(UserRole::Delegation, Some("LAO"))?),
    ];
    let mut all = Vec::new();
    println!(
        "\n{:<9} {:<10} {:<26} {:<31} {:>6} {:>6} {:>9} {:>9} {:>4}",
        "backend", "viewer", "class", "query", "offset", "hits", "p50", "p95", "runs"
    );
    for (who, viewer) in &viewers {
        for class in &CLASSES {
            let mut total = 0;
            let mut page = 0;
            for _ in 0..WARMUP {
                let (hits, t) =
                    search::search(db, viewer, class.query, class.language, class.offset, PAGE)
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                total = t;
                page = hits.len();
            }
            let mut samples = Vec::with_capacity(RUNS);
            let started = Instant::now();
            while samples.len() < RUNS
                && (samples.len() < MIN_RUNS || started.elapsed() < CLASS_BUDGET)
            {
                let t = Instant::now();
                let (hits, _) =
                    search::search(db, viewer, class.query, class.language, class.offset, PAGE)
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                samples.push(t.elapsed());
                std::hint::black_box(hits);
            }
            samples.sort_unstable();
            println!(
                "{:<9} {:<10} {:<26} {:<31} {:>6} {:>6} {:>9} {:>9} {:>4}",
                backend,
                who,
                class.name,
                format!(
                    "{}{}",
                    class.query,
                    class.language.map(|_| " (FR)").unwrap_or_default()
                ),
                class.offset,
                total,
                ms(percentile(&samples, 0.5)),
                ms(percentile(&samples, 0.95)),
                samples.len(),
            );
            if page == 0 && total > class.offset {
                println!("  (an empty page out of {total} hits)");
            }
            all.extend(samples);
        }
    }
    all.sort_unstable();
    println!(
        "{backend}: overall p50 {}, p95 {} over {} searches",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.95)),
        all.len()
    );
    Ok(all)
}

/// Loads `db`, prints what loading took, times the queries.
async fn bench(db: &DatabaseConnection, backend: &str, documents: usize) -> Result<(), BoxError> {
    println!("{backend}: loading {documents} documents and {DECISIONS} decisions…");
    let loaded = load(db, documents).await?;
    println!(
        "{backend}: loaded {:.0} MB of text: inserting {:.1?} (generating {:.1?} besides), \
         analyze {:.1?}",
        loaded.text_bytes as f64 / 1e6,
        loaded.insert,
        loaded.generate,
        loaded.analyze
    );
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let size = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT pg_size_pretty(pg_total_relation_size('meeting_documents')) || ', index ' \
                 || pg_size_pretty(pg_relation_size('idx_meeting_documents_search'))",
            ))
            .await?
            .and_then(|r| r.try_get_by_index::<String>(0).ok())
            .unwrap_or_default();
        println!("{backend}: meeting_documents {size}");
    }
    run_queries(db, backend).await?;
    Ok(())
}

async fn postgres(admin_url: &str, documents: usize, keep: bool) -> Result<(), BoxError> {
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
    let db = db::connect(&Settings::for_database(&url)).await?;
    db::migrate(&db).await?;
    let outcome = bench(&db, "postgres", documents).await;
    db.close().await?;
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

async fn sqlite(documents: usize, keep: bool) -> Result<(), BoxError> {
    let path = std::env::temp_dir().join("ccm-isu-bench-search.db");
    let remove = || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    };
    remove();
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = db::connect(&Settings::for_database(&url)).await?;
    db::migrate(&db).await?;
    let outcome = bench(&db, "sqlite", documents).await;
    db.close().await?;
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
    let documents = args
        .iter()
        .position(|a| a == "--docs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(DOCUMENTS);
    let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    postgres(&admin_url, documents, flag("--keep")).await?;
    if flag("--sqlite") {
        sqlite(documents, flag("--keep")).await?;
    }
    Ok(())
}
