//! Each chart's figures (docs/domain.md §14), gathered in a fixed number of statements and
//! returned as a [`Chart`] for [`crate::kernel::charts`] to draw. Each draws only what the
//! viewer may read (the domains' visibility rules), and [`super::access::chart`] says who
//! may ask at all.
//!
//! A fixed number of statements per chart, whatever the number of States, years or rows:
//! each builder reads what it needs in a few queries (through the domains' own readers)
//! and computes in memory; nothing is read per State or per year.
//!
//! | chart | statements |
//! |---|---|
//! | reporting compliance | 4: States, where their records begin (2), the years' annual reports |
//! | obligations | 4: States, extensions, where their records begin (2) |
//! | budget execution | 3: the year's workplan, its activities and lines |
//! | contributions | 5 to 6: `budget::service::financial_status` |
//! | cooperation coverage | 3, and 4 more for a delegation (the offers it may read) |
//! | sponsorship balance | 3: the meeting, its approved applications, their States |
//! | indicator | 4 to 6: the indicator and its plan, then `action_plan::values::values_of` |

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use entity::enums::{
    ApplicationStatus, BudgetCategory, Gender, IndicatorUnit, MatchStatus, NeedStatus, OfferStatus,
    RegionalGroup, ReportKind, ReportStatus, StateStatus, ThematicArea, UserRole,
};
use entity::{
    assistance_need, assistance_offer, match_proposal, sponsorship_application as application,
    state, transparency_report,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveEnum, ColumnTrait, EntityTrait, Iterable, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::Context;
use crate::auth::Viewer;
use crate::domain::states::obligations as states_obligations;
use crate::domain::states::records;
use crate::kernel::charts::{
    Bars, Chart, ChartBody, Mark, MarkStyle, Reference, Series, Share, Timeline, TimelineRow,
};
use crate::kernel::error::ServiceError;
use crate::kernel::figures;
use crate::kernel::money::from_cents;
use crate::rules::obligations::{ObligationKind, ObligationStatus};

/// Contributions: this many States by name, the rest as one group.
pub const TOP_CONTRIBUTORS: usize = 12;

fn count(n: usize) -> Decimal {
    Decimal::from(n)
}

fn share(part: usize, whole: usize) -> Option<Decimal> {
    figures::share(
        i64::try_from(part).unwrap_or(i64::MAX),
        i64::try_from(whole).unwrap_or(i64::MAX),
    )
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The States bound by the Convention at some time: parties and withdrawn States.
async fn bound_states(cx: Context<'_>) -> Result<Vec<state::Model>, ServiceError> {
    Ok(state::Entity::find()
        .filter(state::Column::Status.is_in([StateStatus::StateParty, StateStatus::Withdrawn]))
        .all(cx.db)
        .await?)
}

/// Per reporting year from `from` to `to`: annual reports required, submitted and on time
/// (bars) and the on-time share (line). The caller has checked the range (at most 50
/// years, not reversed).
///
/// The same figures as `reports::service::compliance` for each year, computed from one
/// reading: the obligations engine lists, for each State, every annual report owed up to
/// the last year's due date; a report counts as submitted when it is not a draft, on time
/// by its `on_time`. The share's base is the States whose records tell (those whose report
/// fell due before their records begin, without a submission, are NOT_RECORDED), as the
/// API's `onTimeRate`. Compliance figures are public: the viewer changes nothing.
pub async fn reporting_compliance(
    cx: Context<'_>,
    viewer: &Viewer,
    from: i32,
    to: i32,
) -> Result<Chart, ServiceError> {
    let _ = viewer;
    let states = bound_states(cx).await?;
    let codes: Vec<&str> = states.iter().map(|s| s.code.as_str()).collect();
    let begins = records::of_states(cx.db, &codes).await?;
    // (state, year) → on time.
    let reports: HashMap<(String, i32), Option<bool>> = transparency_report::Entity::find()
        .select_only()
        .columns([
            transparency_report::Column::StateCode,
            transparency_report::Column::ReportingYear,
            transparency_report::Column::OnTime,
        ])
        .filter(transparency_report::Column::Kind.eq(ReportKind::Annual))
        .filter(transparency_report::Column::ReportingYear.between(from, to))
        .filter(transparency_report::Column::Status.ne(ReportStatus::Draft))
        .into_tuple::<(String, i32, Option<bool>)>()
        .all(cx.db)
        .await?
        .into_iter()
        .map(|(code, year, on_time)| ((code, year), on_time))
        .collect();
    // Per year: required, submitted, on time, not recorded.
    let years: Vec<i32> = (from..=to).collect();
    let mut tally: HashMap<i32, [usize; 4]> = years.iter().map(|y| (*y, [0; 4])).collect();
    // As of the last year's due date, the engine lists every annual report up to it.
    let as_of = NaiveDate::from_ymd_opt(to.saturating_add(1), 4, 30).unwrap_or(NaiveDate::MAX);
    for s in &states {
        let begin = begins.get(&s.code).map(|r| r.begin()).unwrap_or_default();
        for o in states_obligations::compute(s, &[], &[], begin, as_of) {
            let (ObligationKind::AnnualTransparencyReport, Some(year)) = (o.kind, o.reporting_year)
            else {
                continue;
            };
            let Some(t) = tally.get_mut(&year) else {
                continue;
            };
            t[0] += 1;
            match reports.get(&(s.code.clone(), year)) {
                Some(on_time) => {
                    t[1] += 1;
                    if *on_time == Some(true) {
                        t[2] += 1;
                    }
                }
                None if !begin.covers(ObligationKind::AnnualTransparencyReport, o.due_date) => {
                    t[3] += 1;
                }
                None => {}
            }
        }
    }
    let column = |k: usize| -> Vec<Option<Decimal>> {
        years
            .iter()
            .map(|y| tally.get(y).map(|t| count(t[k])))
            .collect()
    };
    let shares: Vec<Option<Decimal>> = years
        .iter()
        .map(|y| tally.get(y).and_then(|t| share(t[2], t[0] - t[3])))
        .collect();
    let total: [usize; 4] = tally.values().fold([0; 4], |mut acc, t| {
        for (a, b) in acc.iter_mut().zip(t) {
            *a += b;
        }
        acc
    });
    let last = tally.get(&to).copied().unwrap_or_default();
    let mut description = format!(
        "Annual transparency reports (Article 7(2)) per reporting year from {from} to {to}: \
         reports required, submitted and submitted on time (bars), and the share submitted \
         on time (line, of the States whose records tell). Over the years, {} reports were \
         required, {} submitted and {} on time. For {to}: {} required, {} submitted, {} on \
         time",
        figures::count(total[0] as i64),
        figures::count(total[1] as i64),
        figures::count(total[2] as i64),
        figures::count(last[0] as i64),
        figures::count(last[1] as i64),
        figures::count(last[2] as i64),
    );
    match share(last[2], last[0] - last[3]) {
        Some(s) => description.push_str(&format!(" ({}).", figures::percent(s))),
        None => description.push('.'),
    }
    if total[3] > 0 {
        description.push_str(&format!(
            " {} reports fell due before the records begin and show no submission: not \
             recorded, left out of the share.",
            figures::count(total[3] as i64)
        ));
    }
    Ok(Chart {
        title: format!("Annual transparency reports, {from}–{to}"),
        description,
        body: ChartBody::Bars(Bars {
            x_label: "Reporting year".into(),
            y_label: "Reports (number)".into(),
            categories: years.iter().map(ToString::to_string).collect(),
            series: vec![
                Series {
                    name: "Required".into(),
                    values: column(0),
                },
                Series {
                    name: "Submitted".into(),
                    values: column(1),
                },
                Series {
                    name: "On time".into(),
                    values: column(2),
                },
            ],
            share: Some(Share {
                axis_label: "Submitted on time (%)".into(),
                series: Series {
                    name: "On-time share".into(),
                    values: shares,
                },
            }),
            references: Vec::new(),
        }),
    })
}

/// The legend's name of an obligation kind: short, so that the legend's column leaves the
/// timeline its width (the description names them in full).
fn series_of(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::StockpileDestruction => "Stockpiles (Art. 3)",
        _ => "Clearance (Art. 4)",
    }
}

/// Stockpile destruction and clearance deadlines per State on a time axis: extensions
/// marked, completed obligations distinguished.
///
/// Rows are the States with an Article 3 or 4 obligation, those with an open deadline
/// first (the nearest first), then the completed ones (the latest first): the drawing
/// shows the first [`crate::kernel::charts::MAX_TIMELINE_ROWS`], the CSV every row. Each
/// obligation draws its treaty deadline and every extended deadline before the one in
/// force as superseded marks, joined to the next; the deadline in force as open, extended
/// or completed (its note says when it was completed). Deadlines are public.
pub async fn obligations(cx: Context<'_>, viewer: &Viewer) -> Result<Chart, ServiceError> {
    let _ = viewer;
    let states = bound_states(cx).await?;
    let codes: Vec<&str> = states.iter().map(|s| s.code.as_str()).collect();
    let extensions = states_obligations::extensions(cx.db, None).await?;
    let begins = records::of_states(cx.db, &codes).await?;
    // (open first, nearest open deadline or latest completion reversed, name) → row.
    let mut rows: Vec<((bool, i64, String), TimelineRow)> = Vec::new();
    let (mut open, mut extended, mut completed) = (0usize, 0usize, 0usize);
    for s in &states {
        let granted = extensions
            .get(&s.code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let begin = begins.get(&s.code).map(|r| r.begin()).unwrap_or_default();
        let list: Vec<_> = states_obligations::compute(s, &[], granted, begin, cx.today)
            .into_iter()
            .filter(|o| {
                matches!(
                    o.kind,
                    ObligationKind::StockpileDestruction | ObligationKind::Clearance
                )
            })
            .collect();
        if list.is_empty() {
            continue;
        }
        let mut marks = Vec::new();
        let mut nearest_open: Option<NaiveDate> = None;
        let mut latest: Option<NaiveDate> = None;
        for o in &list {
            let series = series_of(o.kind).to_owned();
            let met = o.status == ObligationStatus::Met;
            if o.extended {
                // The treaty deadline and each extension before the one in force.
                let mut earlier = vec![o.original_due_date];
                earlier.extend(
                    granted
                        .iter()
                        .filter(|e| {
                            ObligationKind::from(e.kind) == o.kind && e.new_deadline < o.due_date
                        })
                        .map(|e| e.new_deadline),
                );
                earlier.sort();
                earlier.dedup();
                for date in earlier {
                    marks.push(Mark {
                        date,
                        series: series.clone(),
                        style: MarkStyle::Superseded,
                        note: figures::long_date(date),
                    });
                }
            }
            let (style, note) = if met {
                completed += 1;
                let on = o.fulfilled_on.map(figures::long_date).unwrap_or_default();
                (MarkStyle::Completed, format!("completed {on}"))
            } else if o.extended {
                extended += 1;
                open += 1;
                (
                    MarkStyle::Extended,
                    format!("{} (extended)", figures::long_date(o.due_date)),
                )
            } else {
                open += 1;
                let note = if o.status == ObligationStatus::NotRecorded {
                    format!("{} (not recorded)", figures::long_date(o.due_date))
                } else {
                    figures::long_date(o.due_date)
                };
                (MarkStyle::Open, note)
            };
            if met {
                latest = latest.max(Some(o.due_date));
            } else {
                nearest_open = Some(nearest_open.map_or(o.due_date, |d| d.min(o.due_date)));
            }
            marks.push(Mark {
                date: o.due_date,
                series,
                style,
                note,
            });
        }
        let key = match nearest_open {
            Some(d) => (false, d.num_days_from_ce().into(), s.name.clone()),
            None => (
                true,
                -i64::from(latest.map_or(0, |d| d.num_days_from_ce())),
                s.name.clone(),
            ),
        };
        marks.sort_by_key(|m| m.date);
        rows.push((
            key,
            TimelineRow {
                label: s.name.clone(),
                marks,
            },
        ));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let n = rows.len();
    Ok(Chart {
        title: "Stockpile destruction and clearance deadlines".into(),
        description: format!(
            "Article 3 (stockpile destruction) and Article 4 (clearance) deadlines of {} \
             States parties, as of {}: {} open ({} of them extended, the deadlines they \
             replace drawn faint), {} completed (hollow). States with an open deadline come \
             first, the nearest first.",
            figures::count(n as i64),
            figures::long_date(cx.today),
            figures::count(open as i64),
            figures::count(extended as i64),
            figures::count(completed as i64),
        ),
        body: ChartBody::Timeline(Timeline {
            x_label: "Deadline (year)".into(),
            y_label: "State party".into(),
            rows: rows.into_iter().map(|(_, r)| r).collect(),
            today: Some(cx.today),
        }),
    })
}

fn category_name(c: BudgetCategory) -> &'static str {
    match c {
        BudgetCategory::Staff => "Staff",
        BudgetCategory::Travel => "Travel",
        BudgetCategory::Meetings => "Meetings",
        BudgetCategory::Sponsorship => "Sponsorship",
        BudgetCategory::Communications => "Communications",
        BudgetCategory::Consultants => "Consultants",
        BudgetCategory::OperatingCosts => "Operating costs",
        BudgetCategory::Other => "Other",
    }
}

/// The year's budget and spending per category; `None` when no workplan covers the year.
///
/// The categories of the year's workplan that have lines, in the contract's order; the
/// amounts in the workplan's currency (the base currency), named in the axis label.
pub async fn budget_execution(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
) -> Result<Option<Chart>, ServiceError> {
    let Some(plan) = crate::domain::budget::service::workplan_of_year(cx.db, viewer, year).await?
    else {
        return Ok(None);
    };
    let currency = plan.workplan.currency.clone();
    let by_category = plan.by_category();
    let (budget, spent) = (plan.total_budget(), plan.total_spent());
    let rate = figures::share(spent, budget);
    let description = format!(
        "Budget and expenditure per category of the {year} workplan ({}), in {currency}: \
         a budget of {}, of which {} spent{}.",
        plan.workplan.title,
        figures::money(from_cents(budget), &currency),
        figures::money(from_cents(spent), &currency),
        rate.map(|r| format!(" ({} executed)", figures::percent(r)))
            .unwrap_or_default(),
    );
    Ok(Some(Chart {
        title: format!("Budget execution, {year}"),
        description,
        body: ChartBody::Bars(Bars {
            x_label: "Budget category".into(),
            y_label: format!("Amount ({currency})"),
            categories: by_category
                .iter()
                .map(|(c, _, _)| category_name(*c).to_owned())
                .collect(),
            series: vec![
                Series {
                    name: "Budget".into(),
                    values: by_category
                        .iter()
                        .map(|(_, b, _)| Some(from_cents(*b)))
                        .collect(),
                },
                Series {
                    name: "Spent".into(),
                    values: by_category
                        .iter()
                        .map(|(_, _, s)| Some(from_cents(*s)))
                        .collect(),
                },
            ],
            share: None,
            references: Vec::new(),
        }),
    }))
}

/// The year's contributions invoiced, received and outstanding, by State (largest first,
/// the rest grouped); `None` when nothing was invoiced for the year.
///
/// The [`TOP_CONTRIBUTORS`] largest invoices by State code (ties by code), then "Other
/// States (n)" with the sum of the rest. Amounts in the invoices' currency.
pub async fn contributions(
    cx: Context<'_>,
    viewer: &Viewer,
    year: i32,
) -> Result<Option<Chart>, ServiceError> {
    let status =
        crate::domain::budget::service::financial_status(cx.db, cx.budget, viewer, year).await?;
    if status.contributions.is_empty() {
        return Ok(None);
    }
    let currency = status.currency.clone();
    let mut list: Vec<(String, String, i64, i64)> = status
        .contributions
        .iter()
        .map(|c| {
            (
                c.state.code.clone(),
                c.state.name.clone(),
                c.invoiced,
                c.received,
            )
        })
        .collect();
    list.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let mut rows: Vec<(String, i64, i64)> = list
        .iter()
        .take(TOP_CONTRIBUTORS)
        .map(|(code, _, i, r)| (code.clone(), *i, *r))
        .collect();
    let rest = &list[list.len().min(TOP_CONTRIBUTORS)..];
    if !rest.is_empty() {
        rows.push((
            format!("Other States ({})", rest.len()),
            rest.iter().map(|r| r.2).sum(),
            rest.iter().map(|r| r.3).sum(),
        ));
    }
    let money = |c: i64| figures::money(from_cents(c), &currency);
    let largest: Vec<String> = list
        .iter()
        .take(3)
        .map(|(code, name, i, _)| format!("{name} ({code}, {})", money(*i)))
        .collect();
    let description = format!(
        "Contributions for {year} by State party (ISO codes), largest invoice first: \
         invoiced, received and outstanding, in {currency}. {} States were invoiced {} in \
         all; {} received, {} outstanding. Largest: {}.{}",
        figures::count(list.len() as i64),
        money(status.invoiced),
        money(status.received),
        money(status.invoiced - status.received),
        largest.join("; "),
        if rest.is_empty() {
            String::new()
        } else {
            format!(
                " The {} smaller invoices are grouped as \"Other States\".",
                figures::count(rest.len() as i64)
            )
        }
    );
    Ok(Some(Chart {
        title: format!("Contributions, {year}"),
        description,
        body: ChartBody::Bars(Bars {
            x_label: "State party".into(),
            y_label: format!("Amount ({currency})"),
            categories: rows.iter().map(|r| r.0.clone()).collect(),
            series: vec![
                Series {
                    name: "Invoiced".into(),
                    values: rows.iter().map(|r| Some(from_cents(r.1))).collect(),
                },
                Series {
                    name: "Received".into(),
                    values: rows.iter().map(|r| Some(from_cents(r.2))).collect(),
                },
                Series {
                    name: "Outstanding".into(),
                    values: rows.iter().map(|r| Some(from_cents(r.1 - r.2))).collect(),
                },
            ],
            share: None,
            references: Vec::new(),
        }),
    }))
}

/// Needs by thematic area: requested, covered by agreed or delivered matches, open offers.
///
/// Requested: the needs the viewer may read (`cooperation::visibility::needs`), withdrawn
/// ones left out. Covered: those of them with at least one AGREED or DELIVERED proposal
/// the viewer may read. Open offers: OPEN or PARTIALLY_COMMITTED offers in the viewer's
/// scope (`OfferScope`), counted in each area they cover. Every area is listed; with
/// nothing at all, the chart says "No data".
pub async fn cooperation_coverage(cx: Context<'_>, viewer: &Viewer) -> Result<Chart, ServiceError> {
    use crate::domain::cooperation::visibility;
    let needs: Vec<(Uuid, ThematicArea)> = assistance_need::Entity::find()
        .select_only()
        .columns([
            assistance_need::Column::Id,
            assistance_need::Column::ThematicArea,
        ])
        .filter(visibility::needs(viewer))
        .filter(assistance_need::Column::Status.ne(NeedStatus::Withdrawn))
        .into_tuple()
        .all(cx.db)
        .await?;
    let covered: HashSet<Uuid> = match_proposal::Entity::find()
        .select_only()
        .column(match_proposal::Column::NeedId)
        .filter(visibility::proposals(viewer))
        .filter(match_proposal::Column::Status.is_in([MatchStatus::Agreed, MatchStatus::Delivered]))
        .into_tuple::<Uuid>()
        .all(cx.db)
        .await?
        .into_iter()
        .collect();
    let scope = visibility::OfferScope::load(cx.db, viewer).await?;
    let offers: Vec<String> = assistance_offer::Entity::find()
        .select_only()
        .column(assistance_offer::Column::ThematicAreas)
        .filter(scope.condition())
        .filter(
            assistance_offer::Column::Status
                .is_in([OfferStatus::Open, OfferStatus::PartiallyCommitted]),
        )
        .into_tuple()
        .all(cx.db)
        .await?;
    let areas: Vec<ThematicArea> = ThematicArea::iter().collect();
    let figures_of = |a: ThematicArea| {
        let requested = needs.iter().filter(|(_, area)| *area == a).count();
        let met = needs
            .iter()
            .filter(|(id, area)| *area == a && covered.contains(id))
            .count();
        let value = a.to_value();
        let offered = offers
            .iter()
            .filter(|o| o.split(',').any(|v| v.trim() == value))
            .count();
        (requested, met, offered)
    };
    let table: Vec<(usize, usize, usize)> = areas.iter().map(|a| figures_of(*a)).collect();
    let nothing = table.iter().all(|t| *t == (0, 0, 0));
    let (categories, table): (Vec<String>, Vec<(usize, usize, usize)>) = if nothing {
        (Vec::new(), Vec::new())
    } else {
        (
            areas
                .iter()
                .map(|a| capitalised(crate::rules::matching::area_name(*a)))
                .collect(),
            table,
        )
    };
    let requested: usize = table.iter().map(|t| t.0).sum();
    let met: usize = table.iter().map(|t| t.1).sum();
    let scope_note = match viewer.principal().map(|p| p.role) {
        Some(UserRole::Delegation) => {
            " Only the needs, proposals and offers your delegation may read are counted."
        }
        _ => "",
    };
    Ok(Chart {
        title: "Cooperation and assistance: coverage of needs".into(),
        description: format!(
            "Needs for assistance by thematic area: needs requested, needs covered by an \
             agreed or delivered match, and open offers (an offer counts in each area it \
             covers). {} needs requested, {} covered{}.{scope_note}",
            figures::count(requested as i64),
            figures::count(met as i64),
            share(met, requested)
                .map(|s| format!(" ({})", figures::percent(s)))
                .unwrap_or_default(),
        ),
        body: ChartBody::Bars(Bars {
            x_label: "Thematic area".into(),
            y_label: "Needs and offers (number)".into(),
            categories,
            series: vec![
                Series {
                    name: "Needs requested".into(),
                    values: table.iter().map(|t| Some(count(t.0))).collect(),
                },
                Series {
                    name: "Needs covered".into(),
                    values: table.iter().map(|t| Some(count(t.1))).collect(),
                },
                Series {
                    name: "Open offers".into(),
                    values: table.iter().map(|t| Some(count(t.2))).collect(),
                },
            ],
            share: None,
            references: Vec::new(),
        }),
    })
}

fn gender_name(g: Gender) -> &'static str {
    match g {
        Gender::Female => "Women",
        Gender::Male => "Men",
        Gender::Other => "Other",
        Gender::Undisclosed => "Undisclosed",
    }
}

/// A meeting's approved delegates by gender and by regional group against the target
/// share; `None` for an unknown meeting.
///
/// The ISU and coordinators (who read the programme's statistics) count every approved
/// application; a delegation only its own State's (the applications it may read). The
/// share of each category is of all approved delegates counted. Targets: women
/// `SponsorshipConfig.suggestion.female_target_percent`; regions an equal share each
/// (100 % ÷ the number of regional groups), as the suggestion's regional coverage aims at
/// every group.
pub async fn sponsorship_balance(
    cx: Context<'_>,
    viewer: &Viewer,
    meeting: Uuid,
) -> Result<Option<Chart>, ServiceError> {
    use crate::domain::sponsorship::service;
    let Some(m) = service::get_meeting(cx.db, meeting).await? else {
        return Ok(None);
    };
    let statistics_reader = viewer.is_isu()
        || viewer
            .principal()
            .is_some_and(|p| p.role == UserRole::Coordinator);
    let mut select = application::Entity::find()
        .select_only()
        .columns([
            application::Column::StateCode,
            application::Column::DelegateGender,
        ])
        .filter(application::Column::MeetingId.eq(m.id))
        .filter(application::Column::Status.eq(ApplicationStatus::Approved));
    if !statistics_reader {
        select = select.filter(service::applications_readable(viewer));
    }
    let approved: Vec<(String, Gender)> = select.into_tuple().all(cx.db).await?;
    let codes: Vec<&str> = approved.iter().map(|(c, _)| c.as_str()).collect();
    let regions: HashMap<String, Option<RegionalGroup>> = state::Entity::find()
        .select_only()
        .columns([state::Column::Code, state::Column::RegionalGroup])
        .filter(state::Column::Code.is_in(codes))
        .into_tuple::<(String, Option<RegionalGroup>)>()
        .all(cx.db)
        .await?
        .into_iter()
        .collect();
    let total = approved.len();
    let mut categories = Vec::new();
    let mut counts = Vec::new();
    for g in Gender::iter() {
        categories.push(gender_name(g).to_owned());
        counts.push(approved.iter().filter(|(_, x)| *x == g).count());
    }
    let groups: Vec<RegionalGroup> = RegionalGroup::iter().collect();
    for r in &groups {
        categories.push(crate::rules::matching::region_name(*r).to_owned());
        counts.push(
            approved
                .iter()
                .filter(|(c, _)| regions.get(c).copied().flatten() == Some(*r))
                .count(),
        );
    }
    let female_target = Decimal::from(cx.sponsorship.suggestion.female_target_percent);
    let equal = Decimal::ONE_HUNDRED / Decimal::from(groups.len().max(1));
    let women = counts.first().copied().unwrap_or_default();
    let (categories, counts) = if total == 0 {
        (Vec::new(), Vec::new())
    } else {
        (categories, counts)
    };
    let scope_note = if statistics_reader {
        ""
    } else {
        " Only your State's delegates are counted."
    };
    Ok(Some(Chart {
        title: format!("Sponsored delegates: {}", m.title),
        description: format!(
            "Approved sponsorship applications for {} ({} to {}) by gender and by regional \
             group, with each one's share of the approved delegates. {} delegates approved, \
             {} women{}. Targets: women {}; each regional group an equal share, {}.{scope_note}",
            m.title,
            figures::long_date(m.starts_on),
            figures::long_date(m.ends_on),
            figures::count(total as i64),
            figures::count(women as i64),
            share(women, total)
                .map(|s| format!(" ({})", figures::percent(s)))
                .unwrap_or_default(),
            figures::percent(female_target),
            figures::percent(equal),
        ),
        body: ChartBody::Bars(Bars {
            x_label: "Gender and regional group".into(),
            y_label: "Approved delegates (number)".into(),
            series: vec![Series {
                name: "Approved delegates".into(),
                values: counts.iter().map(|c| Some(count(*c))).collect(),
            }],
            share: Some(Share {
                axis_label: "Share of approved delegates (%)".into(),
                series: Series {
                    name: "Share".into(),
                    values: counts.iter().map(|c| share(*c, total)).collect(),
                },
            }),
            references: if total == 0 {
                Vec::new()
            } else {
                vec![
                    Reference {
                        name: "Target share of women".into(),
                        value: female_target,
                        on_share_axis: true,
                    },
                    Reference {
                        name: "Equal regional share".into(),
                        value: equal.round_dp(1),
                        on_share_axis: true,
                    },
                ]
            },
            categories,
        }),
    }))
}

/// Tenths (a baseline, a target, a value) as the figure they are: `815` → `81.5`; whole
/// counts without decimals.
fn tenths(t: i64, unit: IndicatorUnit) -> Decimal {
    let d = Decimal::new(t, 1);
    match unit {
        IndicatorUnit::Count if t % 10 == 0 => Decimal::from(t / 10),
        _ => d,
    }
}

/// An action plan indicator's values per year against its baseline and target; `None`
/// for an unknown indicator.
pub async fn indicator(
    cx: Context<'_>,
    viewer: &Viewer,
    indicator: Uuid,
) -> Result<Option<Chart>, ServiceError> {
    Ok(indicators(cx, viewer, &[indicator])
        .await?
        .remove(&indicator))
}

/// The charts of several indicators by ID (unknown ones left out), from a fixed number of
/// statements whatever their number: the indicators, their plans, their values.
pub async fn indicators(
    cx: Context<'_>,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Chart>, ServiceError> {
    use crate::domain::action_plan::{plans, values};
    viewer.require()?;
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = plans::get_indicators(cx.db, ids).await?;
    let mut plan_ids: Vec<Uuid> = found.iter().map(|i| i.plan_id).collect();
    plan_ids.sort_unstable();
    plan_ids.dedup();
    let plans: HashMap<Uuid, _> = plans::get_plans(cx.db, &plan_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let known: Vec<Uuid> = found.iter().map(|i| i.id).collect();
    let mut values = values::values_of(cx.db, &known, cx.today.year(), cx.today).await?;
    Ok(found
        .iter()
        .filter_map(|i| {
            let plan = plans.get(&i.plan_id)?;
            let chart = indicator_chart(plan, i, &values.remove(&i.id).unwrap_or_default());
            Some((i.id, chart))
        })
        .collect())
}

/// One indicator's chart from its plan and its values (oldest first).
fn indicator_chart(
    plan: &entity::action_plan::Model,
    i: &entity::action_indicator::Model,
    found: &[crate::domain::action_plan::values::Value],
) -> Chart {
    let by_year: HashMap<i32, i64> = found.iter().map(|v| (v.year, v.tenths)).collect();
    let years: Vec<i32> = (plan.first_year..=plan.last_year).collect();
    let (unit_label, unit_word) = match i.unit {
        IndicatorUnit::Percent => ("Value (%)", "per cent"),
        IndicatorUnit::Count => ("Value (number)", "a count"),
    };
    let figure = |t: i64| match i.unit {
        IndicatorUnit::Percent => figures::percent(Decimal::new(t, 1)),
        IndicatorUnit::Count => figures::grouped(tenths(t, i.unit)),
    };
    let mut references = Vec::new();
    if let Some(b) = i.baseline_tenths {
        references.push(Reference {
            name: match i.baseline_year {
                Some(y) => format!("Baseline ({y})"),
                None => "Baseline".into(),
            },
            value: tenths(b, i.unit),
            on_share_axis: false,
        });
    }
    if let Some(t) = i.target_tenths {
        references.push(Reference {
            name: "Target".into(),
            value: tenths(t, i.unit),
            on_share_axis: false,
        });
    }
    let latest = found.last();
    let description = format!(
        "{} indicator {}: {} Values per year of the plan ({}–{}), in {unit_word}{}{}.{}",
        plan.title,
        i.code,
        i.text.trim_end_matches('.').to_owned() + ".",
        plan.first_year,
        plan.last_year,
        i.baseline_tenths
            .map(|b| format!("; baseline {}", figure(b)))
            .unwrap_or_default(),
        i.target_tenths
            .map(|t| format!("; target {}", figure(t)))
            .unwrap_or_default(),
        latest
            .map(|v| format!(" Latest value: {} in {}.", figure(v.tenths), v.year))
            .unwrap_or_else(|| " No value yet.".into()),
    );
    Chart {
        title: format!(
            "Indicator {}, {}–{}",
            i.code, plan.first_year, plan.last_year
        ),
        description,
        body: ChartBody::Bars(Bars {
            x_label: "Year".into(),
            y_label: unit_label.into(),
            categories: years.iter().map(ToString::to_string).collect(),
            series: vec![Series {
                name: "Value".into(),
                values: years
                    .iter()
                    .map(|y| by_year.get(y).map(|t| tenths(*t, i.unit)))
                    .collect(),
            }],
            share: None,
            references,
        }),
    }
}
