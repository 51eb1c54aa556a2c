//! Calendar feeds (`/calendar/{code}.ics`, `/calendar/all.ics`): public, cached by
//! [`super::caching`] (`ETag`, `private, max-age=300`, 304).

use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{AppState, error_response, fault_response};

/// The calendar event of one open obligation. The UID names the State, the kind and the
/// year, not the date, so an extension moves the event instead of adding one.
fn obligation_event(
    s: &entity::state::Model,
    o: &crate::rules::obligations::Obligation,
) -> crate::http::calendar::CalendarEvent {
    use crate::rules::obligations::ObligationKind as K;
    let stored: entity::enums::ObligationKind = o.kind.into();
    let kind = sea_orm::ActiveEnum::to_value(&stored);
    let what = match (o.kind, o.reporting_year) {
        (K::InitialTransparencyReport, _) => "initial transparency report".to_owned(),
        (K::AnnualTransparencyReport, Some(y)) => {
            format!("annual transparency report covering {y}")
        }
        (K::AnnualTransparencyReport, None) => "annual transparency report".to_owned(),
        (K::StockpileDestruction, _) => "destruction of cluster munition stockpiles".to_owned(),
        (K::Clearance, _) => "clearance of cluster munition remnants".to_owned(),
    };
    let extended = if o.extended {
        format!(
            " Extended; the treaty deadline was {}.",
            o.original_due_date
        )
    } else {
        String::new()
    };
    crate::http::calendar::CalendarEvent {
        uid: match o.reporting_year {
            Some(y) => format!("{}-{kind}-{y}@ccm-isu", s.code),
            None => format!("{}-{kind}@ccm-isu", s.code),
        },
        date: o.due_date,
        summary: format!("{}: {what} due ({})", s.name, o.kind.article()),
        description: format!(
            "{} owes its {what} under {} of the Convention on Cluster Munitions by {}.{extended}",
            s.name,
            o.kind.article(),
            o.due_date
        ),
    }
}

fn ics_response(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `GET /calendar/{code}.ics` and `GET /calendar/all.ics`: open obligations as all-day
/// events with a reminder 30 days before. Public, like the deadlines themselves.
pub(super) async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Response {
    let Some(code) = file.strip_suffix(".ics") else {
        return error_response(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Ask for /calendar/{code}.ics or /calendar/all.ics.",
        );
    };
    let db = &state.ctx.db;
    let today = state.ctx.clock.today();
    let open = |o: &crate::rules::obligations::Obligation| o.status.is_open();
    let fault = |e: sea_orm::DbErr| fault_response(e);
    let (name, events) = if code.eq_ignore_ascii_case("all") {
        match crate::domain::states::obligations::for_all(db, today).await {
            Ok(all) => (
                "CCM deadlines: all States parties".to_owned(),
                all.iter()
                    .filter(|(_, o)| open(o))
                    .map(|(s, o)| obligation_event(s, o))
                    .collect::<Vec<_>>(),
            ),
            Err(e) => return fault(e),
        }
    } else {
        let s = match crate::domain::states::service::by_code(db, code).await {
            Ok(Some(s)) => s,
            Ok(None) => {
                return error_response(
                    StatusCode::NOT_FOUND,
                    "NOT_FOUND",
                    &format!("No State has the code {code}."),
                );
            }
            Err(e) => return fault(e),
        };
        match crate::domain::states::obligations::for_state(db, &s, today).await {
            Ok(list) => (
                format!("CCM deadlines: {}", s.name),
                list.iter()
                    .filter(|o| open(o))
                    .map(|o| obligation_event(&s, o))
                    .collect(),
            ),
            Err(e) => return fault(e),
        }
    };
    // DTSTAMP is the start of the feed's day (UTC), not the time of the request: the bytes,
    // and so the ETag, change only when the obligations or the day do.
    let stamp = today.and_time(chrono::NaiveTime::MIN).and_utc();
    ics_response(crate::http::calendar::render(&name, &events, stamp))
}
