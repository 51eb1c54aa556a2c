//! CSV exports (`/exports/…`): for ISU staff (among them the extension milestones, who must
//! ask for more time and by when), except the decisions' table, which holds what the caller
//! may read, and an action plan's progress, which everyone may read. Each
//! answers 401 with a `WWW-Authenticate` challenge without a valid token (where one is
//! needed, or when one is sent that does not authenticate) and 403 for other roles; their
//! caching (`ETag`, `Cache-Control`, 304) is [`super::caching`]'s, by the policy the router
//! gives each.

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{AppState, caller, error_response, fault_response, unauthorized};

/// The viewer of an export, who must be ISU staff; otherwise the response: 401 with
/// `WWW-Authenticate: Bearer` without a token, `Bearer error="invalid_token"` with a token
/// that does not authenticate (RFC 6750 §3), and 403 for anyone else.
async fn isu_viewer(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<crate::auth::Viewer, Response> {
    match caller(state, headers).await? {
        v if v.is_isu() => Ok(v),
        v if v.principal().is_some() => Err(error_response(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Exports are for ISU staff.",
        )),
        _ => Err(unauthorized(
            "Bearer",
            "Send `Authorization: Bearer <accessToken>`.",
        )),
    }
}

/// A cell of text that people typed: one that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe.
pub(super) fn typed_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub(super) fn csv_response(filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /exports/compliance/{year}.csv`: each State owing the annual report for the year,
/// its due date, submission date and whether it was on time. ISU staff only.
pub(super) async fn compliance_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(resp) = isu_viewer(&state, &headers).await {
        return resp;
    }
    let Some(year) = file
        .strip_suffix(".csv")
        .and_then(|y| y.parse::<i32>().ok())
    else {
        return error_response(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Ask for /exports/compliance/YYYY.csv.",
        );
    };
    if let Some(resp) = year_out_of_range(year) {
        return resp;
    }
    let compliance = match crate::domain::reports::service::compliance(&state.ctx.db, year).await {
        Ok(c) => c,
        Err(e) => {
            return fault_response(e);
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let header_row = [
        "state_code",
        "state_name",
        "regional_group",
        "reporting_year",
        "due_date",
        "status",
        "submitted_on",
        "on_time",
    ];
    let mut rows = vec![w.write_record(header_row)];
    for (s, due, report) in &compliance.owing {
        let name = typed_cell(&s.name);
        let region = s
            .regional_group
            .map(|g| sea_orm::ActiveEnum::to_value(&g))
            .unwrap_or_default();
        let (status, submitted, on_time) = match report {
            Some(r) => (
                sea_orm::ActiveEnum::to_value(&r.status),
                r.submitted_at
                    .map(|t| t.date_naive().to_string())
                    .unwrap_or_default(),
                r.on_time
                    .map(|b| if b { "yes" } else { "no" })
                    .unwrap_or_default()
                    .to_owned(),
            ),
            None if compliance.not_recorded.contains(&s.code) => {
                ("NOT_RECORDED".to_owned(), String::new(), String::new())
            }
            None => ("MISSING".to_owned(), String::new(), String::new()),
        };
        rows.push(w.write_record([
            s.code.as_str(),
            name.as_str(),
            region.as_str(),
            &year.to_string(),
            &due.to_string(),
            status.as_str(),
            submitted.as_str(),
            on_time.as_str(),
        ]));
    }
    match (
        rows.into_iter().collect::<Result<Vec<_>, _>>(),
        w.into_inner(),
    ) {
        (Ok(_), Ok(body)) => csv_response(&format!("compliance-{year}.csv"), body),
        _ => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "CSV could not be written.",
        ),
    }
}

/// `GET /exports/sponsorship/{meetingId}.csv`: every application to a meeting with the
/// delegate's details, amounts and decision, by State. ISU staff only: it holds personal
/// data, and is what the ISU sends to the travel agent and (without names) to donors.
pub(super) async fn sponsorship_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match isu_viewer(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let not_found = || {
        error_response(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Ask for /exports/sponsorship/{meetingId}.csv with the meeting's ID.",
        )
    };
    let Some(id) = file
        .strip_suffix(".csv")
        .and_then(crate::api::ids::key::<crate::api::sponsorship::types::Meeting>)
    else {
        return not_found();
    };
    let ctx = &state.ctx;
    let (meeting, applications) = match crate::domain::sponsorship::service::export(
        &ctx.db,
        &ctx.sponsorship,
        &viewer,
        id,
        ctx.clock.today(),
    )
    .await
    {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(e) => {
            return fault_response(e);
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut rows = vec![w.write_record([
        "application_id",
        "meeting",
        "state_code",
        "state_name",
        "regional_group",
        "delegate_name",
        "gender",
        "position",
        "email",
        "status",
        "eligible",
        "requested_travel",
        "requested_days",
        "daily_allowance",
        "requested_total",
        "approved_amount",
        "currency",
        "submitted_at",
        "decided_at",
        "decision_note",
    ])];
    let amount = |c: i64| crate::kernel::money::from_cents(c).to_string();
    for a in &applications {
        let r = &a.row;
        let region = a
            .state
            .regional_group
            .map(|g| sea_orm::ActiveEnum::to_value(&g))
            .unwrap_or_default();
        rows.push(
            w.write_record([
                crate::api::ids::encode(
                    crate::api::sponsorship::types::SponsorshipApplication::KIND,
                    r.id,
                )
                .0,
                typed_cell(&meeting.title),
                r.state_code.clone(),
                typed_cell(&a.state.name),
                region,
                typed_cell(&r.delegate_name),
                sea_orm::ActiveEnum::to_value(&r.delegate_gender),
                typed_cell(r.delegate_position.as_deref().unwrap_or_default()),
                typed_cell(r.delegate_email.as_deref().unwrap_or_default()),
                sea_orm::ActiveEnum::to_value(&r.status),
                if a.eligibility.eligible { "yes" } else { "no" }.to_owned(),
                amount(r.travel_cents),
                r.requested_days.to_string(),
                amount(meeting.dsa_cents.unwrap_or(0)),
                amount(a.requested_total_cents()),
                r.approved_cents.map(amount).unwrap_or_default(),
                a.currency().to_owned(),
                r.submitted_at.to_rfc3339(),
                r.decided_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                typed_cell(r.decision_note.as_deref().unwrap_or_default()),
            ]),
        );
    }
    match (
        rows.into_iter().collect::<Result<Vec<_>, _>>(),
        w.into_inner(),
    ) {
        (Ok(_), Ok(body)) => csv_response(&format!("sponsorship-{file}"), body),
        _ => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "CSV could not be written.",
        ),
    }
}

/// The year in `{year}.csv`.
fn csv_year(file: &str) -> Option<i32> {
    file.strip_suffix(".csv")
        .and_then(|y| y.parse::<i32>().ok())
}

/// 400 for a year outside [`crate::kernel::validate::YEARS`] (a far year overflowed the
/// date arithmetic into a 500).
pub(super) fn year_out_of_range(year: i32) -> Option<Response> {
    let years = crate::kernel::validate::YEARS;
    (!years.contains(&year)).then(|| {
        error_response(
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
            &format!(
                "The year must be from {} to {}.",
                years.start(),
                years.end()
            ),
        )
    })
}

/// The 404 that says how to ask for a yearly export.
fn no_such_year(what: &str) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        &format!("Ask for /exports/{what}/YYYY.csv."),
    )
}

/// Writes the rows as CSV, or answers the fault.
fn csv_body(filename: &str, rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::Writer::from_writer(Vec::new());
    let written: Result<Vec<()>, _> = rows.iter().map(|r| w.write_record(r)).collect();
    match (written, w.into_inner()) {
        (Ok(_), Ok(body)) => csv_response(filename, body),
        _ => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_SERVER_ERROR",
            "CSV could not be written.",
        ),
    }
}

/// `GET /exports/workplan/{year}.csv`: the year's budget lines with their activities,
/// amounts, spending and what remains. ISU staff only.
pub(super) async fn workplan_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match isu_viewer(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let Some(year) = csv_year(&file) else {
        return no_such_year("workplan");
    };
    if let Some(resp) = year_out_of_range(year) {
        return resp;
    }
    let view =
        match crate::domain::budget::service::export_workplan(&state.ctx.db, &viewer, year).await {
            Ok(Some(v)) => v,
            Ok(None) => {
                return error_response(
                    StatusCode::NOT_FOUND,
                    "NOT_FOUND",
                    &format!("There is no workplan for {year}."),
                );
            }
            Err(e) => return fault_response(e),
        };
    let amount = |c: i64| crate::kernel::money::from_cents(c).to_string();
    let w = &view.workplan;
    let mut rows = vec![
        [
            "year",
            "workplan_status",
            "category",
            "description",
            "activity",
            "action_plan_reference",
            "amount",
            "spent",
            "remaining",
            "currency",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for l in &view.lines {
        let activity = view.activity(l.activity_id);
        rows.push(vec![
            w.year.to_string(),
            sea_orm::ActiveEnum::to_value(&w.status),
            sea_orm::ActiveEnum::to_value(&l.category),
            typed_cell(&l.description),
            typed_cell(activity.as_ref().map_or("", |a| a.title.as_str())),
            typed_cell(
                activity
                    .as_ref()
                    .and_then(|a| a.action_plan_reference.as_deref())
                    .unwrap_or_default(),
            ),
            amount(l.amount_cents),
            amount(l.spent_cents),
            amount(l.amount_cents - l.spent_cents),
            w.currency.clone(),
        ]);
    }
    csv_body(&format!("workplan-{year}.csv"), rows)
}

/// `GET /exports/contributions/{year}.csv`: each State party's rate, share, invoiced,
/// received and outstanding amounts for the year. ISU staff only.
pub(super) async fn contributions_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match isu_viewer(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let Some(year) = csv_year(&file) else {
        return no_such_year("contributions");
    };
    if let Some(resp) = year_out_of_range(year) {
        return resp;
    }
    let status = match crate::domain::budget::service::export_contributions(
        &state.ctx.db,
        &state.ctx.budget,
        &viewer,
        year,
    )
    .await
    {
        Ok(s) => s,
        Err(crate::kernel::error::ServiceError::Refused(r)) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_USER_INPUT",
                &r.into_iter()
                    .map(|r| r.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        Err(e) => return fault_response(e),
    };
    let amount = |c: i64| crate::kernel::money::from_cents(c).to_string();
    let mut rows = vec![
        [
            "year",
            "state_code",
            "state_name",
            "rate",
            "share",
            "invoiced",
            "received",
            "outstanding",
            "currency",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for c in &status.contributions {
        rows.push(vec![
            year.to_string(),
            c.state.code.clone(),
            typed_cell(&c.state.name),
            c.rate.to_string(),
            format!("{:.6}", c.share),
            amount(c.invoiced),
            amount(c.received),
            amount(c.invoiced - c.received),
            status.currency.clone(),
        ]);
    }
    csv_body(&format!("contributions-{year}.csv"), rows)
}

/// The query of `/exports/decisions.csv`.
#[derive(Debug, serde::Deserialize)]
pub(super) struct DecisionsQuery {
    /// A meeting's global ID.
    meeting: Option<String>,
    /// Statuses, comma-separated.
    status: Option<String>,
}

/// `GET /exports/decisions.csv?meeting=<id>&status=IN_PROGRESS,NOT_STARTED`: the "status of
/// implementation" table of the decisions the caller may read (PUBLIC ones for everyone,
/// all for the ISU): meeting, reference, kind, text, responsible, due date, status,
/// overdue, management response, latest comment, last updated.
pub(super) async fn decisions_csv(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<DecisionsQuery>,
    headers: HeaderMap,
) -> Response {
    use entity::enums::ImplementationStatus;
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let bad = |m: &str| error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", m);
    let mut filter = crate::domain::records::decisions::DecisionFilter::default();
    if let Some(m) = &q.meeting {
        match crate::api::ids::key::<crate::api::sponsorship::types::Meeting>(m) {
            Some(id) => filter.meeting_id = Some(id),
            None => return bad("`meeting` is not a meeting's ID."),
        }
    }
    if let Some(list) = &q.status {
        let mut statuses = Vec::new();
        for s in list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .take(10)
        {
            match <ImplementationStatus as sea_orm::ActiveEnum>::try_from_value(&s.to_uppercase()) {
                Ok(v) => statuses.push(v),
                Err(_) => {
                    return bad(&format!(
                        "`{}` is not a status.",
                        s.chars().take(40).collect::<String>()
                    ));
                }
            }
        }
        filter.status = Some(statuses);
    }
    let db = &state.ctx.db;
    let today = state.ctx.clock.today();
    let rows =
        match crate::domain::records::decisions::all_matching(db, &viewer, &filter, today).await {
            Ok(r) => r,
            Err(e) => return fault_response(e),
        };
    let ids: Vec<uuid::Uuid> = rows.iter().map(|d| d.id).collect();
    let meeting_ids: Vec<uuid::Uuid> = rows.iter().map(|d| d.meeting_id).collect();
    let (updates, meetings) = match tokio::try_join!(
        crate::domain::records::decisions::updates_of(db, &ids),
        crate::domain::sponsorship::service::get_meetings(db, &meeting_ids),
    ) {
        Ok(x) => x,
        Err(e) => return fault_response(e),
    };
    let title = |id: uuid::Uuid| {
        meetings
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.title.clone())
            .unwrap_or_default()
    };
    let mut out = vec![
        [
            "meeting",
            "reference",
            "kind",
            "text",
            "responsible",
            "due_on",
            "status",
            "overdue",
            "management_response",
            "latest_comment",
            "last_updated",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for d in &rows {
        let latest = updates
            .get(&d.id)
            .and_then(|u| u.iter().rev().find_map(|u| u.comment.clone()))
            .unwrap_or_default();
        out.push(vec![
            typed_cell(&title(d.meeting_id)),
            typed_cell(&d.reference),
            sea_orm::ActiveEnum::to_value(&d.kind),
            typed_cell(&d.text),
            typed_cell(&d.responsible),
            d.due_on.map(|x| x.to_string()).unwrap_or_default(),
            sea_orm::ActiveEnum::to_value(&d.status),
            if crate::rules::follow_up::overdue(d.due_on, d.status, today) {
                "yes"
            } else {
                "no"
            }
            .to_owned(),
            typed_cell(d.management_response.as_deref().unwrap_or_default()),
            typed_cell(&latest),
            d.updated_at.to_rfc3339(),
        ]);
    }
    csv_body("decisions.csv", out)
}

/// The query of `/exports/action-plans/{id}/progress.csv`.
#[derive(Debug, serde::Deserialize)]
pub(super) struct ProgressQuery {
    /// The year, four digits.
    year: Option<String>,
}

/// A figure kept in tenths, exactly: one decimal, none for a whole COUNT (a number of
/// States).
fn tenths_cell(unit: entity::enums::IndicatorUnit, tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    match unit {
        entity::enums::IndicatorUnit::Count if tenth == 0 => format!("{sign}{whole}"),
        _ => format!("{sign}{whole}.{tenth}"),
    }
}

/// `GET /exports/action-plans/{planId}/progress.csv?year=YYYY`: the plan's progress in the
/// year, one row per indicator in action order, then by code: section, action number,
/// indicator code, text and unit, baseline, target, the value the year before and in the
/// year, the change, whether the target is met, and the States missing from the year's
/// value (ISO codes, space-separated). Everyone may read plans: no token is needed (one
/// that does not authenticate is still a 401). 404 for an unknown plan, 400 for a year that
/// is not four digits from 2010 to 2100.
pub(super) async fn action_plan_progress_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<axum::extract::Query<ProgressQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Response {
    use crate::domain::action_plan::{plans, values};
    if let Err(resp) = caller(&state, &headers).await {
        return resp;
    }
    let not_found = || {
        error_response(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Ask for /exports/action-plans/{planId}/progress.csv?year=YYYY with the plan's ID.",
        )
    };
    let Some(plan_id) = crate::api::ids::key::<crate::api::action_plan::types::ActionPlan>(&id)
    else {
        return not_found();
    };
    let ask = "Ask for ?year=YYYY, e.g. ?year=2025.";
    let bad = |m: &str| error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", m);
    let year = match query.as_ref().map(|q| q.year.as_deref()) {
        Ok(Some(y)) => match super::four_digit_year(y) {
            Some(y) => y,
            None => return bad(&format!("`year` is not a year. {ask}")),
        },
        Ok(None) => return bad(&format!("`year` is missing. {ask}")),
        Err(_) => return bad(&format!("The query could not be read. {ask}")),
    };
    if let Some(resp) = year_out_of_range(year) {
        return resp;
    }
    let db = &state.ctx.db;
    let plan = match plans::get_plans(db, &[plan_id]).await {
        Ok(mut found) => match found.pop() {
            Some(p) => p,
            None => return not_found(),
        },
        Err(e) => return fault_response(e),
    };
    let progress = match values::progress(db, &plan, year, state.ctx.clock.today()).await {
        Ok(p) => p,
        Err(e) => return fault_response(e),
    };
    let mut rows = vec![
        [
            "section",
            "action",
            "code",
            "text",
            "unit",
            "baseline",
            "target",
            "previous",
            "current",
            "change",
            "target_met",
            "missing_states",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for p in &progress.indicators {
        let i = &p.indicator;
        let figure = |t: Option<i64>| t.map(|t| tenths_cell(i.unit, t)).unwrap_or_default();
        rows.push(vec![
            typed_cell(&p.action.section),
            p.action.number.to_string(),
            typed_cell(&i.code),
            typed_cell(&i.text),
            sea_orm::ActiveEnum::to_value(&i.unit),
            figure(i.baseline_tenths),
            figure(i.target_tenths),
            figure(p.previous.as_ref().map(|v| v.tenths)),
            figure(p.current.as_ref().map(|v| v.tenths)),
            figure(p.change_tenths),
            p.target_met
                .map(|m| if m { "yes" } else { "no" })
                .unwrap_or_default()
                .to_owned(),
            p.current
                .as_ref()
                .map(|v| v.missing.join(" "))
                .unwrap_or_default(),
        ]);
    }
    csv_body(
        &format!(
            "action-plan-{}-{}-progress-{year}.csv",
            plan.first_year, plan.last_year
        ),
        rows,
    )
}

/// `GET /exports/experts.csv`: the roster of experts, one line each (inactive ones too),
/// with their contact details. ISU staff only, and never kept by a cache (`no-store`): it
/// holds personal data.
pub(super) async fn experts_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let viewer = match isu_viewer(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let roster = match crate::domain::experts::service::roster(&state.ctx.db, &viewer).await {
        Ok(r) => r,
        Err(e) => return fault_response(e),
    };
    // A multi-valued cell: its values as stored, separated by "; ".
    let list = |column: &str| {
        column
            .split(',')
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let optional = |text: Option<&str>| typed_cell(text.unwrap_or_default());
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut rows = vec![
        [
            "expert_id",
            "full_name",
            "gender",
            "nationality_code",
            "nationality",
            "organization",
            "areas",
            "assistance_types",
            "languages",
            "regions",
            "years_of_experience",
            "available_from",
            "available_until",
            "email",
            "phone",
            "south_south",
            "consent_given_on",
            "active",
            "biography",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for line in &roster {
        let e = &line.expert;
        rows.push(vec![
            crate::api::ids::encode(crate::api::experts::types::Expert::KIND, e.id).0,
            typed_cell(&e.full_name),
            sea_orm::ActiveEnum::to_value(&e.gender),
            e.nationality_code.clone().unwrap_or_default(),
            optional(line.state.as_ref().map(|s| s.name.as_str())),
            optional(e.organization.as_deref()),
            list(&e.areas),
            list(&e.assistance_types),
            list(&e.languages),
            list(&e.regions),
            e.years_of_experience
                .map(|y| y.to_string())
                .unwrap_or_default(),
            day(e.available_from),
            day(e.available_until),
            optional(e.email.as_deref()),
            optional(e.phone.as_deref()),
            if line.south_south { "yes" } else { "no" }.to_owned(),
            e.consent_given_on.to_string(),
            if e.active { "yes" } else { "no" }.to_owned(),
            optional(e.biography.as_deref()),
        ]);
    }
    csv_body("experts.csv", rows)
}

/// The query of `/exports/extension-milestones.csv`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MilestonesQuery {
    /// The window in months from today, 0 to 120; 36 when absent.
    within_months: Option<String>,
}

/// `GET /exports/extension-milestones.csv?withinMonths=36`: what `extensionMilestones` lists,
/// one line per open Article 3 or 4 deadline falling due within the window (36 months when
/// absent; 400 outside 0 to 120), soonest day to submit first: State code and name, kind,
/// deadline, whether it was extended, the meeting that would decide a request and when it
/// opens, the last day to submit, the days left (negative once passed) and the status of
/// the request under way (empty when there is none). ISU staff only.
pub(super) async fn extension_milestones_csv(
    State(state): State<AppState>,
    query: Result<axum::extract::Query<MilestonesQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
) -> Response {
    use crate::domain::extensions::milestones::{self, DEFAULT_WITHIN_MONTHS};
    let viewer = match isu_viewer(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let bad = |m: &str| error_response(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", m);
    let months = match query.as_ref().map(|q| q.within_months.as_deref()) {
        Ok(None) => i64::from(DEFAULT_WITHIN_MONTHS),
        Ok(Some(m)) => match m.trim().parse::<i64>() {
            Ok(m) => m,
            Err(_) => return bad("`withinMonths` is a whole number of months, 0 to 120."),
        },
        Err(_) => return bad("The query could not be read. Ask for ?withinMonths=36."),
    };
    let today = state.ctx.clock.today();
    let lines = match milestones::milestones(&state.ctx.db, &viewer, today, months).await {
        Ok(l) => l,
        Err(crate::kernel::error::ServiceError::Refused(r)) => {
            return bad(&r
                .into_iter()
                .map(|r| r.message)
                .collect::<Vec<_>>()
                .join(" "));
        }
        Err(e) => return fault_response(e),
    };
    let mut rows = vec![
        [
            "state_code",
            "state_name",
            "kind",
            "due_date",
            "extended",
            "deciding_meeting",
            "meeting_opens",
            "submit_by",
            "days_to_submit",
            "request_status",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for l in &lines {
        let o = &l.obligation;
        rows.push(vec![
            l.state.code.clone(),
            typed_cell(&l.state.name),
            sea_orm::ActiveEnum::to_value(&entity::enums::ObligationKind::from(o.kind)),
            o.due_date.to_string(),
            if o.extended { "yes" } else { "no" }.to_owned(),
            typed_cell(l.deciding_meeting.as_ref().map_or("", |m| m.title.as_str())),
            l.deciding_meeting
                .as_ref()
                .map(|m| m.starts_on.to_string())
                .unwrap_or_default(),
            l.submit_by.map(|d| d.to_string()).unwrap_or_default(),
            l.days_to_submit.map(|d| d.to_string()).unwrap_or_default(),
            l.request
                .as_ref()
                .map(|r| sea_orm::ActiveEnum::to_value(&r.status))
                .unwrap_or_default(),
        ]);
    }
    csv_body("extension-milestones.csv", rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_written_from_tenths_exactly() {
        use entity::enums::IndicatorUnit::{Count, Percent};
        let cases = [
            (Percent, 667, "66.7"),
            (Percent, 0, "0.0"),
            (Percent, 1000, "100.0"),
            (Percent, -3, "-0.3"),
            (Percent, -334, "-33.4"),
            (Count, 20, "2"),
            (Count, -10, "-1"),
            (Count, 25, "2.5"),
        ];
        for (unit, tenths, cell) in cases {
            assert_eq!(tenths_cell(unit, tenths), cell, "{unit:?} {tenths}");
        }
    }
}
