//! `GET /reports/…`: the annual report, an action plan's progress report and a State's
//! profile, as PDF (`.pdf`) or HTML (`.html`), typeset by [`crate::kernel::typeset`] behind
//! its gate: when both render slots stay taken, 503 with `Retry-After`. Access is
//! [`crate::domain::publications::access`]'s; caching (`ETag`, 304) [`super::caching`]'s.
//!
//! Each handler answers in the same order: 401 without a token (or with one that does not
//! authenticate), 404 for a path that names no report (an unknown extension, year, plan or
//! State), 403 for a report the caller may not read (a State's profile is checked once its
//! code is known), then the document is built from the database (a fixed number of
//! statements) and rendered on the blocking pool, at most
//! [`crate::kernel::typeset::MAX_CONCURRENT_RENDERS`] at once.

use std::time::Duration;

use axum::{
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Datelike;

use super::{
    AppState, caller, error_response, fault_response, four_digit_year, not_found,
    publications_context, refused, unauthorized,
};
use crate::auth::Viewer;
use crate::domain::publications;
use crate::kernel::error::ServiceError;
use crate::kernel::typeset::{self, Document, Gate, GateError};

/// How long a request waits for a render slot before it is told to come back.
const RENDER_WAIT: Duration = Duration::from_secs(5);

/// What HTML reports may load: nothing but their own inline style and inline images (the
/// charts are inline SVG; no script, font or request to any host).
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// The two formats of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Pdf,
    Html,
}

/// `2026.pdf` → (`2026`, PDF); `None` for another extension.
fn split(file: &str) -> Option<(&str, Format)> {
    if let Some(stem) = file.strip_suffix(".pdf") {
        Some((stem, Format::Pdf))
    } else {
        file.strip_suffix(".html").map(|stem| (stem, Format::Html))
    }
}

/// The 401's message.
const SIGN_IN: &str = "Send `Authorization: Bearer <accessToken>`.";

fn sign_in() -> Response {
    unauthorized("Bearer", SIGN_IN)
}

/// The caller, who must be signed in.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Viewer, Response> {
    let viewer = caller(state, headers).await?;
    if viewer.principal().is_none() {
        return Err(sign_in());
    }
    Ok(viewer)
}

/// Renders `document` behind the gate and answers it: PDF inline with its file name, or
/// HTML under a policy that lets it load nothing. 503 with `Retry-After` when no render
/// slot came free in time; a failed or panicked render is a logged 500.
async fn render(document: Document, format: Format, name: &str) -> Response {
    let rendered = Gate::run(RENDER_WAIT, move || match format {
        Format::Pdf => typeset::pdf(&document),
        Format::Html => typeset::html(&document).map(String::into_bytes),
    })
    .await;
    let body = match rendered {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => {
            return fault_response(ServiceError::Internal(format!("report {name}: {e}")));
        }
        Err(GateError::Busy { retry_after_secs }) => {
            let mut resp = error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                &format!("Every report renderer is busy: ask again in {retry_after_secs} seconds."),
            );
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            return resp;
        }
        Err(GateError::Panicked) => {
            return fault_response(ServiceError::Internal(format!(
                "report {name}: the render panicked"
            )));
        }
    };
    match format {
        Format::Pdf => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}.pdf\""),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            body,
        )
            .into_response(),
        Format::Html => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, REPORT_CSP),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            body,
        )
            .into_response(),
    }
}

/// A built document rendered, or the 404 when there is none, or the fault.
async fn answer(
    built: Result<Option<Document>, ServiceError>,
    format: Format,
    name: &str,
    missing: &str,
) -> Response {
    match built {
        Ok(Some(document)) => render(document, format, name).await,
        Ok(None) => not_found(missing),
        Err(e) => fault_response(e),
    }
}

/// `GET /reports/annual/{year}.pdf` or `.html`: ISU staff.
pub(super) async fn annual_report(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if let Some(resp) = refused(publications::access::annual_report(&viewer), SIGN_IN) {
        return resp;
    }
    let cx = publications_context(&state);
    let first = publications::annual::FIRST_YEAR;
    let ask = format!(
        "Ask for /reports/annual/YYYY.pdf or .html with a year from {first} to {}.",
        cx.today.year()
    );
    let Some((year, format)) =
        split(&file).and_then(|(stem, format)| Some((four_digit_year(stem)?, format)))
    else {
        return not_found(&ask);
    };
    let built = publications::annual::annual_report(cx, &viewer, year).await;
    answer(built, format, &format!("annual-report-{year}"), &ask).await
}

/// `GET /reports/action-plans/{id}/{year}.pdf` or `.html`: every signed-in user.
pub(super) async fn action_plan_report(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    if let Some(resp) = refused(publications::access::action_plan_report(&viewer), SIGN_IN) {
        return resp;
    }
    let ask = "Ask for /reports/action-plans/{planId}/YYYY.pdf or .html with the plan's ID and \
               one of its years.";
    let plan = crate::api::ids::key::<crate::api::action_plan::types::ActionPlan>(&id);
    let Some((plan, year, format)) = plan.and_then(|plan| {
        let (stem, format) = split(&file)?;
        Some((plan, four_digit_year(stem)?, format))
    }) else {
        return not_found(ask);
    };
    let built =
        publications::progress::progress_report(publications_context(&state), &viewer, plan, year)
            .await;
    let name = format!("action-plan-progress-{year}");
    answer(built, format, &name, ask).await
}

/// `GET /reports/states/{code}.pdf` or `.html`: ISU staff and the State's delegation.
pub(super) async fn state_profile(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match signed_in(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let ask = "Ask for /reports/states/{code}.pdf or .html with a State's ISO alpha-3 code, \
               e.g. /reports/states/LAO.pdf.";
    let Some((code, format)) = split(&file)
        .filter(|(stem, _)| publications::profile::is_alpha3(stem))
        .map(|(stem, format)| (stem.to_ascii_uppercase(), format))
    else {
        return not_found(ask);
    };
    if let Some(resp) = refused(publications::access::state_profile(&viewer, &code), SIGN_IN) {
        return resp;
    }
    let built =
        publications::profile::state_profile(publications_context(&state), &viewer, &code).await;
    let name = format!("state-profile-{code}");
    answer(
        built,
        format,
        &name,
        &format!("No State has the code {code}. {ask}"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_path_names_its_format_and_year() {
        assert_eq!(split("2026.pdf"), Some(("2026", Format::Pdf)));
        assert_eq!(split("LAO.html"), Some(("LAO", Format::Html)));
        for bad in ["2026.PDF", "2026.htm", "2026", "2026.pdf.zip", ".csv"] {
            assert_eq!(split(bad), None, "{bad}");
        }
        assert_eq!(four_digit_year("2026"), Some(2026));
        for bad in ["26", "02026", "20x6", "+202", "-202", ""] {
            assert_eq!(four_digit_year(bad), None, "{bad}");
        }
    }
}
