//! The HTTP surface: `/graphql` (POST for operations, GET for the console), health checks,
//! calendar feeds, CSV exports, charts and reports.
//!
//! - `graphql`: `POST /graphql` by the GraphQL-over-HTTP specification, its media type
//!   negotiated from `Accept` (`negotiate`). async-graphql-axum's own extractor accepts
//!   form posts, `text/plain` and batches of any length; this handler accepts JSON only (a
//!   cross-site form cannot send it without a CORS preflight) and at most [`MAX_BATCH`]
//!   operations per request. An operation sent by GET is never run (405).
//! - `exports` and `feeds`: CSV exports and iCalendar feeds, with `ETag`,
//!   `Cache-Control` and 304 from `caching`.
//! - Every response over 1 KiB is compressed (gzip or brotli) when `Accept-Encoding` allows.

mod caching;
pub mod calendar;
mod charts;
pub mod console;
mod documents;
mod exports;
mod feeds;
mod graphql;
mod negotiate;
mod publications;
pub mod server;

use std::time::Duration;

use axum::{
    Extension, Json, Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::from_fn_with_state,
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::{limit::RequestBodyLimitLayer, timeout::TimeoutLayer};

use crate::api::AppSchema;
use crate::api::context::AppContext;
use crate::api::error::ApiError;
use crate::kernel::config::Secret;
use caching::Caching;

/// Largest request body accepted. The GraphQL extractor streams bodies, so axum's default
/// limit would not apply: this one is enforced by a layer.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most operations in one batched request.
pub const MAX_BATCH: usize = 5;

#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    /// Shared by every request: cloning the state clones a pointer.
    pub ctx: std::sync::Arc<AppContext>,
}

/// What the router needs besides the state.
pub struct RouterOptions {
    pub request_timeout: Duration,
    /// Origins allowed to call the API from a browser (CORS).
    pub cors_origins: Vec<String>,
    /// Where `/metrics` is served: with the API, or on its own listener.
    pub metrics: MetricsExposure,
}

/// `/metrics` on the API's listener or not, and the bearer token it requires, if any.
#[derive(Clone)]
pub struct MetricsExposure {
    pub on_api_listener: bool,
    pub token: Option<Secret>,
}

pub fn router(state: AppState, options: &RouterOptions) -> Router {
    let (request_timeout, cors_origins) = (options.request_timeout, &options.cors_origins);
    let metrics_state = std::sync::Arc::clone(&state.ctx.metrics);
    let graphql_route = if state.ctx.console {
        get(console_page).post(graphql::graphql)
    } else {
        axum::routing::post(graphql::graphql)
    }
    .layer(Extension(graphql::Introspection::default()));
    let mut router = Router::new();
    if state.ctx.fault_injection {
        router = router.route("/debug/panic", get(debug_panic));
    }
    if state.ctx.console {
        router = router
            .route("/console/console.js", get(console_script))
            .route("/console/console.css", get(console_style));
    }
    // Feeds and exports: compressed inside, so that each encoding has its own ETag.
    let feeds = Router::new()
        .route("/exports/compliance/{file}", get(exports::compliance_csv))
        .route("/exports/workplan/{file}", get(exports::workplan_csv))
        .route(
            "/exports/contributions/{file}",
            get(exports::contributions_csv),
        )
        .route("/exports/decisions.csv", get(exports::decisions_csv))
        .route(
            "/exports/extension-milestones.csv",
            get(exports::extension_milestones_csv),
        )
        .route(
            "/exports/action-plans/{id}/progress.csv",
            get(exports::action_plan_progress_csv),
        )
        .route("/calendar/{file}", get(feeds::calendar_feed))
        .route("/charts/{file}", get(charts::chart))
        .route("/charts/indicators/{file}", get(charts::indicator_chart))
        .route("/reports/annual/{file}", get(publications::annual_report))
        .route(
            "/reports/action-plans/{id}/{file}",
            get(publications::action_plan_report),
        )
        .route("/reports/states/{file}", get(publications::state_profile))
        .layer(caching::compression())
        .layer(from_fn_with_state(Caching::Private, caching::conditional));
    // Names and email addresses of delegates: no cache keeps them.
    let personal = Router::new()
        .route("/exports/sponsorship/{file}", get(exports::sponsorship_csv))
        .route("/exports/experts.csv", get(exports::experts_csv))
        .layer(caching::compression())
        .layer(from_fn_with_state(Caching::NoStore, caching::conditional));
    if options.metrics.on_api_listener {
        router = router.merge(metrics_route(&options.metrics));
    }
    router
        .route("/graphql", graphql_route)
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .merge(feeds)
        .merge(personal)
        .with_state(state.clone())
        .layer(caching::compression())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Documents' files: their own size limit (ISU_DOCUMENT_MAX_BYTES), counted as they
        // stream into the store, and no compression of what is already compressed.
        .merge(
            Router::new()
                .route(
                    "/documents/{id}/file",
                    get(documents::download).put(documents::upload),
                )
                .with_state(state),
        )
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
        .layer(axum::middleware::map_request(drop_unfit_request_id))
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

/// The router of `/metrics` alone, for `ISU_METRICS_LISTEN`.
pub fn metrics_router(state: AppState, exposure: &MetricsExposure) -> Router {
    metrics_route(exposure).with_state(state)
}

fn metrics_route(exposure: &MetricsExposure) -> Router<AppState> {
    let route = Router::new().route("/metrics", get(metrics));
    match &exposure.token {
        Some(token) => route.layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(token_digest(token.expose())),
            require_metrics_token,
        )),
        None => route,
    }
}

fn token_digest(token: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).into()
}

/// 401 unless `Authorization: Bearer` carries the metrics token. Digests are compared, so
/// the comparison's time says nothing about the token.
async fn require_metrics_token(
    State(expected): State<std::sync::Arc<[u8; 32]>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(token_digest);
    if given.as_ref() == Some(&*expected) {
        return next.run(request).await;
    }
    let mut resp = error_response(
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
        "/metrics needs Authorization: Bearer with the metrics token.",
    );
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"metrics\""),
    );
    resp
}

/// Longest `X-Request-Id` taken from a client.
pub const MAX_REQUEST_ID: usize = 128;

/// An `X-Request-Id` that is too long or has other than visible ASCII is dropped, so that
/// [`SetRequestIdLayer`] puts a fresh one in its place: the ID is copied into every log
/// line of the request and into the response.
async fn drop_unfit_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    let fit = |v: &HeaderValue| {
        !v.is_empty() && v.len() <= MAX_REQUEST_ID && v.as_bytes().iter().all(u8::is_ascii_graphic)
    };
    let ids: Vec<&HeaderValue> = request.headers().get_all("x-request-id").iter().collect();
    if ids.len() > 1 || ids.first().is_some_and(|v| !fit(v)) {
        request.headers_mut().remove("x-request-id");
    }
    request
}

/// Prometheus text exposition of [`crate::api::metrics`]. Like the health checks, it is for
/// the operators' network: in production give it its own listener (`ISU_METRICS_LISTEN`)
/// or a token (`ISU_METRICS_TOKEN`).
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
    State(metrics): State<std::sync::Arc<crate::api::metrics::Metrics>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    metrics.response(response.status().as_u16());
    response
}

/// The span of one request: every log line it causes names its method, path, ID (the
/// `x-request-id` it came with, or a fresh UUID) and client address (after
/// `ISU_TRUSTED_PROXIES`, [`server::client_addr`]).
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let client = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %id,
        client = %client,
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

/// 404 `NOT_FOUND` with a sentence saying how to ask.
fn not_found(message: &str) -> Response {
    error_response(StatusCode::NOT_FOUND, "NOT_FOUND", message)
}

/// A year written with four digits (`2026`); `None` for anything else.
fn four_digit_year(text: &str) -> Option<i32> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// What charts and reports are built from: the database, today and the domains' settings.
fn publications_context(state: &AppState) -> crate::domain::publications::Context<'_> {
    let ctx = &state.ctx;
    crate::domain::publications::Context {
        db: &ctx.db,
        today: ctx.clock.today(),
        budget: &ctx.budget,
        sponsorship: &ctx.sponsorship,
        cooperation: &ctx.cooperation,
    }
}

/// `None` when a chart's or report's access rule allows; otherwise 401 (with `sign_in`, the
/// message) or 403 with the rule's message.
fn refused(access: crate::domain::publications::access::Access, sign_in: &str) -> Option<Response> {
    use crate::domain::publications::access::Access;
    match access {
        Access::Allowed => None,
        Access::SignIn => Some(unauthorized("Bearer", sign_in)),
        Access::Forbidden(message) => {
            Some(error_response(StatusCode::FORBIDDEN, "FORBIDDEN", message))
        }
    }
}

/// 401 with its `WWW-Authenticate` challenge (RFC 6750 §3).
fn unauthorized(challenge: &'static str, message: &str) -> Response {
    let mut resp = error_response(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message);
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    resp
}

/// Who sends a request outside GraphQL (files, exports): anonymous without a token; a token
/// that does not authenticate is a 401 with `Bearer error="invalid_token"`, a fault its
/// response.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<crate::auth::Viewer, Response> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let stamps = crate::kernel::stamps::RequestStamps::new();
    let ctx = &state.ctx;
    match crate::auth::viewer::resolve(&ctx.db, &ctx.keys, &ctx.sessions, &stamps, authorization)
        .await
    {
        Ok(v) => Ok(v),
        Err(crate::auth::viewer::TokenRefusal::Fault(e)) => Err(fault_response(e)),
        Err(
            crate::auth::viewer::TokenRefusal::Invalid
            | crate::auth::viewer::TokenRefusal::SessionEnded,
        ) => Err(unauthorized(
            "Bearer error=\"invalid_token\"",
            "The access token is invalid, expired or its session has ended: refresh the session or log in again.",
        )),
    }
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
        crate::http::console::page(),
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
        crate::http::console::SCRIPT,
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
        crate::http::console::STYLE,
    )
        .into_response()
}

/// 200 while the process runs.
async fn live() -> &'static str {
    "live"
}

/// 200 when the database answers, 503 otherwise. The body says so, and, when this server
/// cannot send email, why emails stay PENDING (the server still serves).
async fn ready(State(state): State<AppState>) -> Response {
    // Answers within READY_TIMEOUT even when the database hangs rather than refuses.
    match tokio::time::timeout(READY_TIMEOUT, state.ctx.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, ready_body(&state.ctx.notifications)).into_response(),
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

/// The body of a ready server: "ready", and what stops its emails, if anything.
fn ready_body(config: &crate::domain::notifications::NotificationsConfig) -> &'static str {
    match (config.smtp_url.is_some(), config.run) {
        (true, true) => "ready",
        (false, _) => "ready; email: not configured (ISU_SMTP_URL unset): emails stay PENDING",
        (true, false) => {
            "ready; email: not sent by this server (ISU_REMINDERS=false): another server sends them"
        }
    }
}

/// Longest wait of `/health/ready` for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

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
        HeaderValue::from(crate::kernel::error::RETRY_AFTER_SECS),
    );
}
