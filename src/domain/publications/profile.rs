//! A State party's profile for its delegation (docs/domain.md §14): its status and dates,
//! its obligations with their extensions and its extension requests, the Article 7 reports
//! it filed, its needs and offers, and the sponsorship its delegates received. Each part is
//! read under its domain's visibility rule for the viewer (reports, extension requests,
//! needs, offers, applications), in a fixed number of statements whatever the number of
//! reports, requests, needs or meetings.

use std::collections::HashMap;

use entity::enums::{ApplicationStatus, ReportKind, ReportStatus};
use entity::{
    assistance_need, assistance_offer, extension_request, sponsorship_application,
    transparency_report,
};
use sea_orm::prelude::DateTimeUtc;
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect};

use super::Context;
use super::blocks::{
    self, count, day, document, facts, label, money, paragraph, section, table, yes_no,
};
use crate::auth::Viewer;
use crate::domain::cooperation::visibility::{self, OfferScope};
use crate::kernel::error::ServiceError;
use crate::kernel::figures;
use crate::kernel::typeset::Document;

/// Whether `code` has the shape of an ISO 3166 alpha-3 code (three letters, any case).
pub fn is_alpha3(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The columns of a report the profile shows: never the sections, most of a report's size.
#[derive(Debug, FromQueryResult)]
struct ReportRow {
    kind: ReportKind,
    reporting_year: i32,
    status: ReportStatus,
    due_date: chrono::NaiveDate,
    submitted_at: Option<DateTimeUtc>,
    on_time: Option<bool>,
}

/// The profile of the State `code` (ISO alpha-3, any case); `None` for a code of another
/// shape or one no State has. Who may read it is [`super::access::state_profile`]'s rule;
/// what it holds of reports, needs, offers and applications is what the viewer may read.
pub async fn state_profile(
    cx: Context<'_>,
    viewer: &Viewer,
    code: &str,
) -> Result<Option<Document>, ServiceError> {
    if !is_alpha3(code) {
        return Ok(None);
    }
    let code = code.to_ascii_uppercase();
    let Some(s) = crate::domain::states::service::by_code(cx.db, &code).await? else {
        return Ok(None);
    };
    let obligations = crate::domain::states::obligations::for_state(cx.db, &s, cx.today).await?;
    let extensions = crate::domain::states::obligations::extensions_of(cx.db, &code).await?;
    let reports = {
        use transparency_report::Column as C;
        transparency_report::Entity::find()
            .select_only()
            .columns([
                C::Kind,
                C::ReportingYear,
                C::Status,
                C::DueDate,
                C::SubmittedAt,
                C::OnTime,
            ])
            .filter(C::StateCode.eq(code.as_str()))
            .filter(crate::domain::reports::service::readable(viewer))
            .order_by_asc(C::ReportingYear)
            .order_by_asc(C::Kind)
            .into_model::<ReportRow>()
            .all(cx.db)
            .await?
    };
    // The profile's readers are the ISU and the State's own delegation, who read all its
    // requests; the rule applies all the same.
    let requests = extension_request::Entity::find()
        .filter(extension_request::Column::StateCode.eq(code.as_str()))
        .filter(crate::domain::extensions::visibility::readable(viewer))
        .order_by_asc(extension_request::Column::Id)
        .all(cx.db)
        .await?;
    let request_meetings: HashMap<uuid::Uuid, entity::meeting::Model> =
        crate::domain::sponsorship::service::get_meetings(
            cx.db,
            &requests.iter().map(|r| r.meeting_id).collect::<Vec<_>>(),
        )
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let needs = assistance_need::Entity::find()
        .filter(assistance_need::Column::StateCode.eq(code.as_str()))
        .filter(visibility::needs(viewer))
        .order_by_asc(assistance_need::Column::Id)
        .all(cx.db)
        .await?;
    let scope = OfferScope::load(cx.db, viewer).await?;
    let offers = assistance_offer::Entity::find()
        .filter(assistance_offer::Column::ProviderStateCode.eq(code.as_str()))
        .filter(scope.condition())
        .order_by_asc(assistance_offer::Column::Id)
        .all(cx.db)
        .await?;
    let applications = sponsorship_application::Entity::find()
        .filter(sponsorship_application::Column::StateCode.eq(code.as_str()))
        .filter(crate::domain::sponsorship::service::applications_readable(
            viewer,
        ))
        .all(cx.db)
        .await?;
    let mut meeting_ids: Vec<uuid::Uuid> = applications.iter().map(|a| a.meeting_id).collect();
    meeting_ids.sort();
    meeting_ids.dedup();
    let mut meetings =
        crate::domain::sponsorship::service::get_meetings(cx.db, &meeting_ids).await?;
    meetings.sort_by_key(|m| (m.starts_on, m.id));

    let entry_into_force = s
        .deposit_date
        .filter(|_| {
            matches!(
                s.status,
                entity::enums::StateStatus::StateParty | entity::enums::StateStatus::Withdrawn
            )
        })
        .map(crate::rules::obligations::entry_into_force);
    let deposit_label = match s.deposit_type {
        Some(t) => label(&t),
        None => "Ratification or accession".to_owned(),
    };
    let status_facts = facts([
        ("State".to_owned(), format!("{} ({})", s.name, s.code)),
        ("Status".to_owned(), label(&s.status)),
        (
            "Regional group".to_owned(),
            blocks::region(s.regional_group),
        ),
        ("Signature".to_owned(), day(s.signature_date)),
        (deposit_label, day(s.deposit_date)),
        ("Entry into force".to_owned(), day(entry_into_force)),
        (
            "Withdrawal effective".to_owned(),
            day(s.withdrawal_effective_date),
        ),
    ]);

    let obligation_rows = obligations
        .iter()
        .map(|o| {
            vec![
                blocks::obligation(o.kind).to_owned(),
                o.reporting_year
                    .map_or_else(|| "–".to_owned(), |y| y.to_string()),
                figures::long_date(o.original_due_date),
                figures::long_date(o.due_date),
                blocks::obligation_status(o),
            ]
        })
        .collect();
    let extension_rows = extensions
        .iter()
        .map(|e| {
            vec![
                blocks::obligation(e.kind.into()).to_owned(),
                figures::long_date(e.previous_deadline),
                figures::long_date(e.new_deadline),
                figures::long_date(e.granted_on),
                e.granted_at.clone().unwrap_or_else(|| "–".to_owned()),
            ]
        })
        .collect();
    let request_rows = requests
        .iter()
        .map(|r| {
            let meeting = request_meetings.get(&r.meeting_id);
            vec![
                blocks::obligation(r.kind.into()).to_owned(),
                figures::long_date(r.current_deadline),
                figures::long_date(r.requested_deadline),
                meeting.map_or_else(|| "–".to_owned(), |m| m.title.clone()),
                day(meeting.map(|m| crate::domain::extensions::service::submit_by(r, m))),
                day(r.submitted_on),
                blocks::request_status(
                    r.status,
                    meeting.is_some_and(|m| crate::domain::extensions::service::late(r, m)),
                ),
                blocks::outcome(r.outcome).to_owned(),
                day(r.granted_deadline),
            ]
        })
        .collect();
    let report_rows = reports
        .iter()
        .map(|r| {
            vec![
                r.reporting_year.to_string(),
                label(&r.kind),
                label(&r.status),
                figures::long_date(r.due_date),
                day(r.submitted_at.map(|t| t.date_naive())),
                yes_no(r.on_time),
            ]
        })
        .collect();
    let amount = |cents: Option<i64>, currency: Option<&str>| match (cents, currency) {
        (Some(c), Some(cur)) => money(c, cur),
        (Some(c), None) => money(c, &cx.cooperation.base_currency),
        _ => "–".to_owned(),
    };
    let need_rows = needs
        .iter()
        .map(|n| {
            vec![
                n.title.clone(),
                label(&n.thematic_area),
                label(&n.status),
                amount(n.amount_cents, n.currency.as_deref()),
                amount(
                    n.amount_cents.map(|_| n.covered_cents),
                    n.currency.as_deref(),
                ),
            ]
        })
        .collect();
    let offer_rows = offers
        .iter()
        .map(|o| {
            let areas: Vec<String> =
                entity::enums::split_values::<entity::enums::ThematicArea>(&o.thematic_areas)
                    .iter()
                    .map(label)
                    .collect();
            vec![
                o.title.clone(),
                areas.join(", "),
                label(&o.status),
                amount(o.amount_cents, o.currency.as_deref()),
                amount(
                    o.amount_cents.map(|_| o.committed_cents),
                    o.currency.as_deref(),
                ),
            ]
        })
        .collect();
    let mut by_meeting: HashMap<uuid::Uuid, (usize, usize, i64)> = HashMap::new();
    for a in &applications {
        let e = by_meeting.entry(a.meeting_id).or_default();
        e.0 += 1;
        if a.status == ApplicationStatus::Approved {
            e.1 += 1;
            e.2 += a.approved_cents.unwrap_or(0);
        }
    }
    let sponsorship_rows = meetings
        .iter()
        .map(|m| {
            let (applied, approved, cents) = by_meeting.get(&m.id).copied().unwrap_or_default();
            vec![
                m.title.clone(),
                figures::long_date(m.starts_on),
                count(applied),
                count(approved),
                money(
                    cents,
                    m.currency
                        .as_deref()
                        .unwrap_or(&cx.cooperation.base_currency),
                ),
            ]
        })
        .collect();
    let amount_cols = |first: &'static str| {
        [
            ("Title", false),
            (first, false),
            ("Status", false),
            ("Amount", true),
            ("Covered", true),
        ]
    };
    let mut offer_cols = amount_cols("Thematic areas");
    offer_cols[4] = ("Committed", true);

    let sections = vec![
        section("Status and dates", vec![status_facts]),
        section(
            "Obligations",
            vec![
                paragraph(format!(
                    "{}'s obligations under the Convention and their status as of {}.",
                    s.name,
                    figures::long_date(cx.today)
                )),
                table(
                    "Obligations",
                    &[
                        ("Obligation", false),
                        ("Reporting year", false),
                        ("Treaty deadline", false),
                        ("Deadline in force", false),
                        ("Status", false),
                    ],
                    obligation_rows,
                    format!("{} has no obligation under the Convention.", s.name),
                ),
                table(
                    "Extensions granted",
                    &[
                        ("Obligation", false),
                        ("Previous deadline", false),
                        ("New deadline", false),
                        ("Granted on", false),
                        ("Granted at", false),
                    ],
                    extension_rows,
                    "No extension has been granted.",
                ),
                table(
                    "Extension requests",
                    &[
                        ("Obligation", false),
                        ("Deadline", false),
                        ("Requested", false),
                        ("Meeting", false),
                        ("Submit by", false),
                        ("Submitted on", false),
                        ("Status", false),
                        ("Outcome", false),
                        ("Granted deadline", false),
                    ],
                    request_rows,
                    "No extension request is recorded.",
                ),
            ],
        ),
        section(
            "Article 7 reports",
            vec![table(
                "Article 7 reports filed",
                &[
                    ("Reporting year", false),
                    ("Kind", false),
                    ("Status", false),
                    ("Due on", false),
                    ("Submitted on", false),
                    ("On time", false),
                ],
                report_rows,
                "No Article 7 report is recorded.",
            )],
        ),
        section(
            "Cooperation and assistance",
            vec![
                facts([
                    ("Needs declared", count(needs.len())),
                    ("Offers made", count(offers.len())),
                ]),
                table(
                    "Needs for assistance",
                    &amount_cols("Thematic area"),
                    need_rows,
                    "No need for assistance is recorded.",
                ),
                table(
                    "Offers of assistance",
                    &offer_cols,
                    offer_rows,
                    "No offer of assistance is recorded.",
                ),
            ],
        ),
        section(
            "Sponsorship received",
            vec![table(
                "Sponsorship applications by meeting",
                &[
                    ("Meeting", false),
                    ("Starts on", false),
                    ("Applications", true),
                    ("Approved", true),
                    ("Approved amount", true),
                ],
                sponsorship_rows,
                "No sponsorship application is recorded.",
            )],
        ),
    ];
    Ok(Some(document(
        format!("{}: State profile", s.name),
        Some("Convention on Cluster Munitions".to_owned()),
        cx.today,
        sections,
    )))
}
