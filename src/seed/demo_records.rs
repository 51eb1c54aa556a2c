//! The meetings' records part of the demo: the last three Meetings of States Parties with
//! their agenda and programme of work (real symbols, sample texts labelled DEMO), a
//! statement, a restricted Coordination Committee note, and a dozen decisions in every
//! state of their follow-up. Written by the demo ISU staff account through the services
//! the mutations use.

use chrono::NaiveDate;
use entity::enums::{
    Access, DecisionKind as K, DocumentKind as D, ImplementationStatus as S, Language, MeetingKind,
};
use entity::{decision, meeting};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{Demo, DemoReport};
use crate::domain::records::decisions::{self, NewDecision, StatusChange};
use crate::domain::records::documents::{self, NewDocument};
use crate::domain::sponsorship::service::{NewMeeting, create_meeting};
use crate::kernel::error::ServiceError;

/// The day `y`-`m`-`day` of the demo's calendar.
pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// The meeting titled `title`, created (without a sponsorship budget) when absent.
pub(super) async fn meeting(
    demo: &Demo<'_>,
    report: &mut DemoReport,
    title: &str,
    starts: NaiveDate,
) -> Result<meeting::Model, ServiceError> {
    if let Some(m) = meeting::Entity::find()
        .filter(meeting::Column::Title.eq(title))
        .one(demo.db)
        .await?
    {
        return Ok(m);
    }
    let m = create_meeting(
        demo.db,
        &demo.staff,
        NewMeeting {
            kind: MeetingKind::MeetingOfStatesParties,
            title: title.to_owned(),
            starts_on: starts,
            ends_on: starts + chrono::Duration::days(3),
            venue: Some("Palais des Nations, Geneva".into()),
            application_deadline: None,
            budget: None,
            dsa: None,
        },
    )
    .await?;
    report.meetings_created += 1;
    Ok(m)
}

pub(super) async fn demo_records(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    let db = demo.db;
    // A second run changes nothing.
    if decision::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let m11 = meeting(
        demo,
        report,
        "DEMO Eleventh Meeting of States Parties (11MSP)",
        d(2023, 9, 11),
    )
    .await?;
    let m12 = meeting(
        demo,
        report,
        "DEMO Twelfth Meeting of States Parties (12MSP)",
        d(2024, 9, 10),
    )
    .await?;
    let m13 = meeting(
        demo,
        report,
        "DEMO Thirteenth Meeting of States Parties (13MSP)",
        d(2025, 9, 16),
    )
    .await?;
    let doc = |m: &meeting::Model,
               kind,
               symbol: Option<String>,
               title: &str,
               access,
               by: Option<&str>| NewDocument {
        meeting_id: m.id,
        kind,
        symbol,
        title: title.to_owned(),
        language: Language::En,
        published_on: Some(m.starts_on - chrono::Duration::days(30)),
        access,
        submitted_by: by.map(str::to_owned),
        text: Some(format!(
            "DEMO sample text, not the document itself: {title} of the {}.",
            m.title.trim_start_matches("DEMO ")
        )),
    };
    let mut evidence = None;
    for (m, year) in [(&m11, 2023), (&m12, 2024), (&m13, 2025)] {
        for (kind, n, title) in [
            (D::Agenda, 1, "Provisional agenda"),
            (D::ProgrammeOfWork, 2, "Provisional programme of work"),
        ] {
            let new = doc(
                m,
                kind,
                Some(format!("CCM/MSP/{year}/{n}")),
                title,
                Access::Public,
                None,
            );
            let created = documents::add(db, &demo.staff, new).await?;
            report.documents_created += 1;
            evidence.get_or_insert(created.id);
        }
    }
    let statement = doc(
        &m13,
        D::Statement,
        None,
        "Statement on clearance",
        Access::Public,
        Some("LAO"),
    );
    documents::add(db, &demo.staff, statement).await?;
    let note = doc(
        &m13,
        D::SummaryOfConclusions,
        None,
        "Coordination Committee: summary of conclusions",
        Access::Restricted,
        None,
    );
    documents::add(db, &demo.staff, note).await?;
    report.documents_created += 2;

    // (meeting, kind, reference, responsible, State, due, actions, access, status, comment)
    let decisions_ = [
        (
            &m11,
            K::Decision,
            "para. 21",
            "ISU",
            None,
            Some(d(2024, 6, 30)),
            vec![1, 2],
            Access::Public,
            S::Implemented,
            Some("Done: the guide is published."),
        ),
        (
            &m11,
            K::Recommendation,
            "para. 24(a)",
            "States parties",
            None,
            Some(d(2024, 9, 1)),
            vec![44],
            Access::Public,
            S::PartiallyImplemented,
            Some("Half of the States parties reported."),
        ),
        (
            &m11,
            K::Decision,
            "para. 27(c)",
            "Lao PDR",
            Some("LAO"),
            Some(d(2025, 8, 1)),
            vec![21, 22],
            Access::Public,
            S::InProgress,
            Some("Survey under way."),
        ),
        (
            &m12,
            K::Conclusion,
            "para. 15",
            "Coordination Committee",
            None,
            None,
            vec![],
            Access::Public,
            S::NotStarted,
            None,
        ),
        (
            &m12,
            K::Recommendation,
            "para. 18(b)",
            "President",
            None,
            Some(d(2025, 3, 31)),
            vec![48],
            Access::Public,
            S::NotStarted,
            None,
        ),
        (
            &m12,
            K::Decision,
            "para. 22",
            "ISU",
            None,
            Some(d(2025, 6, 30)),
            vec![50],
            Access::Public,
            S::NotAccepted,
            Some("Declined for lack of funds in the 2025 budget."),
        ),
        (
            &m12,
            K::Recommendation,
            "para. 30",
            "Coordination Committee",
            None,
            Some(d(2026, 12, 31)),
            vec![],
            Access::Restricted,
            S::InProgress,
            Some("Discussed at the June meeting."),
        ),
        (
            &m13,
            K::Decision,
            "para. 19",
            "ISU",
            None,
            Some(d(2026, 6, 30)),
            vec![3],
            Access::Public,
            S::InProgress,
            Some("Draft circulated."),
        ),
        (
            &m13,
            K::Decision,
            "para. 20",
            "Chad",
            Some("TCD"),
            Some(d(2026, 10, 1)),
            vec![21],
            Access::Public,
            S::NotStarted,
            None,
        ),
        (
            &m13,
            K::Recommendation,
            "para. 23(d)",
            "States parties",
            None,
            Some(d(2027, 4, 30)),
            vec![44, 45],
            Access::Public,
            S::NotStarted,
            None,
        ),
        (
            &m13,
            K::Conclusion,
            "para. 31",
            "ISU",
            None,
            Some(d(2026, 3, 31)),
            vec![],
            Access::Public,
            S::Implemented,
            Some("Reported to the 3RC."),
        ),
    ];
    let mut recorded = Vec::new();
    for (m, kind, reference, responsible, state, due, actions, access, status, comment) in
        decisions_
    {
        let created = decisions::record(
            db,
            &demo.staff,
            NewDecision {
                meeting_id: m.id,
                kind,
                reference: reference.to_owned(),
                text: format!(
                    "DEMO sample text, not the meeting's words: {responsible} to act on {reference} of the {}.",
                    m.title.trim_start_matches("DEMO ")
                ),
                access,
                responsible: responsible.to_owned(),
                responsible_state: state.map(str::to_owned),
                due_on: due,
                management_response: Some(format!("DEMO: {responsible} will report on progress.")),
                action_plan_actions: actions,
                supersedes: None,
            },
        )
        .await?;
        report.decisions_created += 1;
        if status != S::NotStarted {
            decisions::update_status(
                db,
                &demo.staff,
                StatusChange {
                    id: created.id,
                    status,
                    expected_version: created.version,
                    comment: comment.map(str::to_owned),
                    evidence: if status == S::Implemented {
                        evidence
                    } else {
                        None
                    },
                    management_response: None,
                    due_on: None,
                },
            )
            .await?;
        }
        recorded.push(created);
    }
    // The 13MSP replaces the 12MSP's para. 18(b): it becomes SUPERSEDED.
    if let Some(old) = recorded.iter().find(|r| r.reference == "para. 18(b)") {
        decisions::record(
            db,
            &demo.staff,
            NewDecision {
                meeting_id: m13.id,
                kind: K::Recommendation,
                reference: "para. 25".into(),
                text: "DEMO sample text: the President to consult on a revised timeline, replacing 12MSP para. 18(b).".into(),
                access: Access::Public,
                responsible: "President".into(),
                responsible_state: None,
                due_on: Some(d(2026, 9, 8)),
                management_response: None,
                action_plan_actions: vec![48],
                supersedes: Some(old.id),
            },
        )
        .await?;
        report.decisions_created += 1;
    }
    Ok(())
}
