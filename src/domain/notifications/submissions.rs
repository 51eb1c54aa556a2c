//! The reminders of the last day to submit an extension request (docs/domain.md §3a): for
//! each open Article 3 or Article 4 obligation of a kind the policy covers, the meeting that
//! would have to extend it and its `submitBy`
//! ([`crate::rules::obligations::milestones::milestone`]), announced to the State's contact
//! points on the policy's lead days ([`crate::rules::reminders::submission_round`]: 90, 30
//! and 7 days before by default), like any deadline; never once a request for that deadline
//! has been submitted.
//!
//! Why here and from the tables: extension requests (`domain::extensions`) read meetings'
//! documents through `records`, which depends on `sponsorship`, which writes its notices
//! through this domain; were this domain to import `extensions` (or `sponsorship` for the
//! meetings), the domains would depend in a circle. So the planner reads the two facts it
//! needs as plain rows, the way it reads meetings' decisions: the meetings (their kind and
//! opening day) and the requests submitted (State, kind, the deadline they ask to extend),
//! and hands them to the same pure rule that `extensionMilestones` uses. Two statements
//! per run, whatever the number of States.
//!
//! A reminder is an outbox row like a deadline's: reason DEADLINE_APPROACHING, the
//! obligation's kind, `dueDate` the day to submit by and `round` the lead round ("L90"),
//! under the key [`key`] (`ext|…`), so it is written once and a new deadline (an extension)
//! or a new deciding meeting starts a new series. A PENDING one is CANCELLED by the next
//! run, or by the sender's check before sending, once it is no longer needed (`stale`):
//! the obligation is met or no longer covered, the deadline or the day to submit by moved,
//! a later round is due or the day has passed, or a request has been submitted.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{
    ExtensionRequestStatus, Language, MeetingKind, NotificationChannel, NotificationReason,
    ObligationKind as StoredKind,
};
use entity::{extension_request, meeting, state};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use super::NotificationsConfig;
use super::messages::{self, Message, Rendered, Topic};
use super::outbox::NewNotification;
use crate::rules::obligations::milestones::{self, MeetingFacts};
use crate::rules::obligations::{Obligation, ObligationKind};
use crate::rules::reminders::{self, Policy, Round};

/// The first part of every key of these reminders: what tells them from a deadline's own.
pub const KEY_PREFIX: &str = "ext|";

/// The outbox key of a reminder to submit an extension request:
/// `ext|{STATE}|{KIND}|{deadline}|{submit by}|{round}|{contact point ID}`.
pub fn key(
    state_code: &str,
    kind: ObligationKind,
    deadline: NaiveDate,
    submit_by: NaiveDate,
    round: Round,
    contact_point: Uuid,
) -> String {
    format!(
        "{KEY_PREFIX}{state_code}|{}|{}|{}|{round}|{contact_point}",
        StoredKind::from(kind).to_value(),
        deadline.format("%Y-%m-%d"),
        submit_by.format("%Y-%m-%d"),
    )
}

/// One reminder to submit an extension request, due today, to one contact point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedSubmission {
    /// The State that would ask, and its name as the registry has it.
    pub state_code: String,
    pub state_name: String,
    /// STOCKPILE_DESTRUCTION or CLEARANCE.
    pub kind: ObligationKind,
    /// The deadline in force.
    pub due_date: NaiveDate,
    /// The last day to submit a request.
    pub submit_by: NaiveDate,
    /// submit_by − today.
    pub days_to_submit: i64,
    /// The meeting that would decide it, and the day it opens.
    pub meeting_id: Uuid,
    pub meeting_title: String,
    pub meeting_opens: NaiveDate,
    /// The lead round due today ("L90").
    pub round: Round,
    /// The contact point, its email address and the language it reads.
    pub contact_point_id: Uuid,
    pub recipient: String,
    pub language: Language,
    /// Its outbox key ([`key`]).
    pub dedupe_key: String,
    /// Already in the outbox before this run.
    pub in_outbox: bool,
}

/// A recorded meeting as these reminders need it.
#[derive(Debug, FromQueryResult)]
struct MeetingRow {
    id: Uuid,
    kind: MeetingKind,
    title: String,
    starts_on: NaiveDate,
}

/// A submitted request as these reminders need it.
#[derive(Debug, FromQueryResult)]
struct SubmittedRow {
    state_code: String,
    kind: StoredKind,
    current_deadline: NaiveDate,
}

/// What the rule needs besides the obligations: the meetings and the requests submitted.
pub(super) struct Facts {
    meetings: Vec<MeetingFacts<Uuid>>,
    titles: HashMap<Uuid, (String, NaiveDate)>,
    /// (State, kind, deadline) of every request submitted and not withdrawn.
    submitted: HashSet<(String, StoredKind, NaiveDate)>,
}

impl Facts {
    /// The meetings that decide extensions, and the requests submitted (and not withdrawn)
    /// of the States of `codes` (of every State when None): two statements.
    pub(super) async fn load<C: ConnectionTrait>(
        conn: &C,
        codes: Option<&[&str]>,
    ) -> Result<Self, DbErr> {
        use extension_request::Column as R;
        use meeting::Column as M;
        let mut rows: Vec<MeetingRow> = meeting::Entity::find()
            .select_only()
            .columns([M::Id, M::Kind, M::Title, M::StartsOn])
            .filter(M::Kind.is_in(MeetingKind::DECIDING_EXTENSIONS))
            .into_model::<MeetingRow>()
            .all(conn)
            .await?;
        // The rule keeps the later of two meetings opening the same day: order them so that
        // it is always the same one.
        rows.sort_by_key(|m| (m.starts_on, m.id));
        let mut select = extension_request::Entity::find()
            .select_only()
            .columns([R::StateCode, R::Kind, R::CurrentDeadline])
            .filter(R::SubmittedOn.is_not_null())
            .filter(R::Status.ne(ExtensionRequestStatus::Withdrawn));
        if let Some(codes) = codes {
            select = select.filter(R::StateCode.is_in(codes.iter().copied()));
        }
        let submitted = select
            .into_model::<SubmittedRow>()
            .all(conn)
            .await?
            .into_iter()
            .map(|r| (r.state_code, r.kind, r.current_deadline))
            .collect();
        Ok(Self {
            meetings: rows
                .iter()
                .map(|m| MeetingFacts {
                    key: m.id,
                    decides_extensions: m.kind.decides_extensions(),
                    opens_on: m.starts_on,
                })
                .collect(),
            titles: rows
                .into_iter()
                .map(|m| (m.id, (m.title, m.starts_on)))
                .collect(),
            submitted,
        })
    }

    /// The milestone of `o` of the State `code` when a reminder of it may be due: an open
    /// Article 3 or 4 obligation of a kind `policy` covers, with a deciding meeting, and no
    /// request submitted for its deadline. (meeting, submit by, days to submit.)
    fn milestone(
        &self,
        policy: &Policy,
        code: &str,
        o: &Obligation,
        today: NaiveDate,
    ) -> Option<(Uuid, NaiveDate, i64)> {
        if !matches!(
            o.kind,
            ObligationKind::StockpileDestruction | ObligationKind::Clearance
        ) || !o.status.is_open()
            || !policy.covers(o.kind)
            || self
                .submitted
                .contains(&(code.to_owned(), o.kind.into(), o.due_date))
        {
            return None;
        }
        let m = milestones::milestone(o.due_date, &self.meetings, today);
        Some((m.deciding_meeting?, m.submit_by?, m.days_to_submit?))
    }

    /// Today's round of each reminder that may be due, by (State, kind): the day to submit
    /// by and the round's label (None: none due today). What [`stale`] compares with.
    pub(super) fn open<'a>(
        &self,
        policy: &Policy,
        today: NaiveDate,
        list: impl IntoIterator<Item = (&'a state::Model, &'a Obligation)>,
    ) -> HashMap<(String, StoredKind), (NaiveDate, Option<String>)> {
        list.into_iter()
            .filter_map(|(s, o)| {
                let (_, submit_by, _) = self.milestone(policy, &s.code, o, today)?;
                let round = reminders::submission_round(policy, submit_by, today).map(Round::label);
                Some(((s.code.clone(), o.kind.into()), (submit_by, round)))
            })
            .collect()
    }
}

/// The reminders to submit an extension request due today: for each obligation with a
/// milestone whose lead round is due, one per active contact point of its State. Ordered by
/// day to submit by, State, kind and key.
pub(super) fn plan(
    facts: &Facts,
    policy: &Policy,
    today: NaiveDate,
    all: &[(std::sync::Arc<state::Model>, Obligation)],
    contacts: &HashMap<String, Vec<super::contacts::Recipient>>,
) -> Vec<PlannedSubmission> {
    let mut planned = Vec::new();
    for (s, o) in all {
        let Some((meeting_id, submit_by, days)) = facts.milestone(policy, &s.code, o, today) else {
            continue;
        };
        let Some(round) = reminders::submission_round(policy, submit_by, today) else {
            continue;
        };
        let (title, opens) = facts
            .titles
            .get(&meeting_id)
            .cloned()
            .unwrap_or_else(|| (String::new(), submit_by));
        for c in contacts.get(&s.code).into_iter().flatten() {
            planned.push(PlannedSubmission {
                state_code: s.code.clone(),
                state_name: s.name.clone(),
                kind: o.kind,
                due_date: o.due_date,
                submit_by,
                days_to_submit: days,
                meeting_id,
                meeting_title: title.clone(),
                meeting_opens: opens,
                round,
                contact_point_id: c.id,
                recipient: c.email.clone(),
                language: c.language,
                dedupe_key: key(&s.code, o.kind, o.due_date, submit_by, round, c.id),
                in_outbox: false,
            });
        }
    }
    planned.sort_by(|a, b| {
        (a.submit_by, &a.state_code, a.kind, &a.dedupe_key).cmp(&(
            b.submit_by,
            &b.state_code,
            b.kind,
            &b.dedupe_key,
        ))
    });
    planned
}

/// The outbox rows of the reminders not in the outbox yet, each message rendered once per
/// obligation and language.
pub(super) fn rows(
    planned: &[PlannedSubmission],
    config: &NotificationsConfig,
) -> Vec<NewNotification> {
    let mut renders: HashMap<(String, ObligationKind, Language), Rendered> = HashMap::new();
    planned
        .iter()
        .filter(|p| !p.in_outbox)
        .map(|p| {
            let text = renders
                .entry((p.state_code.clone(), p.kind, p.language))
                .or_insert_with(|| {
                    messages::render(&Message {
                        topic: Topic::ExtensionRequestDue {
                            kind: p.kind,
                            due_date: p.due_date,
                            submit_by: p.submit_by,
                            days_remaining: p.days_to_submit,
                            meeting: p.meeting_title.clone(),
                            meeting_opens: p.meeting_opens,
                        },
                        state_name: p.state_name.clone(),
                        language: p.language,
                        portal_url: config.public_url.clone(),
                    })
                })
                .clone();
            NewNotification {
                dedupe_key: p.dedupe_key.clone(),
                reason: NotificationReason::DeadlineApproaching,
                channel: NotificationChannel::Email,
                state_code: Some(p.state_code.clone()),
                contact_point_id: Some(p.contact_point_id),
                recipient_user_id: None,
                recipient: p.recipient.clone(),
                subject: text.subject,
                body: text.text,
                body_html: Some(text.html),
                language: p.language,
                obligation_kind: Some(p.kind.into()),
                reporting_year: None,
                due_date: Some(p.submit_by),
                round: Some(p.round.label()),
                subject_id: Some(p.meeting_id),
            }
        })
        .collect()
}

/// Whether a PENDING reminder to submit a request (State, kind, day to submit by, round) is
/// no longer needed, given `open` ([`Facts::open`]): its obligation is not open or covered
/// any more or a request was submitted (not in `open`), the day to submit by moved (a new
/// deadline, another deciding meeting), or today's round is another (a later one, or none
/// once the day has passed).
pub(super) fn stale(
    open: &HashMap<(String, StoredKind), (NaiveDate, Option<String>)>,
    state_code: Option<&str>,
    kind: Option<StoredKind>,
    submit_by: Option<NaiveDate>,
    round: Option<&str>,
) -> bool {
    let (Some(code), Some(kind)) = (state_code, kind) else {
        return true;
    };
    open.get(&(code.to_owned(), kind))
        .is_none_or(|(day, today)| Some(*day) != submit_by || today.as_deref() != round)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_state_the_deadline_the_day_the_round_and_the_contact() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let id = Uuid::nil();
        assert_eq!(
            key(
                "LAO",
                ObligationKind::Clearance,
                d("2030-08-01"),
                d("2028-12-11"),
                Round::Lead(90),
                id
            ),
            format!("ext|LAO|CLEARANCE|2030-08-01|2028-12-11|L90|{id}")
        );
    }

    #[test]
    fn a_pending_reminder_is_stale_once_its_day_or_round_moves_or_its_line_is_gone() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut open = HashMap::new();
        open.insert(
            ("LAO".to_owned(), StoredKind::Clearance),
            (d("2028-12-11").unwrap_or_default(), Some("L30".to_owned())),
        );
        let k = Some(StoredKind::Clearance);
        assert!(!stale(&open, Some("LAO"), k, d("2028-12-11"), Some("L30")));
        assert!(stale(&open, Some("LAO"), k, d("2028-12-11"), Some("L90")));
        assert!(stale(&open, Some("LAO"), k, d("2028-12-10"), Some("L30")));
        assert!(stale(
            &open,
            Some("LAO"),
            Some(StoredKind::StockpileDestruction),
            d("2028-12-11"),
            Some("L30")
        ));
        assert!(stale(&open, Some("KHM"), k, d("2028-12-11"), Some("L30")));
        assert!(stale(&open, None, k, d("2028-12-11"), Some("L30")));
    }
}
