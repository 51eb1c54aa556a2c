//! Benchmark of an action plan's progress (issue 20; not a timed test): `cargo bench --bench
//! action_plan`. Creates a dedicated PostgreSQL database (`ccm_isu_bench_action_plan`, on the
//! server of `BENCH_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`),
//! migrates it, loads the registry and the shipped history as a first start does (records
//! complete since 1 August 2010, as `ISU_RECORDS_SINCE` would say for a deployment that
//! imported its past), then synthesizes a realistic history up to 6 December 2026: Article 7
//! reports of most States for 2011–2025 (some late, some missing), more extensions and
//! completions, a few hundred needs with matches and offers, sponsorship applications to
//! twenty meetings, and the audit log that dates their status changes, among tens of
//! thousands of other entries. On it, a plan of 50 actions and 80 indicators (40 recorded with
//! five years of values, 40 computed, every computation) written through the domain as the
//! ISU would.
//!
//! Timed: `domain::action_plan::values::progress(db, plan, 2025, today)` (warm-up, then
//! [`RUNS`] runs: p50, p95, and its SQL statements, counted as `/metrics` counts them); its
//! parts (`facts::load`, the pure computation); then through a running server, the GraphQL
//! `progress(year: 2025)` of the plan and `/exports/action-plans/{id}/progress.csv?year=2025`.
//!
//! Flags (after `--`): `--keep` leaves the database in place.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ccm_isu::domain::action_plan::plans::{self, NewAction, NewIndicator, NewPlan, NewValue};
use ccm_isu::domain::action_plan::{facts, values};
use ccm_isu::kernel::config::Settings;
use ccm_isu::kernel::db;
use ccm_isu::rules::{indicators, obligations};
use ccm_isu::startup::{self, Application};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use entity::enums::{
    ApplicationStatus, Gender, IncomeGroup, IndicatorComputation, IndicatorUnit, MatchStatus,
    MeetingKind, NeedStatus, ObligationKind, OfferStatus, ReportKind, ReportStatus, StateStatus,
    ThematicArea,
};
use entity::{
    assistance_need, assistance_offer, audit_entry, deadline_extension, match_proposal, meeting,
    sponsorship_application, state, transparency_report,
};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait,
    PaginatorTrait, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error>;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const BENCH_DB: &str = "ccm_isu_bench_action_plan";
/// Rows per `insert_many`, each batch in its own transaction.
const BATCH: usize = 250;
const ACTIONS: usize = 50;
const INDICATORS: usize = 80;
const NEEDS: usize = 300;
const OFFERS: usize = 80;
/// Audit entries of other kinds than the dated ones: what fifteen years of use leave.
const OTHER_AUDIT_ENTRIES: usize = 40_000;
/// The year whose progress is timed.
const YEAR: i32 = 2025;
const WARMUP: usize = 5;
const RUNS: usize = 50;

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
        self.next() % n.max(1)
    }
    /// True `percent` times in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn days(&mut self, n: u64) -> chrono::Duration {
        chrono::Duration::days(i64::try_from(self.below(n)).unwrap_or_default())
    }
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, BoxError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| "bad date".into())
}

fn noon(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

fn today() -> Result<NaiveDate, BoxError> {
    date(2026, 12, 6)
}

/// Inserts `$rows` of `$table` (a module of `entity`) in batches, each in its own
/// transaction.
macro_rules! insert_all {
    ($db:expr, $table:ident, $rows:expr) => {{
        for chunk in $rows.chunks(BATCH) {
            let txn = $db.begin().await?;
            $table::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
            txn.commit().await?;
        }
    }};
}

/// An audit entry of the system (no actor) about `id`, whose `after` is `after`.
fn audit(
    at: DateTime<Utc>,
    action: &str,
    entity_type: &str,
    id: Uuid,
    after: serde_json::Value,
) -> audit_entry::ActiveModel {
    audit_entry::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        actor_id: Set(None),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(id.to_string()),
        before: Set(None),
        after: Set(Some(after.to_string())),
    }
}

/// The bound States as the benchmark needs them.
struct Bound {
    model: state::Model,
    eif: NaiveDate,
}

/// How many rows of each kind were synthesized.
#[derive(Default)]
struct Counts {
    reports: usize,
    late: usize,
    extensions: usize,
    completions: usize,
    needs: usize,
    offers: usize,
    matches: usize,
    meetings: usize,
    applications: usize,
    audit: usize,
}

/// A submission for an obligation due on `due`: on time `punctual` times in 100 (up to 45
/// days early), otherwise 1 to 300 days late.
fn submission(rng: &mut Lcg, due: NaiveDate, punctual: u64) -> (NaiveDate, bool) {
    if rng.chance(punctual) {
        (due - rng.days(45), true)
    } else {
        (due + chrono::Duration::days(1) + rng.days(300), false)
    }
}

fn report(
    s: &Bound,
    kind: ReportKind,
    year: i32,
    due: NaiveDate,
    on: NaiveDate,
    on_time: bool,
    today: NaiveDate,
) -> transparency_report::ActiveModel {
    let published =
        (on + chrono::Duration::days(14) < today).then(|| noon(on) + chrono::Duration::days(14));
    transparency_report::ActiveModel {
        id: Set(Uuid::now_v7()),
        state_code: Set(s.model.code.clone()),
        kind: Set(kind),
        reporting_year: Set(year),
        status: Set(if published.is_some() {
            ReportStatus::Published
        } else {
            ReportStatus::Submitted
        }),
        version: Set(1),
        due_date: Set(due),
        submitted_at: Set(Some(noon(on))),
        on_time: Set(Some(on_time)),
        published_at: Set(published),
        sections: Set("{}".into()),
        imported: Set(true),
        published_url: Set(None),
        created_at: Set(noon(on)),
        updated_at: Set(noon(on)),
    }
}

/// Reports of most States: the initial one (95 % of States) and the annual ones for
/// 2011–2025, each State with its own habits (how often it reports, how often on time).
async fn reports(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    bound: &[Bound],
    counts: &mut Counts,
) -> Result<(), BoxError> {
    let today = today()?;
    let mut rows = Vec::new();
    for s in bound {
        let reliability = 50 + rng.below(50);
        let punctual = 20 + rng.below(70);
        let withdrawn = s.model.withdrawal_effective_date;
        let initial_due = s.eif + chrono::Duration::days(180);
        if initial_due <= today && withdrawn.is_none_or(|w| initial_due <= w) && rng.chance(95) {
            let (on, on_time) = submission(rng, initial_due, punctual);
            if on <= today {
                counts.late += usize::from(!on_time);
                rows.push(report(
                    s,
                    ReportKind::Initial,
                    initial_due.year(),
                    initial_due,
                    on,
                    on_time,
                    today,
                ));
            }
        }
        for year in 2011..=2025 {
            let due = date(year + 1, 4, 30)?;
            if due <= initial_due || withdrawn.is_some_and(|w| due > w) || !rng.chance(reliability)
            {
                continue;
            }
            let (on, on_time) = submission(rng, due, punctual);
            if on <= today {
                counts.late += usize::from(!on_time);
                rows.push(report(s, ReportKind::Annual, year, due, on, on_time, today));
            }
        }
    }
    counts.reports = rows.len();
    insert_all!(db, transparency_report, rows);
    Ok(())
}

/// Extensions for the States with an Article 3 or 4 deadline by 2027 that the shipped
/// history does not extend, and completions of destruction and clearance for some others.
async fn extensions_and_completions(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    bound: &[Bound],
    counts: &mut Counts,
) -> Result<(), BoxError> {
    let today = today()?;
    let extended: BTreeSet<(String, String)> = deadline_extension::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.state_code, e.kind.to_value()))
        .collect();
    let mut rows = Vec::new();
    for s in bound {
        let m = &s.model;
        for (kind, applies, completed, months) in [
            (
                ObligationKind::StockpileDestruction,
                m.holds_stockpiles,
                m.stockpile_destruction_completed_on,
                96,
            ),
            (
                ObligationKind::Clearance,
                m.contaminated,
                m.clearance_completed_on,
                120,
            ),
        ] {
            if !applies
                || completed.is_some()
                || extended.contains(&(m.code.clone(), kind.to_value()))
            {
                continue;
            }
            let Some(deadline) = s.eif.checked_add_months(Months::new(months)) else {
                continue;
            };
            if rng.chance(40) {
                // Completed instead, a year or more before the deadline.
                let span = (deadline.min(today) - s.eif).num_days().max(400) - 365;
                let on = s.eif + rng.days(u64::try_from(span).unwrap_or(1));
                let mut active: state::ActiveModel = m.clone().into();
                match kind {
                    ObligationKind::StockpileDestruction => {
                        active.stockpile_destruction_completed_on = Set(Some(on));
                    }
                    _ => active.clearance_completed_on = Set(Some(on)),
                }
                active.update(db).await?;
                counts.completions += 1;
                continue;
            }
            let granted_on = date(deadline.year() - 1, 9, 10)? + rng.days(5);
            if deadline.year() > 2027 || granted_on > today {
                continue;
            }
            let new_deadline = deadline
                .checked_add_months(Months::new(
                    12 * (2 + u32::try_from(rng.below(4)).unwrap_or(0)),
                ))
                .ok_or("bad deadline")?;
            rows.push(deadline_extension::ActiveModel {
                id: Set(Uuid::now_v7()),
                state_code: Set(m.code.clone()),
                kind: Set(kind),
                previous_deadline: Set(deadline),
                new_deadline: Set(new_deadline),
                granted_on: Set(granted_on),
                granted_at: Set(Some(format!("{}MSP", granted_on.year() - 2010))),
                imported: Set(false),
                decision_reference: Set(None),
                precision: Set(Some("day".into())),
                granted_on_precision: Set(Some("day".into())),
                confidence: Set(Some("verified".into())),
                sources: Set(None),
                decision_id: Set(None),
                created_at: Set(noon(granted_on)),
            });
        }
    }
    counts.extensions = rows.len();
    insert_all!(db, deadline_extension, rows);
    Ok(())
}

const AREAS: [ThematicArea; 5] = [
    ThematicArea::Clearance,
    ThematicArea::RiskReductionEducation,
    ThematicArea::StockpileDestruction,
    ThematicArea::VictimAssistance,
    ThematicArea::NationalImplementation,
];

/// Needs of affected and low-income States, offers, matches, and the audit entries that
/// date their status changes (three in four; the others are dated by `updatedAt`).
async fn cooperation(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    bound: &[Bound],
    counts: &mut Counts,
) -> Result<(), BoxError> {
    let today = today()?;
    let start = date(2012, 1, 1)?;
    let span = u64::try_from((date(2026, 10, 1)? - start).num_days()).unwrap_or(1);
    let clamp = |d: NaiveDate| d.min(today);
    let mut audit_rows = Vec::new();
    let needy: Vec<&Bound> = bound
        .iter()
        .filter(|s| {
            let m = &s.model;
            m.contaminated
                || m.has_victims
                || matches!(
                    m.income_group,
                    Some(IncomeGroup::Low | IncomeGroup::LowerMiddle)
                )
        })
        .collect();
    let donors: Vec<&Bound> = bound
        .iter()
        .filter(|s| s.model.income_group == Some(IncomeGroup::High))
        .collect();
    let mut offers = Vec::new();
    let mut offer_ids = Vec::new();
    for k in 0..OFFERS {
        let id = Uuid::now_v7();
        offer_ids.push(id);
        let donor = (!donors.is_empty() && k % 3 != 0).then(|| {
            donors[rng.below(donors.len() as u64) as usize]
                .model
                .code
                .clone()
        });
        let created = clamp(start + rng.days(span));
        offers.push(assistance_offer::ActiveModel {
            id: Set(id),
            provider_organization: Set(donor.is_none().then(|| format!("Bench donor {k}"))),
            provider_state_code: Set(donor),
            thematic_areas: Set(AREAS[k % AREAS.len()].to_value()),
            assistance_types: Set("FINANCIAL".into()),
            title: Set(format!("Bench offer {k}")),
            description: Set(None),
            amount_cents: Set(Some(
                10_000_000 + 100 * i64::try_from(rng.below(1_000_000)).unwrap_or(0),
            )),
            currency: Set(Some("CHF".into())),
            committed_cents: Set(0),
            target_regions: Set(String::new()),
            target_state_codes: Set(String::new()),
            period_start: Set(None),
            period_end: Set(None),
            status: Set(OfferStatus::Open),
            created_at: Set(noon(created)),
            updated_at: Set(noon(created)),
        });
    }
    let mut needs = Vec::new();
    let mut matches = Vec::new();
    for k in 0..NEEDS {
        let s = &needy[rng.below(needy.len() as u64) as usize].model;
        let id = Uuid::now_v7();
        let created = clamp(start + rng.days(span));
        let status = match rng.below(100) {
            0..40 => NeedStatus::Open,
            40..55 => NeedStatus::PartiallyMet,
            55..85 => NeedStatus::Met,
            _ => NeedStatus::Withdrawn,
        };
        let updated = clamp(created + rng.days(700));
        audit_rows.push(audit(
            noon(created),
            "createAssistanceNeed",
            "AssistanceNeed",
            id,
            json!({"status": NeedStatus::Open.to_value(), "title": format!("Need {k}")}),
        ));
        if status != NeedStatus::Open && rng.chance(75) {
            audit_rows.push(audit(
                noon(updated),
                "updateAssistanceNeed",
                "AssistanceNeed",
                id,
                json!({"status": status.to_value()}),
            ));
        }
        // Edits that do not touch the status.
        for _ in 0..2 {
            audit_rows.push(audit(
                noon(clamp(created + rng.days(300))),
                "updateAssistanceNeed",
                "AssistanceNeed",
                id,
                json!({"title": format!("Need {k}, revised")}),
            ));
        }
        needs.push(assistance_need::ActiveModel {
            id: Set(id),
            state_code: Set(s.code.clone()),
            thematic_area: Set(AREAS[k % AREAS.len()]),
            assistance_types: Set("FINANCIAL".into()),
            title: Set(format!("Bench need {k}")),
            description: Set(None),
            amount_cents: Set(Some(5_000_000)),
            currency: Set(Some("CHF".into())),
            covered_cents: Set(0),
            period_start: Set(None),
            period_end: Set(None),
            status: Set(status),
            source_report_id: Set(None),
            created_at: Set(noon(created)),
            updated_at: Set(noon(updated)),
        });
        if !rng.chance(65) {
            continue;
        }
        for _ in 0..=rng.below(3) {
            let mid = Uuid::now_v7();
            let proposed = clamp(created + rng.days(200));
            let agreed = clamp(proposed + chrono::Duration::days(10) + rng.days(110));
            let later = clamp(agreed + chrono::Duration::days(30) + rng.days(300));
            let status = match rng.below(100) {
                0..20 => MatchStatus::Proposed,
                20..30 => MatchStatus::Contacted,
                30..60 => MatchStatus::Agreed,
                60..80 => MatchStatus::Delivered,
                _ => MatchStatus::Declined,
            };
            let mut log = |on: NaiveDate, s: MatchStatus| {
                audit_rows.push(audit(
                    noon(on),
                    "updateMatchProposal",
                    "MatchProposal",
                    mid,
                    json!({"status": s.to_value()}),
                ));
            };
            log(proposed, MatchStatus::Proposed);
            let updated = match status {
                MatchStatus::Proposed | MatchStatus::Contacted => proposed,
                MatchStatus::Agreed => {
                    if rng.chance(80) {
                        log(agreed, MatchStatus::Agreed);
                    }
                    agreed
                }
                MatchStatus::Delivered => {
                    log(agreed, MatchStatus::Agreed);
                    log(later, MatchStatus::Delivered);
                    later
                }
                MatchStatus::Declined => {
                    if rng.chance(40) {
                        log(agreed, MatchStatus::Agreed);
                    }
                    log(later, MatchStatus::Declined);
                    later
                }
            };
            matches.push(match_proposal::ActiveModel {
                id: Set(mid),
                need_id: Set(id),
                offer_id: Set(offer_ids[rng.below(offer_ids.len() as u64) as usize]),
                amount_cents: Set(Some(1_000_000)),
                currency: Set(Some("CHF".into())),
                offer_amount_cents: Set(Some(1_000_000)),
                status: Set(status),
                note: Set(None),
                created_at: Set(noon(proposed)),
                updated_at: Set(noon(updated)),
            });
        }
    }
    counts.needs = needs.len();
    counts.offers = offers.len();
    counts.matches = matches.len();
    counts.audit += audit_rows.len();
    insert_all!(db, assistance_offer, offers);
    insert_all!(db, assistance_need, needs);
    insert_all!(db, match_proposal, matches);
    insert_all!(db, audit_entry, audit_rows);
    Ok(())
}

/// A Meeting of States Parties every September from 2011 to 2025 and the intersessional
/// meetings of 2011–2015, each with 25 to 50 applications from low and lower-middle income
/// States; decisions and withdrawals in the audit log.
async fn sponsorship(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    bound: &[Bound],
    counts: &mut Counts,
) -> Result<(), BoxError> {
    let eligible: Vec<&Bound> = bound
        .iter()
        .filter(|s| {
            matches!(
                s.model.income_group,
                Some(IncomeGroup::Low | IncomeGroup::LowerMiddle)
            )
        })
        .collect();
    let mut meetings = Vec::new();
    for year in 2011..=2025 {
        meetings.push((
            MeetingKind::MeetingOfStatesParties,
            format!("{} Meeting of States Parties", year - 2009),
            date(year, 9, 2)? + rng.days(14),
        ));
    }
    for year in 2011..=2015 {
        meetings.push((
            MeetingKind::Intersessional,
            format!("Intersessional meetings {year}"),
            date(year, 4, 14)? + rng.days(7),
        ));
    }
    let mut meeting_rows = Vec::new();
    let mut applications = Vec::new();
    let mut audit_rows = Vec::new();
    for (kind, title, starts) in meetings {
        let mid = Uuid::now_v7();
        let created = noon(starts - chrono::Duration::days(180));
        meeting_rows.push(meeting::ActiveModel {
            id: Set(mid),
            kind: Set(kind),
            title: Set(format!("BENCH {title}")),
            starts_on: Set(starts),
            ends_on: Set(starts + chrono::Duration::days(3)),
            venue: Set(Some("Geneva".into())),
            application_deadline: Set(Some(starts - chrono::Duration::days(75))),
            sponsorship_budget_cents: Set(Some(20_000_000)),
            dsa_cents: Set(Some(30_000)),
            currency: Set(Some("CHF".into())),
            committed_cents: Set(0),
            created_at: Set(created),
            updated_at: Set(created),
        });
        for _ in 0..25 + rng.below(26) {
            let s = &eligible[rng.below(eligible.len() as u64) as usize].model;
            let id = Uuid::now_v7();
            let submitted = noon(starts - chrono::Duration::days(60) - rng.days(30));
            let decided = noon(starts - chrono::Duration::days(30) + rng.days(10));
            let status = match rng.below(100) {
                0..55 => ApplicationStatus::Approved,
                55..65 => ApplicationStatus::Rejected,
                65..75 => ApplicationStatus::Waitlisted,
                75..85 => ApplicationStatus::Withdrawn,
                85..93 => ApplicationStatus::UnderReview,
                _ => ApplicationStatus::Submitted,
            };
            let mut log = |at: DateTime<Utc>, s: ApplicationStatus| {
                audit_rows.push(audit(
                    at,
                    "decideSponsorshipApplication",
                    "SponsorshipApplication",
                    id,
                    json!({"status": s.to_value()}),
                ));
            };
            log(submitted, ApplicationStatus::Submitted);
            let updated = match status {
                ApplicationStatus::Approved
                | ApplicationStatus::Rejected
                | ApplicationStatus::Waitlisted => {
                    if rng.chance(90) {
                        log(decided, status);
                    }
                    decided
                }
                ApplicationStatus::Withdrawn => {
                    if rng.chance(60) {
                        log(decided, ApplicationStatus::Approved);
                    }
                    let withdrawn = decided + chrono::Duration::days(10);
                    log(withdrawn, ApplicationStatus::Withdrawn);
                    withdrawn
                }
                ApplicationStatus::UnderReview | ApplicationStatus::Submitted => submitted,
            };
            applications.push(sponsorship_application::ActiveModel {
                id: Set(id),
                meeting_id: Set(mid),
                state_code: Set(s.code.clone()),
                delegate_name: Set(format!("Delegate {}", applications.len())),
                delegate_gender: Set(if rng.chance(45) {
                    Gender::Female
                } else {
                    Gender::Male
                }),
                delegate_position: Set(None),
                delegate_email: Set(None),
                travel_cents: Set(150_000),
                requested_days: Set(4),
                status: Set(status),
                approved_cents: Set((status == ApplicationStatus::Approved).then_some(270_000)),
                justification: Set(None),
                submitted_at: Set(submitted),
                decided_at: Set(matches!(
                    status,
                    ApplicationStatus::Approved
                        | ApplicationStatus::Rejected
                        | ApplicationStatus::Waitlisted
                        | ApplicationStatus::Withdrawn
                )
                .then_some(decided)),
                decision_note: Set(None),
                applied_by: Set(None),
                decided_by: Set(None),
                updated_at: Set(updated),
            });
        }
    }
    counts.meetings = meeting_rows.len();
    counts.applications = applications.len();
    counts.audit += audit_rows.len();
    insert_all!(db, meeting, meeting_rows);
    insert_all!(db, sponsorship_application, applications);
    insert_all!(db, audit_entry, audit_rows);
    Ok(())
}

/// The rest of fifteen years of audit log: entries of other types.
async fn other_audit(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    counts: &mut Counts,
) -> Result<(), BoxError> {
    const TYPES: [&str; 7] = [
        "TransparencyReport",
        "User",
        "Decision",
        "MeetingDocument",
        "WorkplanActivity",
        "Invoice",
        "State",
    ];
    let start = date(2011, 1, 1)?;
    let span = u64::try_from((today()? - start).num_days()).unwrap_or(1);
    let rows: Vec<audit_entry::ActiveModel> = (0..OTHER_AUDIT_ENTRIES)
        .map(|k| {
            let at = noon(start + rng.days(span));
            audit(
                at,
                "update",
                TYPES[k % TYPES.len()],
                Uuid::now_v7(),
                json!({"status": "PUBLISHED", "title": format!("Entry {k}")}),
            )
        })
        .collect();
    counts.audit += rows.len();
    insert_all!(db, audit_entry, rows);
    Ok(())
}

const SECTIONS: [&str; 10] = [
    "Universalization",
    "Stockpile destruction and retention",
    "Survey and clearance of cluster munition remnants",
    "Risk reduction education",
    "Victim assistance",
    "International cooperation and assistance",
    "Transparency measures",
    "National implementation measures",
    "Compliance",
    "Implementation support",
];

const COMPUTED: [IndicatorComputation; 7] = [
    IndicatorComputation::InitialReportsOnTime,
    IndicatorComputation::AnnualReportsOnTime,
    IndicatorComputation::StockpileDestructionCompletedOnTime,
    IndicatorComputation::ClearanceCompleted,
    IndicatorComputation::NewStatesParties,
    IndicatorComputation::NeedsWithAgreedMatch,
    IndicatorComputation::SponsoredWomen,
];

/// The plan 2021–2026: 50 actions in 10 sections, 80 indicators (actions 1–30 have two),
/// every other one recorded with values for 2021–2025, the others computed, every
/// computation in turn. Written through the domain, audited, as the ISU writes it.
async fn plan(
    db: &DatabaseConnection,
    rng: &mut Lcg,
    bound: &[Bound],
) -> Result<(entity::action_plan::Model, usize), BoxError> {
    let err = |e: ccm_isu::kernel::error::ServiceError| format!("{e:?}");
    let plan = plans::create_plan_as(
        db,
        None,
        "bench",
        NewPlan {
            title: "Lausanne Action Plan".into(),
            adopted_at_meeting_id: None,
            first_year: 2021,
            last_year: 2026,
        },
    )
    .await
    .map_err(err)?;
    let mut actions = Vec::new();
    for n in 1..=ACTIONS {
        let number = i32::try_from(n)?;
        let action = plans::add_action_as(
            db,
            None,
            "bench",
            NewAction {
                plan_id: plan.id,
                number,
                section: SECTIONS[(n - 1) * SECTIONS.len() / ACTIONS].into(),
                text: format!("Action {n} of the plan, as adopted."),
            },
        )
        .await
        .map_err(err)?;
        actions.push(action);
    }
    let codes: Vec<String> = bound.iter().map(|s| s.model.code.clone()).collect();
    let mut recorded_values = 0;
    for k in 0..INDICATORS {
        let action = &actions[k % ACTIONS];
        let computation = if k % 2 == 0 {
            IndicatorComputation::Recorded
        } else {
            COMPUTED[(k / 2) % COMPUTED.len()]
        };
        let unit = match computation {
            IndicatorComputation::NewStatesParties => IndicatorUnit::Count,
            IndicatorComputation::Recorded if k % 8 == 0 => IndicatorUnit::Count,
            _ => IndicatorUnit::Percent,
        };
        let (baseline, target) = match unit {
            IndicatorUnit::Percent => {
                let b = 20 + rng.below(50);
                (b, (b + 10 + rng.below(30)).min(100))
            }
            IndicatorUnit::Count => (rng.below(5), 5 + rng.below(15)),
        };
        let indicator = plans::add_indicator_as(
            db,
            None,
            "bench",
            NewIndicator {
                action_id: action.id,
                code: format!("{}.{}", action.number, k / ACTIONS + 1),
                text: format!("Indicator {k}: {computation:?}"),
                unit,
                computation,
                population: None,
                baseline_year: Some(2020),
                baseline: Some(baseline as f64),
                target: Some(target as f64),
            },
        )
        .await
        .map_err(err)?;
        if computation != IndicatorComputation::Recorded {
            continue;
        }
        for year in 2021..=2025 {
            // A third name the States they count.
            let named = rng.chance(33);
            let numerator = match (unit, named) {
                (_, true) => 1 + rng.below(30),
                (IndicatorUnit::Count, false) => rng.below(20),
                (IndicatorUnit::Percent, false) => rng.below(codes.len() as u64),
            };
            let state_codes = named.then(|| {
                let mut chosen = BTreeSet::new();
                while (chosen.len() as u64) < numerator {
                    chosen.insert(codes[rng.below(codes.len() as u64) as usize].clone());
                }
                chosen.into_iter().collect()
            });
            plans::record_value_as(
                db,
                None,
                "bench",
                NewValue {
                    indicator_id: indicator.id,
                    year,
                    numerator: i32::try_from(numerator)?,
                    denominator: (unit == IndicatorUnit::Percent)
                        .then(|| i32::try_from(codes.len()))
                        .transpose()?,
                    state_codes,
                    note: Some("From the Article 7 reports.".into()),
                },
            )
            .await
            .map_err(err)?;
            recorded_values += 1;
        }
    }
    Ok((plan, recorded_values))
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

/// Runs `f` [`WARMUP`] times, then [`RUNS`] times timed; prints p50, p95, min and max.
async fn time<T, F, Fut>(label: &str, mut f: F) -> Result<Vec<Duration>, BoxError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, BoxError>>,
{
    for _ in 0..WARMUP {
        std::hint::black_box(f().await?);
    }
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = f().await?;
        samples.push(t.elapsed());
        std::hint::black_box(out);
    }
    samples.sort_unstable();
    println!(
        "{label:<58} p50 {:>9}  p95 {:>9}  min {:>9}  max {:>9}  ({RUNS} runs)",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.95)),
        ms(samples.first().copied().unwrap_or_default()),
        ms(samples.last().copied().unwrap_or_default()),
    );
    Ok(samples)
}

/// Each statement's time and text, while recording.
type Trace = Arc<Mutex<Option<Vec<(Duration, String)>>>>;

/// Prints the statements of one `progress` call in order, each with its median time over
/// ten calls, and what they add up to.
async fn statement_times(
    db: &DatabaseConnection,
    plan: &entity::action_plan::Model,
    trace: &Trace,
) -> Result<(), BoxError> {
    let record = |on: bool| -> Result<Vec<(Duration, String)>, BoxError> {
        let mut t = trace.lock().map_err(|_| "trace lock")?;
        Ok(std::mem::replace(&mut *t, on.then(Vec::new)).unwrap_or_default())
    };
    let mut times: Vec<Vec<Duration>> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for _ in 0..10 {
        record(true)?;
        values::progress(db, plan, YEAR, today()?)
            .await
            .map_err(|e| format!("{e:?}"))?;
        for (i, (elapsed, sql)) in record(false)?.into_iter().enumerate() {
            if times.len() <= i {
                times.push(Vec::new());
                texts.push(sql.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            times[i].push(elapsed);
        }
    }
    println!("  its statements, in order (median of 10 calls):");
    let mut total = Duration::ZERO;
    for (list, sql) in times.iter_mut().zip(&texts) {
        list.sort_unstable();
        let median = percentile(list, 0.5);
        total += median;
        let shown: String = sql.chars().take(110).collect();
        println!("    {:>8}  {shown}", ms(median));
    }
    println!("    {:>8}  in all", ms(total));
    Ok(())
}

/// Times progress in process, its parts, and through a running server.
async fn run(url: &str) -> Result<(), BoxError> {
    let today = today()?;
    let mut settings = Settings::for_database(url);
    settings.today = Some(today);
    settings.records_since = Some(date(2010, 8, 1)?);
    settings.shipped_history = true;
    let mut db = db::connect(&settings).await?;
    // Statements counted as `/metrics` counts them.
    let statements = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&statements);
    // And, while `Some`, each statement's time and text.
    let trace: Trace = Arc::new(Mutex::new(None));
    let tracer = Arc::clone(&trace);
    db.set_metric_callback(move |info| {
        counter.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut t) = tracer.lock()
            && let Some(list) = t.as_mut()
        {
            list.push((info.elapsed, info.statement.to_string()));
        }
    });
    db::migrate(&db).await?;
    let t = Instant::now();
    startup::first_start(&settings, &db).await?;
    println!(
        "first start (registry and shipped history): {:.1?}",
        t.elapsed()
    );

    let t = Instant::now();
    let mut rng = Lcg(2026);
    let bound: Vec<Bound> = state::Entity::find()
        .all(&db)
        .await?
        .into_iter()
        .filter(|s| matches!(s.status, StateStatus::StateParty | StateStatus::Withdrawn))
        .filter_map(|s| {
            let eif = obligations::entry_into_force(s.deposit_date?);
            (eif <= today).then_some(Bound { model: s, eif })
        })
        .collect();
    let mut counts = Counts::default();
    reports(&db, &mut rng, &bound, &mut counts).await?;
    extensions_and_completions(&db, &mut rng, &bound, &mut counts).await?;
    cooperation(&db, &mut rng, &bound, &mut counts).await?;
    sponsorship(&db, &mut rng, &bound, &mut counts).await?;
    other_audit(&db, &mut rng, &mut counts).await?;
    let (plan, recorded_values) = plan(&db, &mut rng, &bound).await?;
    db.execute_unprepared("VACUUM ANALYZE").await?;
    let all_extensions = deadline_extension::Entity::find().count(&db).await?;
    let all_audit = audit_entry::Entity::find().count(&db).await?;
    println!(
        "synthesized in {:.1?}: {} bound States; {} reports ({} late); {} extensions more \
         ({all_extensions} in all, with the shipped history); {} completions more; {} needs, \
         {} offers, {} matches; {} meetings, {} applications; {} audit entries more \
         ({all_audit} in all); \
         the plan: {ACTIONS} actions, {INDICATORS} indicators, {recorded_values} recorded values",
        t.elapsed(),
        bound.len(),
        counts.reports,
        counts.late,
        counts.extensions,
        counts.completions,
        counts.needs,
        counts.offers,
        counts.matches,
        counts.meetings,
        counts.applications,
        counts.audit,
    );

    // In process.
    let before = statements.load(Ordering::Relaxed);
    let progress = values::progress(&db, &plan, YEAR, today)
        .await
        .map_err(|e| format!("{e:?}"))?;
    let spent = statements.load(Ordering::Relaxed) - before;
    let with_value = progress
        .indicators
        .iter()
        .filter(|i| i.current.is_some())
        .count();
    println!(
        "\nprogress({YEAR}): {} indicators, {with_value} with a value, coverage {:.2}; \
         {spent} SQL statements per call",
        progress.indicators.len(),
        progress.coverage
    );
    let db_ref = &db;
    let plan_ref = &plan;
    let before = statements.load(Ordering::Relaxed);
    time("values::progress(plan, 2025) in process", || async move {
        values::progress(db_ref, plan_ref, YEAR, today)
            .await
            .map_err(|e| -> BoxError { format!("{e:?}").into() })
    })
    .await?;
    let per_call = (statements.load(Ordering::Relaxed) - before) / (WARMUP + RUNS) as u64;
    println!("  {per_call} statements per call, every call");
    time(
        "  of which facts::load (the computed indicators' facts)",
        || async move { facts::load(db_ref).await.map_err(BoxError::from) },
    )
    .await?;
    statement_times(&db, &plan, &trace).await?;
    let loaded = facts::load(&db).await?;
    println!(
        "  facts: {} States, {} needs, {} delegates",
        loaded.states.len(),
        loaded.needs.len(),
        loaded.delegates.len()
    );
    let loaded = &loaded;
    time(
        "  of which the computation (7 computations × 2 years, pure)",
        || async move {
            let mut n = 0;
            for c in COMPUTED {
                for year in [YEAR - 1, YEAR] {
                    n += usize::from(indicators::compute(c, year, loaded).is_some());
                }
            }
            Ok::<_, BoxError>(n)
        },
    )
    .await?;

    // Through a running server.
    let app = Application::build(settings).await?;
    let base = format!("http://{}", app.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    let id =
        ccm_isu::api::ids::encode(ccm_isu::api::action_plan::types::ActionPlan::KIND, plan.id).0;
    let query = "query($id: ID!) { node(id: $id) { ... on ActionPlan { progress(year: 2025) {
        coverage indicators { indicator { code unit computation baseline target
          action { number section } }
          current { value numerator denominator computed missing { code } }
          previous { value } change targetMet } } } } }";
    let body = json!({ "query": query, "variables": { "id": id } });
    let (client_ref, base_ref, body_ref) = (&client, &base, &body);
    let check = client
        .post(format!("{base}/graphql"))
        .json(&body)
        .send()
        .await?
        .json::<serde_json::Value>()
        .await?;
    if check.get("errors").is_some() {
        return Err(format!("GraphQL refused the query: {check}").into());
    }
    time(
        "POST /graphql progress(year: 2025), every field",
        || async move {
            let resp = client_ref
                .post(format!("{base_ref}/graphql"))
                .json(body_ref)
                .send()
                .await?;
            Ok::<_, BoxError>(resp.bytes().await?.len())
        },
    )
    .await?;
    let path = format!("{base}/exports/action-plans/{id}/progress.csv?year=2025");
    let path_ref = &path;
    let csv = client.get(&path).send().await?;
    if !csv.status().is_success() {
        return Err(format!("the export answered {}", csv.status()).into());
    }
    println!("  the export: {} bytes", csv.bytes().await?.len());
    time(
        "GET /exports/action-plans/{id}/progress.csv?year=2025",
        || async move {
            let resp = client_ref.get(path_ref).send().await?;
            Ok::<_, BoxError>(resp.bytes().await?.len())
        },
    )
    .await?;
    let _ = stop.send(());
    server.await??;
    db.close().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // `cargo bench` passes `--bench`; other flags come after `--`.
    let keep = std::env::args().any(|a| a == "--keep");
    let admin_url = std::env::var("BENCH_DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.into());
    let (base, rest) = admin_url
        .rsplit_once('/')
        .ok_or("BENCH_DATABASE_URL has no database path")?;
    let params = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    let url = format!("{base}/{BENCH_DB}{params}");
    let admin = Database::connect(&admin_url).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {BENCH_DB}"))
        .await?;
    let outcome = run(&url).await;
    if keep {
        println!("kept {url}");
    } else {
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
            .await?;
    }
    admin.close().await?;
    outcome
}
