//! The planner (docs/domain.md §12): from every State's obligations as they stand today,
//! the deadline reminders due ([`crate::rules::reminders`]), one per contact point (and a
//! copy of overdue ones to the ISU when the policy says so), written to the outbox under
//! their dedupe key; the reminders of the last day to submit an extension request
//! ([`super::submissions`]); the follow-up of meetings' decisions falling due, in the app of
//! ISU staff; and the PENDING reminders no longer needed, CANCELLED.
//!
//! A run reads a fixed number of statements whatever the number of States: the policy, the
//! obligations of every State ([`obligations::for_all`]), the active contact points, the
//! meetings that decide extensions and the extension requests submitted, the decisions
//! falling due (and, when there are some, the ISU's users), which of the keys due
//! are in the outbox already (a statement per 1,000 keys) and the PENDING reminders; then
//! renders the messages of the new rows only and writes, in one transaction, those rows and
//! the cancellations (a statement per 500 rows written, per 1,000 cancelled).
//!
//! Running twice, or on two servers at once, writes each reminder once: a reminder's key
//! names its State, obligation, due date, round and recipient, and the outbox writes a key
//! once. A new due date (an extension) makes new keys: a new series.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{
    ImplementationStatus, Language, NotificationChannel, NotificationReason, NotificationStatus,
    ObligationKind as StoredKind, UserRole,
};
use entity::{decision, notification, state, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::NotificationsConfig;
use super::messages::{self, Message, Rendered, Topic};
use super::outbox::{self, NewNotification};
use super::submissions::{self, PlannedSubmission};
use crate::domain::states::obligations;
use crate::kernel::clock::now;
use crate::rules::obligations::ObligationKind;
use crate::rules::reminders::{self, Policy, Round};

/// IDs per statement when looking keys up or cancelling: well within SQLite's and
/// PostgreSQL's limits on bound parameters.
const IDS_PER_STATEMENT: usize = 1000;

/// The reasons of deadline reminders (the rows the planner cancels).
pub const REMINDER_REASONS: [NotificationReason; 2] = [
    NotificationReason::DeadlineApproaching,
    NotificationReason::DeadlineMissed,
];

/// One deadline reminder due today, to one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub state_code: String,
    pub state_name: String,
    pub kind: ObligationKind,
    /// Annual reports: the calendar year covered.
    pub reporting_year: Option<i32>,
    pub due_date: NaiveDate,
    /// due_date − today; negative when overdue.
    pub days_remaining: i64,
    pub round: Round,
    /// DEADLINE_APPROACHING (lead rounds) or DEADLINE_MISSED (overdue rounds).
    pub reason: NotificationReason,
    /// The contact point; None for the ISU's copy of an overdue reminder.
    pub contact_point_id: Option<Uuid>,
    /// The email address.
    pub recipient: String,
    pub language: Language,
    pub dedupe_key: String,
    /// Already in the outbox before this run (written by an earlier run, or another
    /// server): this run does not write it again.
    pub in_outbox: bool,
}

/// One in-app notice to an ISU user that a meeting's decision falls due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedDecision {
    pub decision_id: Uuid,
    /// Where it stands in the meeting's record, e.g. "para. 27(c)".
    pub reference: String,
    /// Who must act, in the meeting's words.
    pub responsible: String,
    pub due_on: NaiveDate,
    pub round: Round,
    pub user_id: Uuid,
    /// The user's email.
    pub recipient: String,
    pub dedupe_key: String,
    pub in_outbox: bool,
}

/// What a run did (or, dry, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanReport {
    /// Rows written to the outbox (dry run: the rows not in it yet, which a run would write).
    pub written: u64,
    /// PENDING reminders CANCELLED (dry run: that a run would cancel).
    pub cancelled: u64,
    /// Every deadline reminder due today, written now or already in the outbox, ordered by
    /// due date, State, kind, reporting year and recipient.
    pub planned: Vec<Planned>,
    /// Every decision notice due today, written now or already in the outbox.
    pub decisions: Vec<PlannedDecision>,
    /// Every reminder of the last day to submit an extension request due today, written now
    /// or already in the outbox, ordered by that day, State, kind and key.
    pub submissions: Vec<PlannedSubmission>,
}

/// The outbox key of a deadline reminder: `rem|{STATE}|{KIND}|{year or -}|{due}|{round}|
/// {contact point ID or "isu"}`.
pub fn reminder_key(
    state_code: &str,
    kind: ObligationKind,
    reporting_year: Option<i32>,
    due: NaiveDate,
    round: Round,
    contact_point: Option<Uuid>,
) -> String {
    format!(
        "rem|{state_code}|{}|{}|{}|{round}|{}",
        StoredKind::from(kind).to_value(),
        reporting_year.map_or_else(|| "-".to_owned(), |y| y.to_string()),
        due.format("%Y-%m-%d"),
        contact_point.map_or_else(|| "isu".to_owned(), |id| id.to_string()),
    )
}

/// The outbox key of a decision's follow-up: `dec|{decision ID}|{due}|{round}|{user ID}`.
pub fn decision_key(decision: Uuid, due: NaiveDate, round: Round, user: Uuid) -> String {
    format!("dec|{decision}|{}|{round}|{user}", due.format("%Y-%m-%d"))
}

/// Which obligation a reminder is about: State, kind, reporting year.
type ObligationRef = (String, StoredKind, Option<i32>);

/// Today's reminders of the last day to submit an extension request, by State and kind
/// ([`submissions::Facts::open`]).
type OpenSubmissions = HashMap<(String, StoredKind), (NaiveDate, Option<String>)>;

/// A PENDING reminder, as far as cancelling it goes.
#[derive(Debug, FromQueryResult)]
struct PendingReminder {
    id: Uuid,
    dedupe_key: String,
    state_code: Option<String>,
    obligation_kind: Option<StoredKind>,
    reporting_year: Option<i32>,
    due_date: Option<NaiveDate>,
    round: Option<String>,
}

impl PendingReminder {
    fn of(row: &notification::Model) -> Self {
        Self {
            id: row.id,
            dedupe_key: row.dedupe_key.clone(),
            state_code: row.state_code.clone(),
            obligation_kind: row.obligation_kind,
            reporting_year: row.reporting_year,
            due_date: row.due_date,
            round: row.round.clone(),
        }
    }

    /// No longer needed: its obligation is not open any more (met, no longer owed), is of a
    /// kind the policy no longer reminds of, is due on another date (an extension), or has
    /// passed to a later round (an unsent "due in 7 days" once the date is missed, the first
    /// overdue reminder once the second is due): a State is told once where it stands, never
    /// a backlog of rounds at once after the mail was down. A reminder to submit an
    /// extension request goes by its own rule, [`submissions::stale`].
    fn stale(
        &self,
        open: &HashMap<ObligationRef, OpenObligation>,
        submitting: &OpenSubmissions,
    ) -> bool {
        if self.is_submission() {
            return submissions::stale(
                submitting,
                self.state_code.as_deref(),
                self.obligation_kind,
                self.due_date,
                self.round.as_deref(),
            );
        }
        let (Some(code), Some(kind)) = (&self.state_code, self.obligation_kind) else {
            return true;
        };
        open.get(&(code.clone(), kind, self.reporting_year))
            .is_none_or(|o| {
                Some(o.due_date) != self.due_date || o.round.as_deref() != self.round.as_deref()
            })
    }

    /// A reminder of the last day to submit an extension request, not of a deadline.
    fn is_submission(&self) -> bool {
        self.dedupe_key.starts_with(submissions::KEY_PREFIX)
    }
}

/// An open obligation as reminders see it: its due date in force and the round due today.
#[derive(Debug)]
struct OpenObligation {
    due_date: NaiveDate,
    /// The label of today's round ("L30", "O2"); None when no reminder is due.
    round: Option<String>,
}

/// The open obligations the policy reminds of, with their due date in force and today's
/// round, by State, kind and reporting year.
fn open_obligations<'a>(
    policy: &Policy,
    today: NaiveDate,
    list: impl IntoIterator<Item = (&'a state::Model, &'a crate::rules::obligations::Obligation)>,
) -> HashMap<ObligationRef, OpenObligation> {
    list.into_iter()
        .filter(|(_, o)| o.status.is_open() && policy.covers(o.kind))
        .map(|(s, o)| {
            (
                (s.code.clone(), o.kind.into(), o.reporting_year),
                OpenObligation {
                    due_date: o.due_date,
                    round: reminders::round_on(policy, o.due_date, today).map(Round::label),
                },
            )
        })
        .collect()
}

/// An active ISU staff member or administrator.
#[derive(Debug, FromQueryResult)]
pub(super) struct Recipient {
    pub id: Uuid,
    pub email: String,
}

/// The active ISU staff and administrators.
pub(super) async fn isu_users<C: ConnectionTrait>(conn: &C) -> Result<Vec<Recipient>, DbErr> {
    use user::Column as C;
    user::Entity::find()
        .select_only()
        .columns([C::Id, C::Email])
        .filter(C::Role.is_in([UserRole::IsuStaff, UserRole::IsuAdmin]))
        .filter(C::Active.eq(true))
        .order_by_asc(C::Id)
        .into_model::<Recipient>()
        .all(conn)
        .await
}

/// A decision falling due, as the planner needs it.
#[derive(Debug, FromQueryResult)]
struct DueDecision {
    id: Uuid,
    reference: String,
    responsible: String,
    due_on: Option<NaiveDate>,
}

/// The decisions with a due date whose implementation is still open (neither
/// IMPLEMENTED, NOT_ACCEPTED nor SUPERSEDED), from `from` on.
async fn due_decisions(
    db: &DatabaseConnection,
    from: NaiveDate,
) -> Result<Vec<DueDecision>, DbErr> {
    use decision::Column as C;
    decision::Entity::find()
        .select_only()
        .columns([C::Id, C::Reference, C::Responsible, C::DueOn])
        .filter(C::DueOn.gte(from))
        .filter(C::Status.is_not_in([
            ImplementationStatus::Implemented,
            ImplementationStatus::NotAccepted,
            ImplementationStatus::Superseded,
        ]))
        .order_by_asc(C::DueOn)
        .order_by_asc(C::Id)
        .into_model::<DueDecision>()
        .all(db)
        .await
}

/// Of `keys`, those already in the outbox.
async fn existing_keys(
    db: &DatabaseConnection,
    keys: impl Iterator<Item = String>,
) -> Result<HashSet<String>, DbErr> {
    use notification::Column as C;
    let keys: Vec<String> = keys.collect();
    let mut out = HashSet::new();
    for chunk in keys.chunks(IDS_PER_STATEMENT) {
        let found: Vec<String> = notification::Entity::find()
            .select_only()
            .column(C::DedupeKey)
            .filter(C::DedupeKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// The PENDING deadline reminders.
async fn pending_reminders(db: &DatabaseConnection) -> Result<Vec<PendingReminder>, DbErr> {
    use notification::Column as C;
    notification::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::DedupeKey,
            C::StateCode,
            C::ObligationKind,
            C::ReportingYear,
            C::DueDate,
            C::Round,
        ])
        .filter(C::Status.eq(NotificationStatus::Pending))
        .filter(C::Reason.is_in(REMINDER_REASONS))
        .into_model::<PendingReminder>()
        .all(db)
        .await
}

/// CANCELLED for the rows of `ids` that are still PENDING (one that a sender has sent
/// meanwhile stays SENT): one statement per 1,000 rows.
pub(super) async fn cancel<C: ConnectionTrait>(conn: &C, ids: &[Uuid]) -> Result<u64, DbErr> {
    use notification::Column as C;
    let at = now();
    let mut cancelled = 0;
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        cancelled += notification::Entity::update_many()
            .col_expr(C::Status, Expr::value(NotificationStatus::Cancelled))
            .col_expr(C::UpdatedAt, Expr::value(at))
            .filter(C::Id.is_in(chunk.iter().copied()))
            .filter(C::Status.eq(NotificationStatus::Pending))
            .exec(conn)
            .await?
            .rows_affected;
    }
    Ok(cancelled)
}

/// CANCELLED for the PENDING reminders of one obligation (its report was just submitted),
/// in `conn`, the transaction that fulfils it.
pub(super) async fn cancel_for_obligation<C: ConnectionTrait>(
    conn: &C,
    state_code: &str,
    kind: ObligationKind,
    reporting_year: Option<i32>,
) -> Result<u64, DbErr> {
    use notification::Column as C;
    let year = match reporting_year {
        Some(y) => C::ReportingYear.eq(y),
        None => C::ReportingYear.is_null(),
    };
    Ok(notification::Entity::update_many()
        .col_expr(C::Status, Expr::value(NotificationStatus::Cancelled))
        .col_expr(C::UpdatedAt, Expr::value(now()))
        .filter(C::StateCode.eq(state_code))
        .filter(C::ObligationKind.eq(StoredKind::from(kind)))
        .filter(year)
        .filter(C::Status.eq(NotificationStatus::Pending))
        .filter(C::Reason.is_in(REMINDER_REASONS))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Plans today's reminders and decision notices and, unless `dry_run`, writes the new ones
/// to the outbox and cancels the PENDING reminders no longer needed, in one transaction.
/// Dry, it writes nothing and says what a run would do. Messages are rendered for the new
/// rows only: a run that finds everything written renders nothing.
pub async fn run(
    db: &DatabaseConnection,
    today: NaiveDate,
    config: &NotificationsConfig,
    dry_run: bool,
) -> Result<PlanReport, DbErr> {
    let policy = super::policy::current(db).await?;
    let all = obligations::for_all(db, today).await?;
    let contacts = super::contacts::active(db, None).await?;
    let facts = submissions::Facts::load(db, None).await?;
    let mut planned = plan_reminders(&policy, &all, &contacts, config);
    let mut submitting = submissions::plan(&facts, &policy, today, &all, &contacts);
    let mut decisions = plan_decisions(db, &policy, today).await?;

    let existing = existing_keys(
        db,
        planned
            .iter()
            .map(|p| p.dedupe_key.clone())
            .chain(submitting.iter().map(|p| p.dedupe_key.clone()))
            .chain(decisions.iter().map(|d| d.dedupe_key.clone())),
    )
    .await?;
    for p in &mut planned {
        p.in_outbox = existing.contains(&p.dedupe_key);
    }
    for p in &mut submitting {
        p.in_outbox = existing.contains(&p.dedupe_key);
    }
    for d in &mut decisions {
        d.in_outbox = existing.contains(&d.dedupe_key);
    }

    let pairs = || all.iter().map(|(s, o)| (s.as_ref(), o));
    let open = open_obligations(&policy, today, pairs());
    let open_submissions = facts.open(&policy, today, pairs());
    let stale: Vec<Uuid> = pending_reminders(db)
        .await?
        .into_iter()
        .filter(|r| r.stale(&open, &open_submissions))
        .map(|r| r.id)
        .collect();

    let new = planned.iter().filter(|p| !p.in_outbox).count()
        + submitting.iter().filter(|p| !p.in_outbox).count()
        + decisions.iter().filter(|d| !d.in_outbox).count();
    let (written, cancelled) = if dry_run {
        (new as u64, stale.len() as u64)
    } else if new == 0 && stale.is_empty() {
        (0, 0)
    } else {
        let mut rows = reminder_rows(&planned, config);
        rows.extend(submissions::rows(&submitting, config));
        rows.extend(decision_rows(&decisions, today, config));
        let txn = crate::kernel::db::begin_write(db).await?;
        let written = outbox::enqueue(&txn, rows).await?;
        let cancelled = cancel(&txn, &stale).await?;
        txn.commit().await?;
        (written, cancelled)
    };
    Ok(PlanReport {
        written,
        cancelled,
        planned,
        decisions,
        submissions: submitting,
    })
}

/// The deadline reminders due today: for each open obligation of a kind the policy covers
/// whose round is due, one per active contact point of its State, and for an overdue round
/// one to the ISU's address when the policy escalates and the address is set. Ordered by
/// due date, State, kind, reporting year and key.
fn plan_reminders(
    policy: &Policy,
    all: &[(
        std::sync::Arc<state::Model>,
        crate::rules::obligations::Obligation,
    )],
    contacts: &HashMap<String, Vec<super::contacts::Recipient>>,
    config: &NotificationsConfig,
) -> Vec<Planned> {
    let mut planned = Vec::new();
    for (s, o) in all {
        if !o.status.is_open() || !policy.covers(o.kind) {
            continue;
        }
        let Some(round) = reminders::round(policy, o.days_remaining) else {
            continue;
        };
        let reason = if round.is_overdue() {
            NotificationReason::DeadlineMissed
        } else {
            NotificationReason::DeadlineApproaching
        };
        let mut to: Vec<(Option<Uuid>, &str, Language)> = contacts
            .get(&s.code)
            .into_iter()
            .flatten()
            .map(|c| (Some(c.id), c.email.as_str(), c.language))
            .collect();
        if round.is_overdue()
            && policy.escalate_to_isu
            && let Some(isu) = &config.isu_address
        {
            to.push((None, isu.as_str(), Language::En));
        }
        for (contact, address, language) in to {
            planned.push(Planned {
                state_code: s.code.clone(),
                state_name: s.name.clone(),
                kind: o.kind,
                reporting_year: o.reporting_year,
                due_date: o.due_date,
                days_remaining: o.days_remaining,
                round,
                reason,
                contact_point_id: contact,
                recipient: address.to_owned(),
                language,
                dedupe_key: reminder_key(
                    &s.code,
                    o.kind,
                    o.reporting_year,
                    o.due_date,
                    round,
                    contact,
                ),
                in_outbox: false,
            });
        }
    }
    planned.sort_by(|a, b| {
        (
            a.due_date,
            &a.state_code,
            a.kind,
            a.reporting_year,
            &a.dedupe_key,
        )
            .cmp(&(
                b.due_date,
                &b.state_code,
                b.kind,
                b.reporting_year,
                &b.dedupe_key,
            ))
    });
    planned
}

/// The outbox rows of the reminders not in the outbox yet, each message rendered once per
/// obligation and language.
fn reminder_rows(planned: &[Planned], config: &NotificationsConfig) -> Vec<NewNotification> {
    type Of = (String, ObligationKind, Option<i32>, NaiveDate, Language);
    let mut renders: HashMap<Of, Rendered> = HashMap::new();
    planned
        .iter()
        .filter(|p| !p.in_outbox)
        .map(|p| {
            let text = renders
                .entry((
                    p.state_code.clone(),
                    p.kind,
                    p.reporting_year,
                    p.due_date,
                    p.language,
                ))
                .or_insert_with(|| {
                    messages::render(&Message {
                        topic: Topic::Deadline {
                            kind: p.kind,
                            reporting_year: p.reporting_year,
                            due_date: p.due_date,
                            days_remaining: p.days_remaining,
                        },
                        state_name: p.state_name.clone(),
                        language: p.language,
                        portal_url: config.public_url.clone(),
                    })
                })
                .clone();
            NewNotification {
                dedupe_key: p.dedupe_key.clone(),
                reason: p.reason,
                channel: NotificationChannel::Email,
                state_code: Some(p.state_code.clone()),
                contact_point_id: p.contact_point_id,
                recipient_user_id: None,
                recipient: p.recipient.clone(),
                subject: text.subject,
                body: text.text,
                body_html: Some(text.html),
                language: p.language,
                obligation_kind: Some(p.kind.into()),
                reporting_year: p.reporting_year,
                due_date: Some(p.due_date),
                round: Some(p.round.label()),
                subject_id: None,
            }
        })
        .collect()
}

/// The follow-up notices of the decisions falling due today, to every active ISU staff
/// member and administrator. Reads the users only when a decision is due.
async fn plan_decisions(
    db: &DatabaseConnection,
    policy: &Policy,
    today: NaiveDate,
) -> Result<Vec<PlannedDecision>, DbErr> {
    let due: Vec<(DueDecision, NaiveDate, Round)> = due_decisions(db, today)
        .await?
        .into_iter()
        .filter_map(|d| {
            let on = d.due_on?;
            let round = reminders::decision_round(policy, on, today)?;
            Some((d, on, round))
        })
        .collect();
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let users = isu_users(db).await?;
    let mut planned = Vec::new();
    for (d, on, round) in due {
        for u in &users {
            planned.push(PlannedDecision {
                decision_id: d.id,
                reference: d.reference.clone(),
                responsible: d.responsible.clone(),
                due_on: on,
                round,
                user_id: u.id,
                recipient: u.email.clone(),
                dedupe_key: decision_key(d.id, on, round, u.id),
                in_outbox: false,
            });
        }
    }
    Ok(planned)
}

/// The outbox rows of the decision notices not in the outbox yet: in the app, in English
/// (users have no language of their own), SENT as soon as written.
fn decision_rows(
    planned: &[PlannedDecision],
    today: NaiveDate,
    config: &NotificationsConfig,
) -> Vec<NewNotification> {
    let mut renders: HashMap<Uuid, Rendered> = HashMap::new();
    planned
        .iter()
        .filter(|d| !d.in_outbox)
        .map(|d| {
            let text = renders
                .entry(d.decision_id)
                .or_insert_with(|| {
                    messages::render(&Message {
                        topic: Topic::DecisionDue {
                            reference: d.reference.clone(),
                            due_on: d.due_on,
                            days_remaining: (d.due_on - today).num_days(),
                        },
                        state_name: d.responsible.clone(),
                        language: Language::En,
                        portal_url: config.public_url.clone(),
                    })
                })
                .clone();
            NewNotification {
                dedupe_key: d.dedupe_key.clone(),
                reason: NotificationReason::DecisionDue,
                channel: NotificationChannel::InApp,
                state_code: None,
                contact_point_id: None,
                recipient_user_id: Some(d.user_id),
                recipient: d.recipient.clone(),
                subject: text.subject,
                body: text.text,
                body_html: None,
                language: Language::En,
                obligation_kind: None,
                reporting_year: None,
                due_date: Some(d.due_on),
                round: Some(d.round.label()),
                subject_id: Some(d.decision_id),
            }
        })
        .collect()
}

/// Of the reminder `rows` given (other rows are ignored), the IDs of those no longer
/// needed: their obligation is no longer open as of `today` (met, no longer owed), is of a
/// kind the policy no longer reminds of, or is now due on another date; for a reminder to
/// submit an extension request, also when a request was submitted or the day to submit by
/// moved or passed (`submissions::stale`). The sender asks before sending; it reads the
/// policy and the obligations of the rows' States only (and, when a reminder to submit a
/// request is among them, the meetings and those States' submitted requests).
pub async fn still_due(
    db: &DatabaseConnection,
    today: NaiveDate,
    rows: &[notification::Model],
) -> Result<Vec<Uuid>, DbErr> {
    let reminders: Vec<PendingReminder> = rows
        .iter()
        .filter(|r| REMINDER_REASONS.contains(&r.reason))
        .map(PendingReminder::of)
        .collect();
    if reminders.is_empty() {
        return Ok(Vec::new());
    }
    let codes: HashSet<&str> = reminders
        .iter()
        .filter_map(|r| r.state_code.as_deref())
        .collect();
    let policy = super::policy::current(db).await?;
    let states = state::Entity::find()
        .filter(state::Column::Code.is_in(codes.iter().copied()))
        .all(db)
        .await?;
    let refs: Vec<&state::Model> = states.iter().collect();
    let by_code = obligations::of_states(db, &refs, today).await?;
    let pairs = || {
        states.iter().flat_map(|s| {
            by_code
                .get(&s.code)
                .into_iter()
                .flatten()
                .map(move |o| (s, o))
        })
    };
    let open = open_obligations(&policy, today, pairs());
    let submitting = if reminders.iter().any(PendingReminder::is_submission) {
        let codes: Vec<&str> = codes.iter().copied().collect();
        submissions::Facts::load(db, Some(&codes))
            .await?
            .open(&policy, today, pairs())
    } else {
        OpenSubmissions::new()
    };
    Ok(reminders
        .into_iter()
        .filter(|r| r.stale(&open, &submitting))
        .map(|r| r.id)
        .collect())
}
