//! An action plan's progress report for a year (docs/domain.md §14): each section, action
//! and indicator with this year's and last year's values, the change, whether the target is
//! met and the States missing, from [`crate::domain::action_plan::values::progress`]; and the
//! indicators' charts ([`super::charts::indicators`], read together) for those with a value
//! in either year, at most [`MAX_INDICATOR_CHARTS`].

use std::collections::HashMap;

use entity::state;
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::Context;
use super::blocks::{self, count, document, facts, figure, paragraph, section, share};
use crate::auth::Viewer;
use crate::domain::action_plan::values::IndicatorProgress;
use crate::domain::action_plan::{plans, values};
use crate::kernel::error::ServiceError;
use crate::kernel::typeset::{Document, Section};

/// Most indicators charted in one report: the first ones, in action order, with a value
/// this year or last (the charts are read together, in a fixed number of statements; the
/// cap keeps the report readable). The tables hold every indicator.
pub const MAX_INDICATOR_CHARTS: usize = 12;

/// The progress report of plan `plan` for `year`; `None` for an unknown plan or a year
/// outside the plan's years. Every signed-in user may read it
/// ([`super::access::action_plan_report`]).
pub async fn progress_report(
    cx: Context<'_>,
    viewer: &Viewer,
    plan: Uuid,
    year: i32,
) -> Result<Option<Document>, ServiceError> {
    let Some(plan) = plans::get_plans(cx.db, &[plan]).await?.pop() else {
        return Ok(None);
    };
    if !(plan.first_year..=plan.last_year).contains(&year)
        || !crate::kernel::validate::YEARS.contains(&year)
    {
        return Ok(None);
    }
    let progress = values::progress(cx.db, &plan, year, cx.today).await?;
    let actions = plans::actions_of(cx.db, &[plan.id])
        .await?
        .remove(&plan.id)
        .unwrap_or_default();
    // The registry, for the names of the States missing (one read, whatever their number).
    let names: HashMap<String, String> = state::Entity::find()
        .all(cx.db)
        .await?
        .into_iter()
        .map(|s| (s.code, s.name))
        .collect();
    let with_value: Vec<&IndicatorProgress> = progress
        .indicators
        .iter()
        .filter(|p| p.current.is_some() || p.previous.is_some())
        .collect();
    let charted: Vec<&IndicatorProgress> = with_value
        .iter()
        .take(MAX_INDICATOR_CHARTS)
        .copied()
        .collect();
    let ids: Vec<Uuid> = charted.iter().map(|p| p.indicator.id).collect();
    let mut drawn = super::charts::indicators(cx, viewer, &ids).await?;
    let charts: Vec<_> = charted
        .iter()
        .filter_map(|p| {
            let chart = drawn.remove(&p.indicator.id)?;
            Some(figure(
                &chart,
                format!("Indicator {}: {}", p.indicator.code, p.indicator.text),
            ))
        })
        .collect();

    let (current, met, not_met) = (
        progress.with_value(),
        progress.targets(true),
        progress.targets(false),
    );
    let total = progress.indicators.len();
    let mut sections = vec![section(
        "Summary",
        vec![
            paragraph(format!(
                "The progress of {} ({} to {}) in {year}: each action's indicators with their \
                 value in {year} and in {}, the change, whether the target is met, and the States \
                 parties that the year's value does not count yet. The values of {year} are as \
                 of {}.",
                plan.title,
                plan.first_year,
                plan.last_year,
                year - 1,
                crate::kernel::figures::long_date(cx.today),
            )),
            facts([
                ("Actions", count(actions.len())),
                ("Indicators", count(total)),
                (
                    "With a value for the year",
                    format!("{} ({})", count(current), share(current, total)),
                ),
                ("Target met", count(met)),
                ("Target not yet met", count(not_met)),
            ]),
        ],
    )];

    // Sections in the order of their first action; actions by number.
    let mut order: Vec<&str> = Vec::new();
    for a in &actions {
        if !order.contains(&a.section.as_str()) {
            order.push(a.section.as_str());
        }
    }
    for heading in order {
        let subsections = actions
            .iter()
            .filter(|a| a.section == heading)
            .map(|a| {
                let of_action: Vec<&IndicatorProgress> = progress
                    .indicators
                    .iter()
                    .filter(|p| p.action.id == a.id)
                    .collect();
                let mut blocks_of = vec![
                    paragraph(a.text.clone()),
                    blocks::table(
                        format!("Indicators of action {}", a.number),
                        &indicator_columns(year),
                        of_action.iter().map(|p| indicator_row(p)).collect(),
                        "This action has no indicator.",
                    ),
                ];
                for p in &of_action {
                    if let Some(v) = p.current.as_ref().filter(|v| !v.missing.is_empty()) {
                        let missing: Vec<&str> = v
                            .missing
                            .iter()
                            .map(|c| names.get(c).map_or(c.as_str(), String::as_str))
                            .collect();
                        blocks_of.push(paragraph(format!(
                            "States parties missing from {} in {year} ({}): {}.",
                            p.indicator.code,
                            count(missing.len()),
                            missing.join(", ")
                        )));
                    }
                }
                Section {
                    heading: format!("Action {}", a.number),
                    blocks: blocks_of,
                    subsections: Vec::new(),
                }
            })
            .collect();
        sections.push(Section {
            heading: heading.to_owned(),
            blocks: Vec::new(),
            subsections,
        });
    }

    let mut chart_blocks = vec![paragraph(if with_value.len() > MAX_INDICATOR_CHARTS {
        format!(
            "Each chart shows an indicator's values per year against its baseline and target. \
             {} indicators have a value in {year} or {}; the first {MAX_INDICATOR_CHARTS}, in \
             action order, are charted, and the tables above give every one.",
            count(with_value.len()),
            year - 1
        )
    } else {
        format!(
            "Each chart shows an indicator's values per year against its baseline and target: \
             every indicator with a value in {year} or {} is charted.",
            year - 1
        )
    })];
    if charts.is_empty() {
        chart_blocks.push(paragraph(format!(
            "No indicator has a value in {year} or {}.",
            year - 1
        )));
    }
    chart_blocks.extend(charts);
    sections.push(section("Charts", chart_blocks));

    Ok(Some(document(
        format!("{}: progress report {year}", plan.title),
        Some(format!(
            "Action plan {} to {}, the year {year}",
            plan.first_year, plan.last_year
        )),
        cx.today,
        sections,
    )))
}

/// The columns of an indicator's row ([`indicator_row`]).
pub(super) fn indicator_columns(year: i32) -> Vec<(String, bool)> {
    [
        ("Code".to_owned(), false),
        ("Indicator".to_owned(), false),
        ("Baseline".to_owned(), true),
        ((year - 1).to_string(), true),
        (year.to_string(), true),
        ("Change".to_owned(), true),
        ("Target".to_owned(), true),
        ("Target met".to_owned(), false),
    ]
    .to_vec()
}

/// An indicator's row: code, text, baseline, last year's and this year's values, the change,
/// the target and whether it is met.
pub(super) fn indicator_row(p: &IndicatorProgress) -> Vec<String> {
    let i = &p.indicator;
    let figure = |t: Option<i64>| t.map_or_else(|| "–".to_owned(), |t| blocks::tenths(i.unit, t));
    vec![
        i.code.clone(),
        i.text.clone(),
        figure(i.baseline_tenths),
        figure(p.previous.as_ref().map(|v| v.tenths)),
        figure(p.current.as_ref().map(|v| v.tenths)),
        p.change_tenths
            .map_or_else(|| "–".to_owned(), |t| blocks::change(i.unit, t)),
        figure(i.target_tenths),
        blocks::yes_no(p.target_met),
    ]
}
