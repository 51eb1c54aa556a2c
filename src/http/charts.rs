//! `GET /charts/{name}.svg` and `.csv`, and `/charts/indicators/{id}.svg` and `.csv`: the
//! charts of [`crate::domain::publications::charts`], drawn by [`crate::kernel::charts`],
//! for whoever [`crate::domain::publications::access::chart`] allows. 404 with a plain
//! message for an unknown chart, year, meeting or indicator; 400 for a bad year or range.
//! Caching (`ETag`, 304) is [`super::caching`]'s.
//!
//! The order of the checks: the token (401 when one is sent that does not authenticate),
//! the chart's name and extension (404), who may read it (401 without a token, 403), the
//! query (400), then the data (404 for a year, meeting or indicator with nothing recorded).
//! Query parameters: `from` and `to` (reporting compliance: four-digit years, at most
//! [`MAX_YEARS`] of them, not reversed; by default 2011 to this year), `year` (budget
//! execution and contributions: a four-digit year, by default this year), `meeting`
//! (sponsorship balance: required, a Meeting's global ID).

use std::collections::HashMap;

use axum::{
    extract::{Path, RawQuery, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Datelike;

use super::exports::csv_response;
use super::{
    AppState, caller, error_response, fault_response, four_digit_year, not_found,
    publications_context, refused,
};
use crate::domain::publications::access::{self, ChartName};
use crate::domain::publications::charts;
use crate::kernel::charts::Chart;

/// Most reporting years one compliance chart covers.
pub const MAX_YEARS: i32 = 50;

/// The first reporting year: the Convention entered into force on 1 August 2010, and the
/// first annual reports covered 2010 (due 30 April 2011); the default range starts with the
/// first full year.
const FIRST_DEFAULT_YEAR: i32 = 2011;

/// What the file asks for: SVG or CSV.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Csv,
}

/// `name.svg` → (`name`, SVG); `None` for another extension.
fn split(file: &str) -> Option<(&str, Format)> {
    let (stem, ext) = file.rsplit_once('.')?;
    match ext {
        "svg" => Some((stem, Format::Svg)),
        "csv" => Some((stem, Format::Csv)),
        _ => None,
    }
}

fn bad_input(message: &str) -> Response {
    error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", message)
}

/// The 401's message.
const CHARTS_SIGN_IN: &str =
    "Send `Authorization: Bearer <accessToken>`: charts are for signed-in users.";

const NAMES: &str = "Ask for /charts/{name}.svg or .csv, the name one of reporting-compliance, \
    obligations, budget-execution, contributions, cooperation-coverage, sponsorship-balance; \
    or /charts/indicators/{indicatorId}.svg.";

/// The query's parameters (the last of a repeated one counts).
fn params(query: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// A year parameter: four digits and within the years the system accepts; `default` when
/// absent. The error is the 400's message.
fn year_param(
    params: &HashMap<String, String>,
    name: &str,
    default: i32,
    ask: &str,
) -> Result<i32, String> {
    let Some(text) = params.get(name) else {
        return Ok(default);
    };
    let Some(year) = four_digit_year(text) else {
        return Err(format!("`{name}` must be a year of four digits. {ask}"));
    };
    let years = crate::kernel::validate::YEARS;
    if years.contains(&year) {
        Ok(year)
    } else {
        Err(format!(
            "`{name}` must be from {} to {}. {ask}",
            years.start(),
            years.end()
        ))
    }
}

/// The chart as SVG, or its figures as CSV named `filename.csv`.
fn respond(chart: &Chart, format: Format, filename: &str) -> Response {
    match format {
        Format::Svg => (
            [
                (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
                // Opened on its own, the document may run nothing and load nothing.
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'",
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            crate::kernel::charts::svg(chart),
        )
            .into_response(),
        Format::Csv => csv_response(
            &format!("{filename}.csv"),
            crate::kernel::charts::csv(chart),
        ),
    }
}

/// `GET /charts/{file}`.
pub(super) async fn chart(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    // A token that does not authenticate is refused first, whatever it asks for.
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let Some((stem, format)) = split(&file) else {
        return not_found(NAMES);
    };
    let Some(name) = ChartName::from_stem(stem) else {
        return not_found(NAMES);
    };
    if let Some(resp) = refused(access::chart(&viewer, name), CHARTS_SIGN_IN) {
        return resp;
    }
    let cx = publications_context(&state);
    let this_year = cx.today.year();
    let params = params(query.as_deref());
    let built = match name {
        ChartName::ReportingCompliance => {
            let ask = "Ask for /charts/reporting-compliance.svg?from=YYYY&to=YYYY.";
            let from = match year_param(&params, "from", FIRST_DEFAULT_YEAR, ask) {
                Ok(y) => y,
                Err(message) => return bad_input(&message),
            };
            let to = match year_param(&params, "to", this_year, ask) {
                Ok(y) => y,
                Err(message) => return bad_input(&message),
            };
            if from > to {
                return bad_input(&format!(
                    "The range is reversed: `from` ({from}) comes after `to` ({to}). {ask}"
                ));
            }
            if to - from + 1 > MAX_YEARS {
                return bad_input(&format!(
                    "The range covers {} years; a chart covers at most {MAX_YEARS}. {ask}",
                    to - from + 1
                ));
            }
            charts::reporting_compliance(cx, &viewer, from, to)
                .await
                .map(|c| Some((c, format!("reporting-compliance-{from}-{to}"))))
        }
        ChartName::Obligations => charts::obligations(cx, &viewer)
            .await
            .map(|c| Some((c, "obligations".to_owned()))),
        ChartName::BudgetExecution | ChartName::Contributions => {
            let ask = format!("Ask for /charts/{stem}.svg?year=YYYY.");
            let year = match year_param(&params, "year", this_year, &ask) {
                Ok(y) => y,
                Err(message) => return bad_input(&message),
            };
            let found = if name == ChartName::BudgetExecution {
                charts::budget_execution(cx, &viewer, year).await
            } else {
                charts::contributions(cx, &viewer, year).await
            };
            match found {
                Ok(None) => {
                    let what = if name == ChartName::BudgetExecution {
                        "No workplan is recorded"
                    } else {
                        "No contribution was invoiced"
                    };
                    return not_found(&format!("{what} for {year}. {ask}"));
                }
                other => other.map(|c| c.map(|c| (c, format!("{stem}-{year}")))),
            }
        }
        ChartName::CooperationCoverage => charts::cooperation_coverage(cx, &viewer)
            .await
            .map(|c| Some((c, "cooperation-coverage".to_owned()))),
        ChartName::SponsorshipBalance => {
            let ask = "Ask for /charts/sponsorship-balance.svg?meeting={meetingId} with a \
                       meeting's ID.";
            let Some(text) = params.get("meeting") else {
                return bad_input(&format!("`meeting` is required. {ask}"));
            };
            let Some(id) = crate::api::ids::key::<crate::api::sponsorship::types::Meeting>(text)
            else {
                return not_found(&format!("No meeting has the ID {text}. {ask}"));
            };
            match charts::sponsorship_balance(cx, &viewer, id).await {
                Ok(None) => return not_found(&format!("No meeting has the ID {text}. {ask}")),
                other => other.map(|c| c.map(|c| (c, "sponsorship-balance".to_owned()))),
            }
        }
        // Served under /charts/indicators/.
        ChartName::Indicator => Ok(None),
    };
    match built {
        Ok(Some((chart, filename))) => respond(&chart, format, &filename),
        Ok(None) => not_found(NAMES),
        Err(e) => fault_response(e),
    }
}

/// `GET /charts/indicators/{file}`.
pub(super) async fn indicator_chart(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let ask = "Ask for /charts/indicators/{indicatorId}.svg or .csv with an action plan \
               indicator's ID.";
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let Some((text, format)) = split(&file) else {
        return not_found(ask);
    };
    if let Some(resp) = refused(access::chart(&viewer, ChartName::Indicator), CHARTS_SIGN_IN) {
        return resp;
    }
    let Some(id) = crate::api::ids::key::<crate::api::action_plan::types::ActionIndicator>(text)
    else {
        return not_found(&format!("No indicator has the ID {text}. {ask}"));
    };
    match charts::indicator(publications_context(&state), &viewer, id).await {
        Ok(Some(chart)) => respond(&chart, format, &format!("indicator-{text}")),
        Ok(None) => not_found(&format!("No indicator has the ID {text}. {ask}")),
        Err(e) => fault_response(e),
    }
}
