//! The HTTP surface: `/graphql` (POST for operations, GET for the console), health checks,
//! calendar feeds and CSV exports.
//!
//! async-graphql-axum's own extractor accepts form posts, `text/plain` and batches of any
//! length; this handler accepts JSON only (a cross-site form cannot send it without a CORS
//! preflight) and at most [`MAX_BATCH`] operations per request.

use std::{net::SocketAddr, time::Duration};

use async_graphql::{BatchRequest, BatchResponse, http::GraphiQLSource};
use async_graphql_axum::GraphQLResponse;
use axum::extract::Path;
use axum::{
    Json, Router,
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer};

use std::sync::Arc;

use crate::auth::viewer::{self, TokenRefusal};
use crate::error::ApiError;
use crate::graphql::AppSchema;
use crate::idempotency::{self, Claim, Seen};
use crate::startup::AppContext;

/// Largest request body accepted. The GraphQL extractor streams bodies, so axum's default
/// limit would not apply: this one is enforced by a layer.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most operations in one batched request.
pub const MAX_BATCH: usize = 5;

/// The client's address, for throttling failed logins.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub ctx: AppContext,
}

pub fn router(state: AppState, request_timeout: Duration, cors_origins: &[String]) -> Router {
    let metrics_state = std::sync::Arc::clone(&state.ctx.metrics);
    let graphql_route = if state.ctx.console {
        get(console_page).post(graphql)
    } else {
        axum::routing::post(graphql)
    };
    let mut router = Router::new();
    if state.ctx.fault_injection {
        router = router.route("/debug/panic", get(debug_panic));
    }
    if state.ctx.console {
        router = router
            .route("/console/console.js", get(console_script))
            .route("/console/console.css", get(console_style))
            .route("/graphiql", get(graphiql));
    }
    router
        .route("/graphql", graphql_route)
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
        .route("/exports/compliance/{file}", get(compliance_csv))
        .route("/exports/sponsorship/{file}", get(sponsorship_csv))
        .route("/exports/workplan/{file}", get(workplan_csv))
        .route("/exports/contributions/{file}", get(contributions_csv))
        .route("/calendar/{file}", get(calendar_feed))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(
            metrics_state,
            count_responses,
        ))
        .layer(cors(cors_origins))
}

/// A panic stays in its request: that request gets a coded 500 and the server goes on.
fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    let err: async_graphql::Error = ApiError::Internal(format!("panic: {detail}")).into();
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_SERVER_ERROR",
        &err.message,
    )
}

/// Panics, for fault-injection drills (`ISU_FAULT_INJECTION`; never in production).
#[allow(clippy::panic)]
async fn debug_panic() -> Response {
    panic!("fault injection: /debug/panic")
}

/// Prometheus text exposition of [`crate::metrics`]. Like the health checks, it is for
/// the operators' network: put it behind the proxy's allow-list in production.
async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state
            .ctx
            .metrics
            .render(&state.ctx.db, state.ctx.max_connections),
    )
        .into_response()
}

/// Counts every response by status, the timeouts and refusals of the layers included.
async fn count_responses(
    State(metrics): State<std::sync::Arc<crate::metrics::Metrics>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    metrics.response(response.status().as_u16());
    response
}

/// The span of one request: every log line it causes names its method, path and ID (the
/// `x-request-id` it came with, or a fresh UUID).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
    )
}

/// CORS for the configured origins only; with none, browsers keep to same-origin calls.
fn cors(origins: &[String]) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if list.is_empty() {
        return CorsLayer::new();
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([axum::http::Method::POST, axum::http::Method::GET])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            axum::http::HeaderName::from_static("idempotency-key"),
        ])
        .max_age(Duration::from_secs(600))
}

/// A GraphQL-shaped error outside GraphQL execution (transport, token).
fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "errors": [{ "message": message, "extensions": { "code": code } }] })),
    )
        .into_response()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || m == "application/graphql-response+json")
}

async fn graphql(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_json(&headers) {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "POST /graphql takes Content-Type: application/json.",
        );
    }
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "The body is not a GraphQL request in JSON ({\"query\": ..., \"variables\": ...}).",
            );
        }
    };
    if let BatchRequest::Batch(ops) = &batch
        && (ops.is_empty() || ops.len() > MAX_BATCH)
    {
        return error_response(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            &format!("A batch holds 1 to {MAX_BATCH} operations."),
        );
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = match viewer::resolve(&state.ctx.db, &state.ctx.keys, authorization).await {
        Ok(v) => v,
        Err(TokenRefusal::Fault(e)) => {
            return fault_response(e);
        }
        Err(TokenRefusal::Invalid | TokenRefusal::SessionEnded) => {
            let mut resp = error_response(
                StatusCode::UNAUTHORIZED,
                "UNAUTHENTICATED",
                "The access token is invalid, expired or its session has ended: refresh the session or log in again.",
            );
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            return resp;
        }
    };
    // Each operation of a batch gets its own loaders: batching within one operation only.
    let with_loaders = |r: async_graphql::Request| {
        r.data(crate::graphql::loaders::Batch::loaders(
            state.ctx.clone(),
            viewer.clone(),
        ))
    };
    let batch = match batch {
        BatchRequest::Single(r) => BatchRequest::Single(with_loaders(r)),
        BatchRequest::Batch(rs) => BatchRequest::Batch(rs.into_iter().map(with_loaders).collect()),
    };
    let claim = match idempotency_claim(&headers, &batch, &viewer, &body) {
        Ok(c) => c,
        Err(why) => return error_response(StatusCode::BAD_REQUEST, "BAD_REQUEST", why),
    };
    if let Some(claim) = &claim {
        match idempotency::before(&state.ctx.db, claim, IDEMPOTENCY_PATIENCE).await {
            Ok(Seen::New) => {}
            Ok(seen) => return idempotent_answer(seen, true),
            Err(e) => return fault_response(e),
        }
    }
    let batch = batch.data(viewer).data(ClientAddr(addr.ip().to_string()));
    let run = execute_batch(&state, batch);
    let mut response = match &claim {
        Some(c) => idempotency::with_claim(Arc::clone(c), run).await,
        None => run.await,
    };
    let unavailable = match &mut response {
        BatchResponse::Single(r) => code_request_errors(r),
        BatchResponse::Batch(rs) => {
            // Every response is coded: no short-circuit.
            let mut any = false;
            for r in rs.iter_mut() {
                any |= code_request_errors(r);
            }
            any
        }
    };
    if let Some(claim) = &claim {
        let status = if unavailable { 503 } else { 200 };
        let Ok(body) = serde_json::to_string(&response) else {
            return fault_response(ApiError::Internal("response not serializable".into()));
        };
        return match idempotency::finish(
            &state.ctx.db,
            claim,
            status,
            body.clone(),
            IDEMPOTENCY_PATIENCE,
        )
        .await
        {
            Ok(Seen::Replay(s, b)) if s == status && b == body => {
                idempotent_answer(Seen::Replay(s, b), false)
            }
            Ok(seen) => idempotent_answer(seen, true),
            Err(e) => fault_response(e),
        };
    }
    let mut resp = GraphQLResponse::from(response).into_response();
    if unavailable {
        // The database is down or its pool is exhausted: say so to proxies and clients,
        // which may retry, instead of a 200 that looks like an answer.
        *resp.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        retry_after(&mut resp);
    }
    resp
}

/// The operations of a batch one after the other, as async-graphql's `execute_batch` does.
async fn execute_batch(state: &AppState, batch: BatchRequest) -> BatchResponse {
    let run = |r| crate::graphql::execute(&state.schema, &state.ctx.metrics, r);
    match batch {
        BatchRequest::Single(r) => BatchResponse::Single(run(r).await),
        BatchRequest::Batch(rs) => {
            let mut out = Vec::with_capacity(rs.len());
            for r in rs {
                out.push(run(r).await);
            }
            BatchResponse::Batch(out)
        }
    }
}

/// How long a request waits for the response of an earlier one with its key.
const IDEMPOTENCY_PATIENCE: Duration = Duration::from_secs(5);

/// The request's `Idempotency-Key`, checked; or why it is refused.
fn idempotency_claim(
    headers: &HeaderMap,
    batch: &BatchRequest,
    viewer: &crate::auth::Viewer,
    body: &[u8],
) -> Result<Option<Arc<Claim>>, &'static str> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    if !idempotency::valid_key(key) {
        return Err("Idempotency-Key takes 1 to 255 visible ASCII characters (a UUID, say).");
    }
    if matches!(batch, BatchRequest::Batch(_)) {
        return Err("An Idempotency-Key applies to one operation, not to a batch.");
    }
    let scope = viewer
        .principal()
        .map_or_else(|| "anonymous".to_owned(), |p| p.user_id.to_string());
    Ok(Some(Arc::new(Claim::new(scope, key.to_owned(), body))))
}

/// The response for a key already seen (`replayed`), or this request's own.
fn idempotent_answer(seen: Seen, replayed: bool) -> Response {
    match seen {
        Seen::Replay(status, body) => {
            let mut resp = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response();
            if replayed {
                resp.headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            if status == 503 {
                retry_after(&mut resp);
            }
            resp
        }
        Seen::Mismatch => error_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was used with another request: use a new key.",
        ),
        Seen::Pending | Seen::New => {
            let mut resp = error_response(
                StatusCode::CONFLICT,
                "IDEMPOTENCY_KEY_IN_USE",
                "A request with this Idempotency-Key is still running, or ended without an answer: retry shortly, or check the outcome before using a new key.",
            );
            retry_after(&mut resp);
            resp
        }
    }
}

/// Every top-level error carries `extensions.code`. Resolver errors set theirs (see
/// `crate::error`); the ones without a code are async-graphql's own refusals of the request
/// (syntax, unknown fields, wrong variable types, limits): malformed input.
/// Returns whether an error says the database is unavailable.
fn code_request_errors(response: &mut async_graphql::Response) -> bool {
    let mut unavailable = false;
    for e in &mut response.errors {
        let ext = e.extensions.get_or_insert_with(Default::default);
        match ext.get("code") {
            None => ext.set("code", "BAD_USER_INPUT"),
            Some(async_graphql::Value::String(c)) if c == "SERVICE_UNAVAILABLE" => {
                unavailable = true;
            }
            Some(_) => {}
        }
    }
    unavailable
}

/// 405 for an operation sent by GET: operations are POSTed as JSON.
fn get_refused() -> Response {
    let mut resp = error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        "BAD_REQUEST",
        "Send operations by POST with Content-Type: application/json.",
    );
    resp.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("POST"));
    resp
}

/// GraphiQL from its CDN, for machines that are online.
async fn graphiql() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

/// Only this server's own script, style and endpoint: the console needs nothing else.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// `GET /graphql`: the console. An operation sent by GET is never executed: GET cannot
/// carry a CSRF-safe request, so a `query` parameter gets 405.
async fn console_page(uri: axum::http::Uri) -> Response {
    if uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv.split('=').next() == Some("query")))
    {
        return get_refused();
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CONSOLE_CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        crate::console::page(),
    )
        .into_response()
}

async fn console_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        crate::console::SCRIPT,
    )
        .into_response()
}

async fn console_style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        crate::console::STYLE,
    )
        .into_response()
}

/// 200 while the process runs.
async fn live() -> &'static str {
    "live"
}

/// 200 when the database answers, 503 otherwise.
async fn ready(State(state): State<AppState>) -> Response {
    // Answers within READY_TIMEOUT even when the database hangs rather than refuses.
    match tokio::time::timeout(READY_TIMEOUT, state.ctx.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("readiness check timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Longest wait of `/health/ready` for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The viewer of a non-GraphQL request, which must be ISU staff; otherwise the response.
async fn isu_viewer(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<crate::auth::Viewer, Response> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match viewer::resolve(&state.ctx.db, &state.ctx.keys, authorization).await {
        Ok(v) if v.is_isu() => Ok(v),
        Ok(v) if v.principal().is_some() => Err(error_response(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "Exports are for ISU staff.",
        )),
        Err(TokenRefusal::Fault(e)) => Err(fault_response(e)),
        _ => Err(error_response(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Send `Authorization: Bearer <accessToken>`.",
        )),
    }
}

/// A cell of text that people typed: one that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe.
fn typed_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv_response(filename: &str, body: Vec<u8>) -> Response {
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
async fn compliance_csv(
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
    let compliance = match crate::reports::service::compliance(&state.ctx.db, year).await {
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
async fn sponsorship_csv(
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
    let Some(id) = file.strip_suffix(".csv").and_then(|id| {
        crate::graphql::ids::decode_as(id, crate::sponsorship::types::Meeting::KIND)
    }) else {
        return not_found();
    };
    let ctx = &state.ctx;
    let (meeting, applications) = match crate::sponsorship::service::export(
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
    let amount = |c: i64| crate::money::from_cents(c).to_string();
    for a in &applications {
        let r = &a.row;
        let region = a
            .state
            .regional_group
            .map(|g| sea_orm::ActiveEnum::to_value(&g))
            .unwrap_or_default();
        rows.push(
            w.write_record([
                crate::graphql::ids::encode(
                    crate::sponsorship::types::SponsorshipApplication::KIND,
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

/// A fault outside GraphQL: the client gets the masked message and a correlation ID, or
/// 503 with `Retry-After` when the database is unavailable.
fn fault_response(e: impl Into<ApiError>) -> Response {
    let e: ApiError = e.into();
    let code = e.code();
    let err: async_graphql::Error = e.into();
    let mut resp = error_response(
        if code == "SERVICE_UNAVAILABLE" {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        },
        code,
        &err.message,
    );
    if code == "SERVICE_UNAVAILABLE" {
        retry_after(&mut resp);
    }
    resp
}

fn retry_after(resp: &mut Response) {
    resp.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(crate::error::RETRY_AFTER_SECS),
    );
}

/// The year in `{year}.csv`.
fn csv_year(file: &str) -> Option<i32> {
    file.strip_suffix(".csv")
        .and_then(|y| y.parse::<i32>().ok())
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
async fn workplan_csv(
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
    let view = match crate::budget::service::export_workplan(&state.ctx.db, &viewer, year).await {
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
    let amount = |c: i64| crate::money::from_cents(c).to_string();
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
async fn contributions_csv(
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
    let status = match crate::budget::service::export_contributions(
        &state.ctx.db,
        &state.ctx.budget,
        &viewer,
        year,
    )
    .await
    {
        Ok(s) => s,
        Err(crate::error::ServiceError::Refused(r)) => {
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
    let amount = |c: i64| crate::money::from_cents(c).to_string();
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

/// The calendar event of one open obligation. The UID names the State, the kind and the
/// year, not the date, so an extension moves the event instead of adding one.
fn obligation_event(
    s: &entity::state::Model,
    o: &crate::obligations::Obligation,
) -> crate::calendar::CalendarEvent {
    use crate::obligations::ObligationKind as K;
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
    crate::calendar::CalendarEvent {
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
async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(code) = file.strip_suffix(".ics") else {
        return error_response(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Ask for /calendar/{code}.ics or /calendar/all.ics.",
        );
    };
    let db = &state.ctx.db;
    let today = state.ctx.clock.today();
    let open =
        |o: &crate::obligations::Obligation| o.status != crate::obligations::ObligationStatus::Met;
    let fault = |e: sea_orm::DbErr| fault_response(e);
    let (name, events) = if code.eq_ignore_ascii_case("all") {
        match crate::states::obligations::for_all(db, today).await {
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
        let s = match crate::states::service::by_code(db, code).await {
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
        match crate::states::obligations::for_state(db, &s, today).await {
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
    ics_response(crate::calendar::render(&name, &events, crate::clock::now()))
}
