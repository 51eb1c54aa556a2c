//! The ISU's annual report on its activities and finances for a year (docs/domain.md §14).
//!
//! Ten sections, each from the service of the domain that keeps its figures, so that the
//! report says what the API and the exports say: reporting compliance
//! ([`crate::domain::reports::service::compliance`]), Article 3 and 4 obligations and
//! extensions ([`crate::domain::states::obligations`]) with the extension requests decided
//! in the year and the deadlines ahead that will need one
//! ([`crate::domain::extensions::milestones`], requests under
//! [`crate::domain::extensions::visibility`]), cooperation (needs, offers and
//! proposals under [`crate::domain::cooperation::visibility`]), sponsorship per meeting
//! ([`crate::domain::sponsorship::service::stats`]), the workplan's activities and budget
//! ([`crate::domain::budget::service::workplan_of_year`]), contributions and the Working
//! Capital Reserve ([`crate::domain::budget::service::financial_status`]), the action plan's
//! progress ([`crate::domain::action_plan::values::progress`]) and the follow-up of
//! decisions ([`crate::domain::records::decisions::summary`]); the charts are
//! [`super::charts`]'. Every read covers all States, needs or meetings at once: the number of
//! statements does not grow with the data. The one bound rather than constant is the
//! sponsorship balance charts, at most [`MAX_BALANCE_CHARTS`] of the year's meetings.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use entity::enums::{MatchStatus, NeedStatus, OfferStatus, ThematicArea};
use entity::{
    assistance_need, assistance_offer, extension_request, match_proposal, meeting, payment, state,
};
use sea_orm::{ColumnTrait, EntityTrait, Iterable, QueryFilter, QueryOrder};

use super::Context;
use super::blocks::{
    self, Col, count, day, document, facts, figure, label, money, paragraph, section, share,
    share_of_amount, table,
};
use crate::auth::Viewer;
use crate::domain::cooperation::visibility::{self, OfferScope};
use crate::domain::extensions::milestones::{self, DEFAULT_WITHIN_MONTHS};
use crate::domain::records::decisions::{self, DecisionFilter};
use crate::kernel::error::ServiceError;
use crate::kernel::figures;
use crate::kernel::typeset::{Document, Section};
use crate::rules::obligations::{ObligationKind, ObligationStatus};

/// The first year an annual report covers: the Convention entered into force in 2010.
pub const FIRST_YEAR: i32 = 2010;

/// Most meetings of a year whose sponsorship balance is charted (the first ones with
/// approved delegates); the others are in the tables. Keeps the report's statements bounded
/// however many meetings a year has.
pub const MAX_BALANCE_CHARTS: usize = 3;

/// Reporting years the compliance chart spans.
const COMPLIANCE_YEARS: i32 = 10;

/// The annual report for `year`; `None` for a year the report cannot cover (before the
/// Convention's entry into force, or after the current year). A fixed number of
/// statements, whatever the data. Who may read it is [`super::access::annual_report`]'s
/// rule (ISU staff); the budget's reads refuse anyone else.
pub async fn annual_report(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
) -> Result<Option<Document>, ServiceError> {
    if !(FIRST_YEAR..=cx.today.year()).contains(&year) {
        return Ok(None);
    }
    let all = crate::domain::states::obligations::for_all(cx.db, cx.today).await?;
    let mut obligations = obligations(cx, viewer, year, &all).await?;
    obligations
        .subsections
        .push(extension_requests(cx, viewer, year, &all).await?);
    let mut sections = vec![
        compliance(cx, viewer, year).await?,
        obligations,
        cooperation(cx, viewer, year).await?,
        sponsorship(cx, viewer, year).await?,
    ];
    let (activities, budget) = workplan(cx, viewer, year).await?;
    let (contributions, reserve) = contributions(cx, viewer, year).await?;
    sections.extend([
        activities,
        budget,
        contributions,
        reserve,
        action_plan(cx, year).await?,
        decisions(cx, viewer, year).await?,
    ]);
    Ok(Some(document(
        format!("Annual report of the Implementation Support Unit, {year}"),
        Some(format!(
            "Activities and finances, 1 January to 31 December {year}"
        )),
        cx.today,
        sections,
    )))
}

/// Reports due in `year`: the annual Article 7 reports covering the year before, due on 30
/// April; and the chart of the last ten reporting years.
async fn compliance(cx: Context<'_>, viewer: &Viewer, year: i32) -> Result<Section, ServiceError> {
    let heading = "Article 7 reporting";
    let covered = year - 1;
    if covered < FIRST_YEAR {
        return Ok(section(
            heading,
            vec![paragraph(format!(
                "No annual Article 7 report fell due in {year}: the first covered 2010 and fell due on 30 April 2011."
            ))],
        ));
    }
    let c = crate::domain::reports::service::compliance(cx.db, covered).await?;
    let chart = super::charts::reporting_compliance(
        cx,
        viewer,
        (covered - COMPLIANCE_YEARS + 1).max(FIRST_YEAR),
        covered,
    )
    .await?;
    let late_or_missing: Vec<Vec<String>> = c
        .owing
        .iter()
        .filter(|(_, _, r)| r.as_ref().and_then(|r| r.on_time) != Some(true))
        .map(|(s, due, r)| {
            let status = match r {
                Some(r) => format!(
                    "Submitted late, on {}",
                    day(r.submitted_at.map(|t| t.date_naive()))
                ),
                None if c.not_recorded.contains(&s.code) => "Not recorded".to_owned(),
                None => "Missing".to_owned(),
            };
            vec![s.name.clone(), figures::long_date(*due), status]
        })
        .collect();
    Ok(section(
        heading,
        vec![
            paragraph(format!(
                "Each State party reports by 30 April on the calendar year before (Article 7). \
                 These are the annual reports covering {covered}, due in {year}."
            )),
            facts([
                ("Annual reports required", count(c.required())),
                ("Submitted", count(c.submitted())),
                ("Submitted on time", count(c.on_time())),
                (
                    "On time, of the reports recorded",
                    share(c.on_time(), c.recorded()),
                ),
                ("Missing", count(c.missing().count())),
                ("Not recorded", count(c.unrecorded().count())),
            ]),
            table(
                format!("Annual reports covering {covered} submitted late or not at all"),
                &[("State party", false), ("Due on", false), ("Status", false)],
                late_or_missing,
                format!("Every annual report covering {covered} was submitted on time."),
            ),
            figure(
                &chart,
                format!(
                    "Annual reports required, submitted and on time by reporting year, to {covered}"
                ),
            ),
        ],
    ))
}

/// Article 3 and 4 deadlines as of today, the extensions granted in `year`, and the chart.
/// `all`: every State's obligations as of today.
async fn obligations(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
    all: &[(
        std::sync::Arc<entity::state::Model>,
        crate::rules::obligations::Obligation,
    )],
) -> Result<Section, ServiceError> {
    let extensions = crate::domain::states::obligations::extensions(cx.db, None).await?;
    let chart = super::charts::obligations(cx, viewer).await?;
    let treaty: Vec<_> = all
        .iter()
        .filter(|(_, o)| {
            matches!(
                o.kind,
                ObligationKind::StockpileDestruction | ObligationKind::Clearance
            )
        })
        .collect();
    let names: HashMap<&str, &str> = all
        .iter()
        .map(|(s, _)| (s.code.as_str(), s.name.as_str()))
        .collect();
    let of_kind = |kind: ObligationKind| {
        let list: Vec<_> = treaty.iter().filter(|(_, o)| o.kind == kind).collect();
        let met = list
            .iter()
            .filter(|(_, o)| o.status == ObligationStatus::Met)
            .count();
        let met_in_year = list
            .iter()
            .filter(|(_, o)| o.fulfilled_on.is_some_and(|d| d.year() == year))
            .count();
        (list.len(), met, met_in_year)
    };
    let (stockpiles, stockpiles_met, stockpiles_in_year) =
        of_kind(ObligationKind::StockpileDestruction);
    let (clearance, clearance_met, clearance_in_year) = of_kind(ObligationKind::Clearance);
    let mut granted: Vec<_> = extensions
        .values()
        .flatten()
        .filter(|e| e.granted_on.year() == year)
        .collect();
    granted.sort_by(|a, b| (a.granted_on, &a.state_code).cmp(&(b.granted_on, &b.state_code)));
    let deadlines = treaty
        .iter()
        .map(|(s, o)| {
            vec![
                s.name.clone(),
                blocks::obligation(o.kind).to_owned(),
                figures::long_date(o.original_due_date),
                figures::long_date(o.due_date),
                if o.extended { "Yes" } else { "No" }.to_owned(),
                blocks::obligation_status(o),
            ]
        })
        .collect();
    let extended = granted
        .iter()
        .map(|e| {
            vec![
                names
                    .get(e.state_code.as_str())
                    .map_or_else(|| e.state_code.clone(), |n| (*n).to_owned()),
                blocks::obligation(e.kind.into()).to_owned(),
                figures::long_date(e.previous_deadline),
                figures::long_date(e.new_deadline),
                figures::long_date(e.granted_on),
                e.granted_at.clone().unwrap_or_else(|| "–".to_owned()),
            ]
        })
        .collect();
    Ok(section(
        "Obligations and extensions",
        vec![
            paragraph(format!(
                "Stockpiles are destroyed within eight years of entry into force (Article 3), \
                 contaminated areas cleared within ten (Article 4); a Meeting of States Parties \
                 may extend either deadline. Deadlines and their status as of {}.",
                figures::long_date(cx.today)
            )),
            facts(
                [
                    (
                        "States with a stockpile destruction deadline",
                        count(stockpiles),
                    ),
                    ("of which completed", count(stockpiles_met)),
                    (
                        format!("Stockpile destruction completed in {year}").as_str(),
                        count(stockpiles_in_year),
                    ),
                    ("States with a clearance deadline", count(clearance)),
                    ("of which completed", count(clearance_met)),
                    (
                        format!("Clearance completed in {year}").as_str(),
                        count(clearance_in_year),
                    ),
                    (
                        format!("Extensions granted in {year}").as_str(),
                        count(granted.len()),
                    ),
                ]
                .map(|(l, v)| (l.to_owned(), v)),
            ),
            table(
                "Article 3 and 4 deadlines",
                &[
                    ("State party", false),
                    ("Obligation", false),
                    ("Treaty deadline", false),
                    ("Deadline in force", false),
                    ("Extended", false),
                    ("Status", false),
                ],
                deadlines,
                "No State party has an Article 3 or 4 deadline.",
            ),
            table(
                format!("Extensions granted in {year}"),
                &[
                    ("State party", false),
                    ("Obligation", false),
                    ("Previous deadline", false),
                    ("New deadline", false),
                    ("Granted on", false),
                    ("Granted at", false),
                ],
                extended,
                format!("No extension was granted in {year}."),
            ),
            figure(
                &chart,
                "Stockpile destruction and clearance deadlines by State party",
            ),
        ],
    ))
}

/// The extension requests decided in `year` and the Article 3 and 4 deadlines of the next
/// [`DEFAULT_WITHIN_MONTHS`] months with the meeting that would have to extend each, the last
/// day to ask and the request under way: a subsection of the obligations. Every request the
/// viewer reads in one statement, whatever their number.
async fn extension_requests(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
    obligations: &[(
        std::sync::Arc<entity::state::Model>,
        crate::rules::obligations::Obligation,
    )],
) -> Result<Section, ServiceError> {
    use crate::domain::extensions::{service as requests, visibility};
    use entity::enums::{ExtensionOutcome, ExtensionRequestStatus};
    let lines = milestones::milestones_among(
        cx.db,
        viewer,
        cx.today,
        i64::from(DEFAULT_WITHIN_MONTHS),
        obligations,
    )
    .await?;
    let all = extension_request::Entity::find()
        .filter(visibility::readable(viewer))
        .order_by_asc(extension_request::Column::Id)
        .all(cx.db)
        .await?;
    let mut decided: Vec<&extension_request::Model> = all
        .iter()
        .filter(|r| r.status == ExtensionRequestStatus::Decided)
        .filter(|r| r.decided_on.is_some_and(|d| d.year() == year))
        .collect();
    decided.sort_by(|a, b| (a.decided_on, &a.state_code).cmp(&(b.decided_on, &b.state_code)));
    let under_way = all.iter().filter(|r| requests::under_way(r)).count();
    let mut meeting_ids: Vec<uuid::Uuid> = all.iter().map(|r| r.meeting_id).collect();
    meeting_ids.sort();
    meeting_ids.dedup();
    let meetings: HashMap<uuid::Uuid, meeting::Model> =
        crate::domain::sponsorship::service::get_meetings(cx.db, &meeting_ids)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
    let mut codes: Vec<&str> = decided.iter().map(|r| r.state_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let names: HashMap<String, String> = state::Entity::find()
        .filter(state::Column::Code.is_in(codes))
        .all(cx.db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let of_outcome = |o: ExtensionOutcome| decided.iter().filter(|r| r.outcome == Some(o)).count();
    let title = |id: uuid::Uuid| {
        meetings
            .get(&id)
            .map_or_else(|| "–".to_owned(), |m| m.title.clone())
    };
    let decided_rows = decided
        .iter()
        .map(|r| {
            vec![
                names
                    .get(&r.state_code)
                    .cloned()
                    .unwrap_or_else(|| r.state_code.clone()),
                blocks::obligation(r.kind.into()).to_owned(),
                title(r.meeting_id),
                figures::long_date(r.current_deadline),
                figures::long_date(r.requested_deadline),
                blocks::outcome(r.outcome).to_owned(),
                day(r.granted_deadline),
                day(r.decided_on),
            ]
        })
        .collect();
    let passed = lines
        .iter()
        .filter(|l| l.days_to_submit.is_some_and(|d| d < 0))
        .filter(|l| l.request.as_ref().is_none_or(|r| r.submitted_on.is_none()))
        .count();
    let within_year = lines
        .iter()
        .filter(|l| l.days_to_submit.is_some_and(|d| (0..=365).contains(&d)))
        .count();
    let ahead_rows = lines
        .iter()
        .map(|l| {
            let status = match &l.request {
                Some(r) => blocks::request_status(
                    r.status,
                    meetings
                        .get(&r.meeting_id)
                        .is_some_and(|m| requests::late(r, m)),
                ),
                None => "No request".to_owned(),
            };
            vec![
                l.state.name.clone(),
                blocks::obligation(l.obligation.kind).to_owned(),
                figures::long_date(l.obligation.due_date),
                l.deciding_meeting
                    .as_ref()
                    .map_or_else(|| "None recorded".to_owned(), |m| m.title.clone()),
                day(l.submit_by),
                status,
            ]
        })
        .collect();
    Ok(section(
        "Extension requests",
        vec![
            paragraph(format!(
                "A State party that will not complete its stockpile destruction (Article 3) or \
                 clearance (Article 4) by its deadline requests an extension from a Meeting of \
                 States Parties or Review Conference, at least nine months before the meeting \
                 opens. The requests decided in {year}, and the deadlines of the next \
                 {DEFAULT_WITHIN_MONTHS} months as of {} with the meeting that would have to \
                 extend each and the last day to submit a request.",
                figures::long_date(cx.today)
            )),
            facts([
                (format!("Requests decided in {year}"), count(decided.len())),
                (
                    "Granted as requested".to_owned(),
                    count(of_outcome(ExtensionOutcome::Granted)),
                ),
                (
                    "Granted for a shorter period".to_owned(),
                    count(of_outcome(ExtensionOutcome::GrantedShorter)),
                ),
                (
                    "Refused".to_owned(),
                    count(of_outcome(ExtensionOutcome::Refused)),
                ),
                ("Requests under way".to_owned(), count(under_way)),
                (
                    format!("Deadlines within {DEFAULT_WITHIN_MONTHS} months"),
                    count(lines.len()),
                ),
                (
                    "Last day to submit within a year".to_owned(),
                    count(within_year),
                ),
                (
                    "Last day passed, no request submitted".to_owned(),
                    count(passed),
                ),
            ]),
            table(
                format!("Extension requests decided in {year}"),
                &[
                    ("State party", false),
                    ("Obligation", false),
                    ("Meeting", false),
                    ("Deadline", false),
                    ("Requested", false),
                    ("Outcome", false),
                    ("Granted deadline", false),
                    ("Decided on", false),
                ],
                decided_rows,
                format!("No extension request was decided in {year}."),
            ),
            table(
                "Deadlines ahead and the requests they need",
                &[
                    ("State party", false),
                    ("Obligation", false),
                    ("Deadline", false),
                    ("Deciding meeting", false),
                    ("Submit by", false),
                    ("Request", false),
                ],
                ahead_rows,
                format!(
                    "No Article 3 or 4 deadline falls due within {DEFAULT_WITHIN_MONTHS} months."
                ),
            ),
        ],
    ))
}

/// Needs, offers and proposals as the viewer reads them (the ISU: all), coverage by
/// thematic area, and the chart.
async fn cooperation(cx: Context<'_>, viewer: &Viewer, year: i32) -> Result<Section, ServiceError> {
    let needs = assistance_need::Entity::find()
        .filter(visibility::needs(viewer))
        .all(cx.db)
        .await?;
    let scope = OfferScope::load(cx.db, viewer).await?;
    let offers = assistance_offer::Entity::find()
        .filter(scope.condition())
        .all(cx.db)
        .await?;
    let proposals = match_proposal::Entity::find()
        .filter(visibility::proposals(viewer))
        .all(cx.db)
        .await?;
    let chart = super::charts::cooperation_coverage(cx, viewer).await?;
    let covered: HashSet<uuid::Uuid> = proposals
        .iter()
        .filter(|p| matches!(p.status, MatchStatus::Agreed | MatchStatus::Delivered))
        .map(|p| p.need_id)
        .collect();
    let open_offer = |o: &assistance_offer::Model| {
        matches!(
            o.status,
            OfferStatus::Open | OfferStatus::PartiallyCommitted
        )
    };
    let requested = |n: &assistance_need::Model| n.status != NeedStatus::Withdrawn;
    let by_area: Vec<Vec<String>> = ThematicArea::iter()
        .map(|area| {
            let asked: Vec<_> = needs
                .iter()
                .filter(|n| n.thematic_area == area && requested(n))
                .collect();
            let met = asked.iter().filter(|n| covered.contains(&n.id)).count();
            let area_value = sea_orm::ActiveEnum::to_value(&area);
            let offered = offers
                .iter()
                .filter(|o| open_offer(o))
                .filter(|o| o.thematic_areas.split(',').any(|a| a == area_value))
                .count();
            vec![
                label(&area),
                count(asked.len()),
                count(met),
                share(met, asked.len()),
                count(offered),
            ]
        })
        .collect();
    let status_rows = |statuses: Vec<(String, usize)>| -> Vec<Vec<String>> {
        statuses
            .into_iter()
            .map(|(s, n)| vec![s, count(n)])
            .collect()
    };
    let need_statuses = status_rows(
        NeedStatus::iter()
            .map(|s| (label(&s), needs.iter().filter(|n| n.status == s).count()))
            .collect(),
    );
    let offer_statuses = status_rows(
        OfferStatus::iter()
            .map(|s| (label(&s), offers.iter().filter(|o| o.status == s).count()))
            .collect(),
    );
    let match_statuses = status_rows(
        MatchStatus::iter()
            .map(|s| {
                (
                    label(&s),
                    proposals.iter().filter(|p| p.status == s).count(),
                )
            })
            .collect(),
    );
    let declared = needs.iter().filter(|n| n.created_at.year() == year).count();
    let made = offers
        .iter()
        .filter(|o| o.created_at.year() == year)
        .count();
    let status_cols: [Col<'_>; 2] = [("Status", false), ("Number", true)];
    Ok(section(
        "Cooperation and assistance",
        vec![
            paragraph(
                "Needs that States parties declare, offers of assistance, and the proposals \
                 that match them (Article 6). A need is covered when a proposal for it is agreed \
                 or delivered.",
            ),
            facts([
                ("Needs recorded".to_owned(), count(needs.len())),
                (format!("Needs declared in {year}"), count(declared)),
                (
                    "Needs covered".to_owned(),
                    count(
                        needs
                            .iter()
                            .filter(|n| requested(n) && covered.contains(&n.id))
                            .count(),
                    ),
                ),
                ("Offers recorded".to_owned(), count(offers.len())),
                (format!("Offers made in {year}"), count(made)),
                (
                    "Open offers".to_owned(),
                    count(offers.iter().filter(|o| open_offer(o)).count()),
                ),
                ("Proposals".to_owned(), count(proposals.len())),
            ]),
            table("Needs by status", &status_cols, need_statuses, "No needs."),
            table(
                "Offers by status",
                &status_cols,
                offer_statuses,
                "No offers.",
            ),
            table(
                "Proposals (matches) by status",
                &status_cols,
                match_statuses,
                "No proposals.",
            ),
            table(
                "Coverage by thematic area",
                &[
                    ("Thematic area", false),
                    ("Needs requested", true),
                    ("Needs covered", true),
                    ("Covered", true),
                    ("Open offers", true),
                ],
                by_area,
                "No needs.",
            ),
            figure(
                &chart,
                "Needs requested and covered, and open offers, by thematic area",
            ),
        ],
    ))
}

/// The Sponsorship Programme at each meeting that starts in `year`.
async fn sponsorship(cx: Context<'_>, viewer: &Viewer, year: i32) -> Result<Section, ServiceError> {
    use crate::domain::sponsorship::service;
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(section(
            "Sponsorship Programme",
            vec![paragraph("Not a calendar year.")],
        ));
    };
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::StartsOn.between(first, last))
        .order_by_asc(meeting::Column::StartsOn)
        .order_by_asc(meeting::Column::Id)
        .all(cx.db)
        .await?;
    let ids: Vec<uuid::Uuid> = meetings.iter().map(|m| m.id).collect();
    let stats = service::stats(cx.db, viewer, &ids).await?;
    let target = cx.sponsorship.suggestion.female_target_percent;
    let mut rows = Vec::new();
    let mut subsections = Vec::new();
    let mut charted = 0;
    for m in &meetings {
        let Some(s) = stats.get(&m.id) else {
            continue;
        };
        let money_of = service::figures(viewer, m, &cx.cooperation.base_currency)?;
        let women = s
            .by_gender
            .iter()
            .find(|(g, _)| *g == entity::enums::Gender::Female)
            .map_or(0, |(_, n)| *n);
        rows.push(vec![
            m.title.clone(),
            figures::long_date(m.starts_on),
            count(s.applications),
            count(s.approved),
            share(women, s.approved),
            money(money_of.committed, &money_of.currency),
            money(money_of.budget, &money_of.currency),
        ]);
        let mut blocks_of = vec![facts([
            (
                "Dates".to_owned(),
                format!(
                    "{} to {}",
                    figures::long_date(m.starts_on),
                    figures::long_date(m.ends_on)
                ),
            ),
            ("Applications".to_owned(), count(s.applications)),
            ("Approved delegates".to_owned(), count(s.approved)),
            (
                "Women among approved delegates".to_owned(),
                format!("{} (target {target} %)", share(women, s.approved)),
            ),
            (
                "Committed".to_owned(),
                money(money_of.committed, &money_of.currency),
            ),
            (
                "Sponsorship budget".to_owned(),
                money(money_of.budget, &money_of.currency),
            ),
            (
                "Budget committed".to_owned(),
                share_of_amount(money_of.committed, money_of.budget),
            ),
        ])];
        blocks_of.push(table(
            "Approved delegates by regional group",
            &[
                ("Regional group", false),
                ("Delegates", true),
                ("Share", true),
            ],
            s.by_region
                .iter()
                .map(|(g, n)| vec![blocks::region(Some(*g)), count(*n), share(*n, s.approved)])
                .collect(),
            "No delegate was approved.",
        ));
        if s.approved > 0
            && charted < MAX_BALANCE_CHARTS
            && let Some(chart) = super::charts::sponsorship_balance(cx, viewer, m.id).await?
        {
            charted += 1;
            blocks_of.push(figure(
                &chart,
                format!(
                    "Approved delegates by gender and regional group: {}",
                    m.title
                ),
            ));
        }
        subsections.push(Section {
            heading: m.title.clone(),
            blocks: blocks_of,
            subsections: Vec::new(),
        });
    }
    let mut intro = vec![
        paragraph(format!(
            "The Sponsorship Programme funds delegates' travel and subsistence to the \
             Convention's meetings. The meetings that start in {year}; committed is what the \
             approved applications take from each meeting's budget. The balance target for \
             women is {target} %."
        )),
        table(
            format!("Sponsorship at the meetings of {year}"),
            &[
                ("Meeting", false),
                ("Starts on", false),
                ("Applications", true),
                ("Approved", true),
                ("Women approved", true),
                ("Committed", true),
                ("Budget", true),
            ],
            rows,
            format!("No meeting starts in {year}."),
        ),
    ];
    let sponsored_meetings = subsections.len();
    if sponsored_meetings > MAX_BALANCE_CHARTS {
        intro.push(paragraph(format!(
            "The balance is charted for the first {MAX_BALANCE_CHARTS} meetings with approved \
             delegates; the tables give every meeting's."
        )));
    }
    Ok(Section {
        heading: "Sponsorship Programme".to_owned(),
        blocks: intro,
        subsections,
    })
}

/// The workplan's activities with their outputs and execution, and its budget by category
/// with the chart: two sections.
async fn workplan(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
) -> Result<(Section, Section), ServiceError> {
    let view = crate::domain::budget::service::workplan_of_year(cx.db, viewer, year).await?;
    let chart = super::charts::budget_execution(cx, viewer, year).await?;
    let Some(view) = view else {
        let none = format!("No workplan was adopted for {year}.");
        return Ok((
            section("Workplan activities", vec![paragraph(none.clone())]),
            section("Budget", vec![paragraph(none)]),
        ));
    };
    let w = &view.workplan;
    let currency = w.currency.as_str();
    let mut by_activity: BTreeMap<Option<uuid::Uuid>, (i64, i64)> = BTreeMap::new();
    for l in &view.lines {
        let e = by_activity.entry(l.activity_id).or_default();
        e.0 += l.amount_cents;
        e.1 += l.spent_cents;
    }
    let activity_rows: Vec<Vec<String>> = view
        .activities
        .iter()
        .map(|a| {
            let (budget, spent) = by_activity.get(&Some(a.id)).copied().unwrap_or_default();
            vec![
                a.title.clone(),
                a.output.clone(),
                a.action_plan_reference
                    .clone()
                    .unwrap_or_else(|| "–".to_owned()),
                money(budget, currency),
                money(spent, currency),
                share_of_amount(spent, budget),
            ]
        })
        .collect();
    let (total, spent) = (view.total_budget(), view.total_spent());
    let mut category_rows: Vec<Vec<String>> = view
        .by_category()
        .into_iter()
        .map(|(c, budget, spent)| {
            vec![
                label(&c),
                money(budget, currency),
                money(spent, currency),
                money(budget - spent, currency),
                share_of_amount(spent, budget),
            ]
        })
        .collect();
    if !category_rows.is_empty() {
        category_rows.push(vec![
            "Total".to_owned(),
            money(total, currency),
            money(spent, currency),
            money(total - spent, currency),
            share_of_amount(spent, total),
        ]);
    }
    let money_cols = [
        ("Budget", true),
        ("Spent", true),
        ("Remaining", true),
        ("Executed", true),
    ];
    let mut category_cols: Vec<Col<'_>> = vec![("Category", false)];
    category_cols.extend(money_cols);
    let mut budget_blocks = vec![
        facts([
            ("Workplan", w.title.clone()),
            ("Status", label(&w.status)),
            ("Budget", money(total, currency)),
            ("Spent", money(spent, currency)),
            ("Executed", share_of_amount(spent, total)),
        ]),
        table(
            format!("Budget and spending by category, {year}"),
            &category_cols,
            category_rows,
            "The workplan has no budget lines.",
        ),
    ];
    if let Some(chart) = chart {
        budget_blocks.push(figure(
            &chart,
            format!("Budget and spending by category, {year} ({currency})"),
        ));
    }
    Ok((
        section(
            "Workplan activities",
            vec![
                paragraph(format!(
                    "The activities of the {year} workplan, their expected outputs, the action \
                     plan actions they serve, and what their budget lines spent."
                )),
                table(
                    format!("Workplan activities, {year}"),
                    &[
                        ("Activity", false),
                        ("Output", false),
                        ("Action plan", false),
                        ("Budget", true),
                        ("Spent", true),
                        ("Executed", true),
                    ],
                    activity_rows,
                    "The workplan has no activities.",
                ),
            ],
        ),
        section("Budget", budget_blocks),
    ))
}

/// Contributions, invoices and payments of `year` with the chart; the Working Capital
/// Reserve against its target: two sections.
async fn contributions(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
) -> Result<(Section, Section), ServiceError> {
    let status =
        crate::domain::budget::service::financial_status(cx.db, cx.budget, viewer, year).await?;
    let payments = payment::Entity::find()
        .filter(payment::Column::Year.eq(year))
        .all(cx.db)
        .await?;
    let chart = super::charts::contributions(cx, viewer, year).await?;
    let currency = status.currency.as_str();
    let mut by_size = status.contributions.clone();
    by_size.sort_by(|a, b| {
        b.invoiced
            .cmp(&a.invoiced)
            .then_with(|| a.state.name.cmp(&b.state.name))
    });
    let rows = by_size
        .iter()
        .map(|c| {
            vec![
                c.state.name.clone(),
                money(c.invoiced, currency),
                money(c.received, currency),
                money(c.invoiced - c.received, currency),
            ]
        })
        .collect();
    let paid_in_full = status
        .contributions
        .iter()
        .filter(|c| c.received >= c.invoiced)
        .count();
    let mut blocks_of = vec![
        paragraph(format!(
            "The States parties share the ISU's costs by the scale of assessment; each is \
             invoiced its share for {year}. Amounts in {currency}."
        )),
        facts([
            ("Invoices issued", count(status.contributions.len())),
            ("Invoiced", money(status.invoiced, currency)),
            ("Received", money(status.received, currency)),
            (
                "Outstanding",
                money(status.invoiced - status.received, currency),
            ),
            (
                "Received, of invoiced",
                share_of_amount(status.received, status.invoiced),
            ),
            ("Invoices paid in full", count(paid_in_full)),
            ("Payments recorded", count(payments.len())),
            (
                "Paid by those payments",
                money(payments.iter().map(|p| p.amount_cents).sum(), currency),
            ),
        ]),
        table(
            format!("Contributions by State party, {year}"),
            &[
                ("State party", false),
                ("Invoiced", true),
                ("Received", true),
                ("Outstanding", true),
            ],
            rows,
            format!("No contribution was invoiced for {year}."),
        ),
    ];
    if let Some(chart) = chart {
        blocks_of.push(figure(
            &chart,
            format!("Contributions invoiced, received and outstanding by State party, {year}"),
        ));
    }
    let reserve = section(
        "Working Capital Reserve",
        vec![
            paragraph(format!(
                "The reserve is every contribution received up to 31 December {year} less every \
                 expenditure up to then; its target is {} months of the year's approved budget.",
                cx.budget.reserve_months
            )),
            facts([
                ("Reserve", money(status.reserve, currency)),
                ("Target", money(status.reserve_target, currency)),
                (
                    "Reserve, of its target",
                    share_of_amount(status.reserve, status.reserve_target),
                ),
                (
                    "Short of the target",
                    money((status.reserve_target - status.reserve).max(0), currency),
                ),
            ]),
        ],
    );
    Ok((
        section("Contributions, invoices and payments", blocks_of),
        reserve,
    ))
}

/// The progress of the action plan covering `year`: each indicator's value this year and
/// last.
async fn action_plan(cx: Context<'_>, year: i32) -> Result<Section, ServiceError> {
    use crate::domain::action_plan::{plans, values};
    let heading = "Action plan progress";
    let Some(plan) = plans::plan_for_year(cx.db, year).await? else {
        return Ok(section(
            heading,
            vec![paragraph(format!("No action plan covers {year}."))],
        ));
    };
    let progress = values::progress(cx.db, &plan, year, cx.today).await?;
    let (with_value, met) = (progress.with_value(), progress.targets(true));
    let rows = progress
        .indicators
        .iter()
        .map(super::progress::indicator_row)
        .collect();
    Ok(section(
        heading,
        vec![
            paragraph(format!(
                "{}, {} to {}: each indicator's value in {year} and {}; the full progress report \
                 is issued apart.",
                plan.title,
                plan.first_year,
                plan.last_year,
                year - 1
            )),
            facts([
                ("Indicators", count(progress.indicators.len())),
                (
                    "With a value for the year",
                    format!(
                        "{} ({})",
                        count(with_value),
                        share(with_value, progress.indicators.len())
                    ),
                ),
                ("Target met", count(met)),
            ]),
            table(
                format!("Action plan indicators, {} and {year}", year - 1),
                &super::progress::indicator_columns(year),
                rows,
                "The plan has no indicators.",
            ),
        ],
    ))
}

/// The follow-up of the decisions taken at the year's meetings, and of all decisions.
async fn decisions(cx: Context<'_>, viewer: &Viewer, year: i32) -> Result<Section, ServiceError> {
    let of_year = decisions::summary(
        cx.db,
        viewer,
        &DecisionFilter {
            meeting_years: Some((year, year)),
            ..Default::default()
        },
        cx.today,
    )
    .await?;
    let all = decisions::summary(cx.db, viewer, &DecisionFilter::default(), cx.today).await?;
    let of = |s: &decisions::Summary, status| {
        s.by_status
            .iter()
            .find(|(st, _)| *st == status)
            .map_or(0, |(_, n)| *n)
    };
    let n = |v: u64| figures::count(i64::try_from(v).unwrap_or(i64::MAX));
    let mut rows: Vec<Vec<String>> = crate::kernel::vocabulary::ImplementationStatus::iter()
        .map(|s| vec![label(&s), n(of(&of_year, s)), n(of(&all, s))])
        .collect();
    rows.push(vec![
        "Overdue".to_owned(),
        n(of_year.overdue),
        n(all.overdue),
    ]);
    rows.push(vec!["Total".to_owned(), n(of_year.total), n(all.total)]);
    Ok(section(
        "Implementation of the meetings' decisions",
        vec![
            paragraph(format!(
                "The decisions, recommendations and conclusions of the Convention's meetings, \
                 by the status of their implementation as of {}; overdue ones are past their due \
                 date and not yet implemented.",
                figures::long_date(cx.today)
            )),
            table(
                "Decisions by implementation status",
                &[
                    ("Status".to_owned(), false),
                    (format!("Taken in {year}"), true),
                    ("All decisions".to_owned(), true),
                ],
                rows,
                "No decisions recorded.",
            ),
        ],
    ))
}
