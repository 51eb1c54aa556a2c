//! The extension requests part of the demo: the pattern of recent years, on the demo's
//! States and meetings, every text labelled DEMO (samples, not any State's request).
//!
//! - Germany asked the Twelfth Meeting of States Parties to extend its clearance deadline
//!   (1 August 2025), on time, and withdrew the request before the meeting.
//! - Chile asked the Thirteenth (16 September 2025) to extend its clearance deadline of
//!   1 June 2026 by 36 months, on time, in a meeting document; the analysis group asked a
//!   question, Chile answered, and the meeting granted it by a decision in its records:
//!   Chile's deadline is 1 June 2029.
//! - Somalia asked the same meeting for 60 months from 1 March 2026, late (after its
//!   `submitBy`), in a meeting document; the meeting granted a shorter extension, to
//!   1 March 2028.
//! - Somalia is back before the Fourteenth Meeting (14 September 2027) for the rest of the
//!   time: submitted on time, under analysis, one question answered, one open.
//! - Lao PDR has a draft for its deadline of 1 August 2030, which the Sixteenth Meeting would
//!   decide: read by its delegation and the ISU only.
//!
//! The next three Meetings of States Parties are recorded (DEMO titles), so that every
//! deadline ahead has the meeting that would have to extend it. Written by the demo ISU
//! staff account through the services the mutations use, each act on its day (the services'
//! `today`). A request already there for its State, kind and meeting is skipped whole, so
//! a second run changes nothing.

use chrono::NaiveDate;
use entity::enums::{
    Access, DecisionKind, DocumentKind, ExtensionOutcome, ImplementationStatus, Language,
    ObligationKind as StoredKind,
};
use entity::{extension_request, meeting, meeting_document};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::demo_records::d;
use super::{Demo, DemoReport};
use crate::domain::extensions::analysis::{self, Decision};
use crate::domain::extensions::lifecycle::{self, ElementText, OpenRequest, RequestUpdate};
use crate::domain::extensions::service;
use crate::domain::records::decisions::{self, NewDecision, StatusChange};
use crate::domain::records::documents::{self, NewDocument};
use crate::kernel::error::ServiceError;

/// The meetings ahead that would decide the demo's requests: (title, opening day).
const AHEAD: [(&str, (i32, u32, u32)); 3] = [
    (
        "DEMO Fourteenth Meeting of States Parties (14MSP)",
        (2027, 9, 14),
    ),
    (
        "DEMO Fifteenth Meeting of States Parties (15MSP)",
        (2028, 9, 12),
    ),
    (
        "DEMO Sixteenth Meeting of States Parties (16MSP)",
        (2029, 9, 11),
    ),
];

/// What happens to a demo request after it is opened, each on its day.
enum Step {
    /// Every element gets its sample text.
    Complete(NaiveDate),
    /// Only the first `n` elements get their text (a draft in progress).
    Partly(NaiveDate, usize),
    Submit(NaiveDate),
    Ask(NaiveDate, &'static str),
    Answer(NaiveDate, i32, &'static str),
    /// The meeting's decision: the outcome, the granted deadline of a shorter grant, and
    /// the reference of the decision recorded in the meeting's records, if any.
    Decide(
        NaiveDate,
        ExtensionOutcome,
        Option<NaiveDate>,
        Option<&'static str>,
    ),
    Withdraw(NaiveDate, &'static str),
}

/// One demo request: State, kind, the meeting's title, the requested deadline, the day it
/// is opened, the meeting document that sets it out (symbol, title; attached when it is
/// completed), and its steps.
struct DemoRequest {
    state: &'static str,
    kind: StoredKind,
    meeting: &'static str,
    requested: NaiveDate,
    opened: NaiveDate,
    document: Option<(&'static str, &'static str)>,
    steps: Vec<Step>,
}

fn requests() -> Vec<DemoRequest> {
    use ExtensionOutcome as O;
    use Step::*;
    const MSP12: &str = "DEMO Twelfth Meeting of States Parties (12MSP)";
    const MSP13: &str = "DEMO Thirteenth Meeting of States Parties (13MSP)";
    vec![
        DemoRequest {
            state: "DEU",
            kind: StoredKind::Clearance,
            meeting: MSP12,
            requested: d(2027, 8, 1),
            opened: d(2023, 10, 2),
            document: None,
            steps: vec![
                Complete(d(2023, 11, 20)),
                Submit(d(2023, 12, 1)),
                Withdraw(
                    d(2024, 2, 15),
                    "DEMO: the remaining area is to be cleared within the deadline in force.",
                ),
            ],
        },
        DemoRequest {
            state: "CHL",
            kind: StoredKind::Clearance,
            meeting: MSP13,
            requested: d(2029, 6, 1),
            opened: d(2024, 9, 20),
            document: Some((
                "CCM/MSP/2025/5",
                "Request for an extension of the deadline for completing the clearance and \
                 destruction of cluster munition remnants in accordance with Article 4: Chile",
            )),
            steps: vec![
                Complete(d(2024, 12, 2)),
                Submit(d(2024, 12, 10)),
                Ask(
                    d(2025, 3, 20),
                    "DEMO: Please give the area cleared each year since 2021 and the annual \
                     rate of clearance the work plan assumes.",
                ),
                Answer(
                    d(2025, 4, 25),
                    1,
                    "DEMO: A table of the area cleared each year is annexed; the plan assumes \
                     the rate of the last two years, with a second team from 2026.",
                ),
                Decide(d(2025, 9, 18), O::Granted, None, Some("para. 26")),
            ],
        },
        DemoRequest {
            state: "SOM",
            kind: StoredKind::Clearance,
            meeting: MSP13,
            requested: d(2031, 3, 1),
            opened: d(2024, 11, 4),
            document: Some((
                "CCM/MSP/2025/6",
                "Request for an extension of the deadline for completing the clearance and \
                 destruction of cluster munition remnants in accordance with Article 4: Somalia",
            )),
            steps: vec![
                Complete(d(2025, 2, 14)),
                Submit(d(2025, 2, 20)),
                Ask(
                    d(2025, 4, 10),
                    "DEMO: Which areas remain to be surveyed, and when will their survey be \
                     complete?",
                ),
                Answer(
                    d(2025, 5, 15),
                    1,
                    "DEMO: Two districts remain to be surveyed; access permitting, by the end \
                     of 2027.",
                ),
                Decide(d(2025, 9, 18), O::GrantedShorter, Some(d(2028, 3, 1)), None),
            ],
        },
        DemoRequest {
            state: "SOM",
            kind: StoredKind::Clearance,
            meeting: "DEMO Fourteenth Meeting of States Parties (14MSP)",
            requested: d(2031, 3, 1),
            opened: d(2026, 9, 21),
            document: None,
            steps: vec![
                Complete(d(2026, 11, 9)),
                Submit(d(2026, 11, 16)),
                Ask(
                    d(2026, 11, 23),
                    "DEMO: What was surveyed and cleared during the extension granted by the \
                     Thirteenth Meeting (Article 4(8))?",
                ),
                Answer(
                    d(2026, 11, 30),
                    1,
                    "DEMO: The survey of one of the two districts is complete; its results are \
                     annexed.",
                ),
                Ask(
                    d(2026, 12, 1),
                    "DEMO: How is the clearance of the second district to be funded?",
                ),
            ],
        },
        DemoRequest {
            state: "LAO",
            kind: StoredKind::Clearance,
            meeting: "DEMO Sixteenth Meeting of States Parties (16MSP)",
            requested: d(2035, 8, 1),
            opened: d(2026, 11, 20),
            document: None,
            steps: vec![Partly(d(2026, 11, 27), 2)],
        },
    ]
}

/// The demo's extension requests (see the module). Runs after the meetings' records, whose
/// meetings the first requests name.
pub(super) async fn demo_extensions(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    let (db, staff) = (demo.db, &demo.staff);
    for (title, (y, m, day)) in AHEAD {
        super::demo_records::meeting(demo, report, title, d(y, m, day)).await?;
    }
    for r in requests() {
        let Some(m) = meeting::Entity::find()
            .filter(meeting::Column::Title.eq(r.meeting))
            .one(db)
            .await?
        else {
            return Err(ServiceError::Internal(format!(
                "the demo meeting {} is missing",
                r.meeting
            )));
        };
        let exists = extension_request::Entity::find()
            .filter(extension_request::Column::StateCode.eq(r.state))
            .filter(extension_request::Column::Kind.eq(r.kind))
            .filter(extension_request::Column::MeetingId.eq(m.id))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let mut row = lifecycle::open(
            db,
            staff,
            r.opened,
            OpenRequest {
                state_code: r.state.to_owned(),
                kind: r.kind,
                requested_deadline: r.requested,
                meeting_id: m.id,
            },
        )
        .await?;
        report.extension_requests_created += 1;
        let document = match r.document {
            Some((symbol, title)) => {
                Some(document(demo, report, &m, symbol, title, r.state).await?)
            }
            None => None,
        };
        for step in r.steps {
            row = match step {
                Step::Complete(on) => fill(demo, &row, on, usize::MAX, document).await?,
                Step::Partly(on, n) => fill(demo, &row, on, n, None).await?,
                Step::Submit(on) => lifecycle::submit(db, staff, on, row.id, row.version).await?,
                Step::Ask(on, question) => {
                    analysis::ask(db, staff, on, row.id, question.to_owned(), on).await?
                }
                Step::Answer(on, number, answer) => {
                    analysis::answer(db, staff, on, row.id, number, answer.to_owned()).await?
                }
                Step::Decide(on, outcome, granted, reference) => {
                    let granted_deadline = match outcome {
                        ExtensionOutcome::Granted => Some(row.requested_deadline),
                        _ => granted,
                    };
                    let decision_id = match reference {
                        Some(reference) => {
                            Some(decision(demo, report, &m, reference, r.state).await?)
                        }
                        None => None,
                    };
                    analysis::decide(
                        db,
                        staff,
                        on,
                        Decision {
                            id: row.id,
                            expected_version: row.version,
                            outcome,
                            granted_deadline,
                            decided_on: on,
                            decision_id,
                        },
                    )
                    .await?
                }
                Step::Withdraw(on, reason) => {
                    lifecycle::withdraw(db, staff, on, row.id, row.version, reason.to_owned())
                        .await?
                }
            };
        }
    }
    Ok(())
}

/// The meeting document `symbol` of `m` that sets out a request of `state` (found, or added
/// as a public working paper published on the meeting's day less 30 days): its ID.
async fn document(
    demo: &Demo<'_>,
    report: &mut DemoReport,
    m: &meeting::Model,
    symbol: &str,
    title: &str,
    state: &str,
) -> Result<uuid::Uuid, ServiceError> {
    if let Some(found) = meeting_document::Entity::find()
        .filter(meeting_document::Column::Symbol.eq(symbol))
        .one(demo.db)
        .await?
    {
        return Ok(found.id);
    }
    let created = documents::add(
        demo.db,
        &demo.staff,
        NewDocument {
            meeting_id: m.id,
            kind: DocumentKind::WorkingPaper,
            symbol: Some(symbol.to_owned()),
            title: format!("DEMO {title}"),
            language: Language::En,
            published_on: Some(m.starts_on - chrono::Duration::days(30)),
            access: Access::Public,
            submitted_by: Some(state.to_owned()),
            text: Some(format!(
                "DEMO sample text, not the document itself: {title}, submitted to the {}.",
                m.title.trim_start_matches("DEMO ")
            )),
        },
    )
    .await?;
    report.documents_created += 1;
    Ok(created.id)
}

/// The decision `reference` of `m` that grants the request of `state`, recorded in the
/// meeting's records with its follow-up in progress (the State reports at each meeting):
/// its ID.
async fn decision(
    demo: &Demo<'_>,
    report: &mut DemoReport,
    m: &meeting::Model,
    reference: &str,
    state: &str,
) -> Result<uuid::Uuid, ServiceError> {
    let name = crate::domain::states::service::by_code(demo.db, state)
        .await?
        .map_or_else(|| state.to_owned(), |s| s.name);
    let created = decisions::record(
        demo.db,
        &demo.staff,
        NewDecision {
            meeting_id: m.id,
            kind: DecisionKind::Decision,
            reference: reference.to_owned(),
            text: format!(
                "DEMO sample text, not the meeting's words: the {} granted the request of \
                 {name} to extend its Article 4 deadline, and asked it to report on progress \
                 at each Meeting of States Parties.",
                m.title.trim_start_matches("DEMO ")
            ),
            access: Access::Public,
            responsible: name.clone(),
            responsible_state: Some(state.to_owned()),
            due_on: None,
            management_response: None,
            action_plan_actions: vec![],
            supersedes: None,
        },
    )
    .await?;
    report.decisions_created += 1;
    decisions::update_status(
        demo.db,
        &demo.staff,
        StatusChange {
            id: created.id,
            status: ImplementationStatus::InProgress,
            expected_version: created.version,
            comment: Some(format!("DEMO: {name} reports on progress at each meeting.")),
            evidence: None,
            management_response: None,
            due_on: None,
        },
    )
    .await?;
    Ok(created.id)
}

/// The first `n` elements of `row` (all of them for `usize::MAX`) with their sample text,
/// and the `document` that sets the request out, in one update on `on`.
async fn fill(
    demo: &Demo<'_>,
    row: &extension_request::Model,
    on: NaiveDate,
    n: usize,
    document: Option<uuid::Uuid>,
) -> Result<extension_request::Model, ServiceError> {
    let elements = service::elements(row, &[])
        .into_iter()
        .take(n)
        .map(|e| ElementText {
            provision: e.provision.to_owned(),
            text: Some(format!(
                "DEMO sample text, not a State's request: {} ({}).",
                e.requirement, e.provision
            )),
        })
        .collect();
    lifecycle::update(
        demo.db,
        &demo.staff,
        on,
        RequestUpdate {
            id: row.id,
            expected_version: row.version,
            requested_deadline: None,
            meeting_id: None,
            elements: Some(elements),
            document_ids: document.map(|id| vec![id]),
        },
    )
    .await
}
