//! `POST /graphql`, by the GraphQL-over-HTTP specification.
//!
//! The response's media type comes from `Accept` ([`super::negotiate`]); `Accept` naming
//! neither type gets 406. The request must be JSON (`Content-Type: application/json`, else
//! 415) holding `query` (a string) and, optionally, `operationName` (a string), `variables`
//! and `extensions` (maps), each of the three also `null`; anything else is 400. A batch is a
//! list of 1 to [`MAX_BATCH`] such requests.
//!
//! Status, with `application/graphql-response+json`: 400 when the operation was refused
//! before it ran (it does not parse or validate, a limit refused it, introspection is off),
//! without a `data` entry; 200 when it ran, errors or not. With `application/json`: 200 for
//! every GraphQL response. Both: 429 with `Retry-After` when nothing ran and an operation
//! was refused for its user's write limit (`RATE_LIMITED`, [`crate::api::writes`]); 401
//! with `WWW-Authenticate: Bearer error="invalid_token"` for a token that is invalid,
//! expired or whose session has ended; 503 with `Retry-After` when the database is
//! unavailable. Every error, whatever its status, has the same shape:
//! `{"errors": [{"message": …, "extensions": {"code": …}}]}`.
//!
//! A response body longer than the configured bound (`ISU_MAX_RESPONSE_BYTES`) is not
//! written past it: each operation's answer becomes one `QUERY_TOO_COMPLEX` error (400).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{BatchRequest, BatchResponse};
use axum::{
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::negotiate::{MediaType, negotiate};
use super::{AppState, MAX_BATCH, error_response, fault_response, retry_after};
use crate::api::AppSchema;
use crate::api::context::ClientAddr;
use crate::api::error::ApiError;
use crate::auth::viewer::{self, TokenRefusal};
use crate::kernel::idempotency::{self, Claim, Seen};
use crate::kernel::stamps::RequestStamps;

/// Whether the schema answers introspection, asked of it once per server
/// ([`crate::api::answers_introspection`]) and passed to every operation's shape check.
#[derive(Clone, Default)]
pub struct Introspection(Arc<tokio::sync::OnceCell<bool>>);

impl Introspection {
    async fn enabled(&self, schema: &AppSchema) -> bool {
        *self
            .0
            .get_or_init(|| crate::api::answers_introspection(schema))
            .await
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| m == MediaType::JSON || m == MediaType::GRAPHQL_RESPONSE)
}

/// A GraphQL-shaped error in the negotiated media type.
fn error_in(media: MediaType, status: StatusCode, code: &str, message: &str) -> Response {
    in_media(media, error_response(status, code, message))
}

/// A fault (500, or 503 with `Retry-After`) in the negotiated media type.
fn fault_in(media: MediaType, e: impl Into<ApiError>) -> Response {
    in_media(media, fault_response(e))
}

fn in_media(media: MediaType, mut resp: Response) -> Response {
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
    resp
}

/// 406: the client accepts neither media type this endpoint answers in. The error itself
/// is JSON, as every error here.
fn not_acceptable() -> Response {
    error_response(
        StatusCode::NOT_ACCEPTABLE,
        "BAD_REQUEST",
        "POST /graphql answers application/graphql-response+json or application/json: send an Accept header that allows one of them.",
    )
}

/// 401 for a token that does not authenticate: RFC 6750's challenge, and the GraphQL error
/// shape.
fn invalid_token(media: MediaType) -> Response {
    let mut resp = error_in(
        media,
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
        "The access token is invalid, expired or its session has ended: refresh the session or log in again.",
    );
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    resp
}

pub(super) async fn graphql(
    State(state): State<AppState>,
    axum::Extension(introspection): axum::Extension<Introspection>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    if !is_json(&headers) {
        return error_in(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "POST /graphql takes Content-Type: application/json.",
        );
    }
    let batch = match parse_batch(&body) {
        Ok(b) => b,
        Err(why) => return error_in(media, StatusCode::BAD_REQUEST, "BAD_REQUEST", &why),
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let stamps = Arc::new(RequestStamps::new());
    let viewer = match viewer::resolve(
        &state.ctx.db,
        &state.ctx.keys,
        &state.ctx.sessions,
        &stamps,
        authorization,
    )
    .await
    {
        Ok(v) => v,
        Err(TokenRefusal::Fault(e)) => return fault_in(media, e),
        Err(TokenRefusal::Invalid | TokenRefusal::SessionEnded) => return invalid_token(media),
    };
    // Each operation of a batch gets its own loaders: batching within one operation only.
    // The operations run one after the other; each after the first reads the stamps again
    // (when it needs them), so that it sees what an earlier one wrote.
    let with_loaders = |r: async_graphql::Request, stamps: Arc<RequestStamps>| {
        r.data(crate::api::loaders::Batch::loaders(
            Arc::clone(&state.ctx),
            viewer.clone(),
            stamps,
        ))
    };
    let batch = match batch {
        BatchRequest::Single(r) => BatchRequest::Single(with_loaders(r, stamps)),
        BatchRequest::Batch(rs) => BatchRequest::Batch(
            rs.into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let stamps = if i == 0 {
                        Arc::clone(&stamps)
                    } else {
                        Arc::new(RequestStamps::new())
                    };
                    with_loaders(r, stamps)
                })
                .collect(),
        ),
    };
    let claim = match idempotency_claim(&headers, &batch, &viewer, &body) {
        Ok(c) => c,
        Err(why) => return error_in(media, StatusCode::BAD_REQUEST, "BAD_REQUEST", why),
    };
    if let Some(claim) = &claim {
        match idempotency::before(&state.ctx.db, claim, IDEMPOTENCY_PATIENCE).await {
            Ok(Seen::New) => {}
            Ok(seen) => return idempotent_answer(seen, true, media),
            Err(e) => return fault_in(media, e),
        }
    }
    let introspection = introspection.enabled(&state.schema).await;
    let writer = viewer.clone();
    let batch = batch
        .data(viewer)
        .data(ClientAddr(addr.ip().to_string()))
        .data(state.ctx.writes.clone());
    let run = execute_batch(&state, batch, introspection);
    let mut response = match &claim {
        Some(c) => idempotency::with_claim(Arc::clone(c), run).await,
        None => run.await,
    };
    let mut outcome = Outcome::of(&mut response);
    let limit = state.ctx.query_cost.limits.max_response_bytes;
    let body = match serialize(&response, limit) {
        Ok(Some(b)) => b,
        Ok(None) => {
            response = too_large(&response, limit);
            outcome = Outcome::of(&mut response);
            match serialize(&response, usize::MAX) {
                Ok(Some(b)) => b,
                Ok(None) => return fault_in(media, ApiError::Internal("unwritable".into())),
                Err(e) => return fault_in(media, e),
            }
        }
        Err(e) => return fault_in(media, e),
    };
    let status = outcome.status();
    if let Some(claim) = &claim {
        return match idempotency::finish(
            &state.ctx.db,
            claim,
            status.as_u16(),
            body.clone(),
            IDEMPOTENCY_PATIENCE,
        )
        .await
        {
            Ok(Seen::Replay(s, b)) if s == status.as_u16() && b == body => {
                idempotent_answer(Seen::Replay(s, b), false, media)
            }
            Ok(seen) => idempotent_answer(seen, true, media),
            Err(e) => fault_in(media, e),
        };
    }
    let mut resp = (status_in(media, status), body).into_response();
    let resp_headers = resp.headers_mut();
    resp_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
    if response.is_ok()
        && let Some(cache_control) = response.cache_control().value()
        && let Ok(value) = HeaderValue::from_str(&cache_control)
    {
        resp_headers.insert(header::CACHE_CONTROL, value);
    }
    resp_headers.extend(response.http_headers());
    if status == StatusCode::SERVICE_UNAVAILABLE {
        retry_after(&mut resp);
    }
    if status == StatusCode::TOO_MANY_REQUESTS {
        let wait = state.ctx.writes.retry_after(&writer).as_secs() + 1;
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    }
    resp
}

/// The request body as a batch, checked field by field, or why it is not one.
fn parse_batch(body: &[u8]) -> Result<BatchRequest, String> {
    const NOT_JSON: &str =
        "The body is not a GraphQL request in JSON ({\"query\": ..., \"variables\": ...}).";
    let value: Value = serde_json::from_slice(body).map_err(|_| NOT_JSON.to_owned())?;
    match value {
        Value::Array(ops) => {
            if ops.is_empty() || ops.len() > MAX_BATCH {
                return Err(format!("A batch holds 1 to {MAX_BATCH} operations."));
            }
            ops.into_iter()
                .map(parse_request)
                .collect::<Result<Vec<_>, _>>()
                .map(BatchRequest::Batch)
        }
        Value::Object(_) => parse_request(value).map(BatchRequest::Single),
        _ => Err(NOT_JSON.to_owned()),
    }
}

/// One GraphQL-over-HTTP request: `query` a string; `operationName` a string or null;
/// `variables` and `extensions` maps or null. Other members are ignored.
fn parse_request(value: Value) -> Result<async_graphql::Request, String> {
    let Value::Object(mut map) = value else {
        return Err("Each operation of a batch is a JSON object.".into());
    };
    if !map.get("query").is_some_and(Value::is_string) {
        return Err("`query` is required and is a string holding the GraphQL document.".into());
    }
    let mut optional = |name: &str, ok: fn(&Value) -> bool, what: &str| match map.get(name) {
        Some(Value::Null) => {
            map.remove(name);
            Ok(())
        }
        Some(v) if !ok(v) => Err(format!("`{name}` is {what} when present.")),
        _ => Ok(()),
    };
    optional("operationName", Value::is_string, "a string")?;
    optional("variables", Value::is_object, "a map (a JSON object)")?;
    optional("extensions", Value::is_object, "a map (a JSON object)")?;
    serde_json::from_value(Value::Object(map))
        .map_err(|e| format!("The request could not be read: {e}."))
}

/// What happened to a (batch) response, once every top-level error has its code.
struct Outcome {
    /// An error says that the database is unavailable.
    unavailable: bool,
    /// Every operation was refused before it ran.
    refused: bool,
    /// An operation was refused for its user's write limit (`crate::api::writes`).
    rate_limited: bool,
}

impl Outcome {
    fn of(response: &mut BatchResponse) -> Self {
        match response {
            BatchResponse::Single(r) => Self {
                unavailable: code_request_errors(r),
                refused: refused_before_running(r),
                rate_limited: rate_limited(r),
            },
            BatchResponse::Batch(rs) => {
                // Every response is coded: no short-circuit.
                let mut unavailable = false;
                for r in rs.iter_mut() {
                    unavailable |= code_request_errors(r);
                }
                Self {
                    unavailable,
                    refused: rs.iter().all(refused_before_running),
                    rate_limited: rs.iter().any(rate_limited),
                }
            }
        }
    }

    /// The status with `application/graphql-response+json`; [`status_in`] gives the one
    /// for the negotiated type.
    fn status(&self) -> StatusCode {
        if self.unavailable {
            // The database is down or its pool is exhausted: say so to proxies and
            // clients, which may retry, instead of a 200 that looks like an answer.
            StatusCode::SERVICE_UNAVAILABLE
        } else if self.refused && self.rate_limited {
            // Nothing ran, and an operation waits for its user's allowance: say when.
            StatusCode::TOO_MANY_REQUESTS
        } else if self.refused {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        }
    }
}

/// The status of a GraphQL response in `media`: `application/json` answers 200 where
/// `application/graphql-response+json` says 400 (an operation refused before it ran).
fn status_in(media: MediaType, status: StatusCode) -> StatusCode {
    match (media, status) {
        (MediaType::Json, StatusCode::BAD_REQUEST) => StatusCode::OK,
        _ => status,
    }
}

/// Whether an operation was refused for its user's write limit.
fn rate_limited(response: &async_graphql::Response) -> bool {
    response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| *c == async_graphql::Value::from(crate::api::writes::RATE_LIMITED))
    })
}

/// Whether an operation was refused before it ran: it does not parse or validate, or the
/// shape check refused it. Those errors have no `path` and there is no data; an error raised
/// while running has the path of its field.
fn refused_before_running(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// The JSON of a (batch) response, or None when it would be longer than `limit` bytes (it
/// is not written past that). An operation refused before it ran has no `data` entry
/// (GraphQL specification, "Response Format"), rather than `"data": null`.
fn serialize(response: &BatchResponse, limit: usize) -> Result<Option<String>, ApiError> {
    let mut out = Bounded {
        bytes: Vec::new(),
        limit,
    };
    let written = match response {
        BatchResponse::Single(r) => serde_json::to_writer(&mut out, &Wire(r)),
        BatchResponse::Batch(rs) => {
            serde_json::to_writer(&mut out, &rs.iter().map(Wire).collect::<Vec<_>>())
        }
    };
    match written {
        Ok(()) => String::from_utf8(out.bytes)
            .map(Some)
            .map_err(|_| ApiError::Internal("response not UTF-8".into())),
        Err(e) if e.is_io() => Ok(None),
        Err(_) => Err(ApiError::Internal("response not serializable".into())),
    }
}

/// A buffer that refuses to grow past `limit` bytes.
struct Bounded {
    bytes: Vec<u8>,
    limit: usize,
}

// serde_json writes a response a few bytes at a time: inlined, the check costs what
// `Vec`'s own writer does (not inlined, it was 1–2 % of a list's CPU time).
impl std::io::Write for Bounded {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf).map(|()| buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.bytes.len().saturating_add(buf.len()) > self.limit {
            return Err(std::io::Error::other("response too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The answer to a response longer than `limit` bytes: each operation's answer replaced by
/// one `QUERY_TOO_COMPLEX` error, in the same shape (one, or a batch).
fn too_large(response: &BatchResponse, limit: usize) -> BatchResponse {
    let error = || {
        let refusal = crate::api::cost::too_complex(format!(
            "The response would be longer than {limit} bytes, the most one response may be: \
             ask for smaller pages (`first`), fewer fields or fewer operations per batch."
        ));
        async_graphql::Response::from_errors(vec![refusal.into()])
    };
    match response {
        BatchResponse::Single(_) => BatchResponse::Single(error()),
        BatchResponse::Batch(rs) => BatchResponse::Batch(rs.iter().map(|_| error()).collect()),
    }
}

/// One response as sent: as async-graphql writes it, without `data` when refused.
struct Wire<'a>(&'a async_graphql::Response);

impl serde::Serialize for Wire<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Refused<'a> {
            errors: &'a [async_graphql::ServerError],
            #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
            extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
        }
        if refused_before_running(self.0) {
            Refused {
                errors: &self.0.errors,
                extensions: &self.0.extensions,
            }
            .serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// The operations of a batch one after the other, as async-graphql's `execute_batch` does.
async fn execute_batch(
    state: &AppState,
    batch: BatchRequest,
    introspection: bool,
) -> BatchResponse {
    let run = |r| crate::api::execute(&state.schema, &state.ctx, r, introspection);
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
    // Anonymous callers share no scope: their key is ignored (kernel::idempotency).
    let Some(me) = viewer.principal() else {
        return Ok(None);
    };
    let scope = me.user_id.to_string();
    Ok(Some(Arc::new(Claim::new(scope, key.to_owned(), body))))
}

/// The response for a key already seen (`replayed`), or this request's own. The stored
/// status is the `application/graphql-response+json` one.
fn idempotent_answer(seen: Seen, replayed: bool, media: MediaType) -> Response {
    match seen {
        Seen::Replay(status, body) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut resp = (
                status_in(media, status),
                [(header::CONTENT_TYPE, media.content_type())],
                body,
            )
                .into_response();
            if replayed {
                resp.headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            if status == StatusCode::SERVICE_UNAVAILABLE {
                retry_after(&mut resp);
            }
            resp
        }
        Seen::Mismatch => error_in(
            media,
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was used with another request: use a new key.",
        ),
        Seen::Pending | Seen::New => {
            let mut resp = error_in(
                media,
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
/// `crate::kernel::error`); the ones without a code are async-graphql's own refusals of the request
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(body: &str) -> Result<BatchRequest, String> {
        parse_batch(body.as_bytes())
    }

    #[test]
    fn requests_take_a_string_query_and_optional_maps_or_nulls() {
        assert!(parsed(r#"{"query": "{ __typename }"}"#).is_ok());
        assert!(
            parsed(r#"{"query": "{ __typename }", "operationName": null, "variables": null, "extensions": null}"#)
                .is_ok()
        );
        let BatchRequest::Single(r) = parsed(
            r#"{"query": "query Q { __typename }", "operationName": "Q", "variables": {"a": 1}, "extensions": {"x": true}, "other": 1}"#,
        )
        .expect("parses") else {
            panic!("one request")
        };
        assert_eq!(r.operation_name.as_deref(), Some("Q"));
        for bad in [
            r#"{"notquery": "{ __typename }"}"#,
            r#"{"query": {"obj": "ect"}}"#,
            r#"{"query": 0}"#,
            r#"{"query": null}"#,
            r#"{"query": "{ __typename }", "operationName": 0}"#,
            r#"{"query": "{ __typename }", "operationName": ["Q"]}"#,
            r#"{"query": "{ __typename }", "variables": "{}"}"#,
            r#"{"query": "{ __typename }", "variables": []}"#,
            r#"{"query": "{ __typename }", "extensions": false}"#,
            r#""{ __typename }""#,
            r#"{ "not a JSON"#,
            "",
            "[]",
            r#"[{"query": "{ __typename }"}, 1]"#,
        ] {
            assert!(parsed(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn batches_hold_one_to_five_requests() {
        let op = r#"{"query": "{ __typename }"}"#;
        let batch = |n: usize| format!("[{}]", vec![op; n].join(","));
        assert!(matches!(parsed(&batch(5)), Ok(BatchRequest::Batch(b)) if b.len() == 5));
        assert!(parsed(&batch(6)).is_err());
    }

    #[test]
    fn application_json_answers_200_where_the_new_type_says_400() {
        assert_eq!(
            status_in(MediaType::Json, StatusCode::BAD_REQUEST),
            StatusCode::OK
        );
        assert_eq!(
            status_in(MediaType::GraphQlResponse, StatusCode::BAD_REQUEST),
            StatusCode::BAD_REQUEST
        );
        for media in [MediaType::Json, MediaType::GraphQlResponse] {
            assert_eq!(
                status_in(media, StatusCode::SERVICE_UNAVAILABLE),
                StatusCode::SERVICE_UNAVAILABLE
            );
        }
    }
}
