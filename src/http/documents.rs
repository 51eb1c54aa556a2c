//! `PUT /documents/{id}/file` (ISU staff: the body is the file, `Content-Type` its media
//! type) and `GET /documents/{id}/file` (whoever may read the document), streamed both ways
//! through `kernel::blobs`.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use http_body_util::BodyExt;

use super::{AppState, caller, error_response, fault_response};
use crate::api::records::types::MeetingDocument;
use crate::domain::records::files::{self, Refusal};
use crate::kernel::blobs::ChunkSource;
use crate::kernel::error::ServiceError;

/// A request body as pieces for the store.
struct BodySource(Body);

impl ChunkSource for BodySource {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, String> {
        loop {
            match self.0.frame().await {
                None => return Ok(None),
                Some(Err(e)) => return Err(e.to_string()),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Ok(Some(data.to_vec()));
                    }
                }
            }
        }
    }
}

fn not_found() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "No such document, or it has no file you may read.",
    )
}

fn service_refusal(e: ServiceError) -> Response {
    match e {
        ServiceError::Refused(r) => {
            let code = r.first().map(|r| r.code);
            let (status, name) = match code {
                Some(crate::kernel::error::Code::Unauthenticated) => {
                    (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED")
                }
                _ => (StatusCode::FORBIDDEN, "FORBIDDEN"),
            };
            let message = r.first().map(|r| r.message.clone()).unwrap_or_default();
            error_response(status, name, &message)
        }
        other => fault_response(other),
    }
}

/// `PUT /documents/{id}/file`.
pub(super) async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let Some(key) = crate::api::ids::key::<MeetingDocument>(&id) else {
        return not_found();
    };
    let max = state.ctx.document_max_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = |max: u64| {
        error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            &format!("A document's file is at most {max} bytes (ISU_DOCUMENT_MAX_BYTES)."),
        )
    };
    if declared.is_some_and(|n| n > max) && viewer.is_isu() {
        return too_large(max);
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let ctx = &state.ctx;
    match files::upload(
        &ctx.db,
        &ctx.blobs,
        &viewer,
        key,
        &content_type,
        BodySource(body),
        max,
    )
    .await
    {
        Ok(doc) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({
                "mediaType": doc.media_type,
                "byteSize": doc.byte_size,
                "sha256": doc.sha256,
            })),
        )
            .into_response(),
        Err(Refusal::NotFound) => not_found(),
        Err(Refusal::Unsupported) => error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "A document's file is PDF, DOCX, XLSX, plain text, Markdown or HTML: say which in Content-Type.",
        ),
        Err(Refusal::NotWhatItSays(why)) => error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            &format!("The content is not what Content-Type says: {why}."),
        ),
        Err(Refusal::TooLarge(max)) => too_large(max),
        Err(Refusal::Cut) => error_response(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "The upload stopped before its end: nothing was stored.",
        ),
        Err(Refusal::Service(e)) => service_refusal(e),
    }
}

/// `GET /documents/{id}/file`: the file with its media type, length, a strong `ETag` (its
/// SHA-256) and a safe download name; 304 for a matching `If-None-Match`.
pub(super) async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match caller(&state, &headers).await {
        Ok(v) => v,
        Err(resp) => return resp,
    };
    let Some(key) = crate::api::ids::key::<MeetingDocument>(&id) else {
        return not_found();
    };
    let ctx = &state.ctx;
    let (doc, reader) = match files::download(&ctx.db, &ctx.blobs, &viewer, key).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(e) => return fault_response(e),
    };
    let etag = format!("\"{}\"", doc.sha256.as_deref().unwrap_or_default());
    let cache = if doc.access == entity::enums::Access::Public {
        "public, max-age=0, must-revalidate"
    } else {
        "private, max-age=0, must-revalidate"
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
        )
            .into_response();
    }
    let stream = futures_util::stream::unfold(reader, |mut reader| async move {
        match reader.next_chunk().await {
            Ok(Some(piece)) => Some((Ok::<_, std::io::Error>(piece), reader)),
            Ok(None) => None,
            Err(e) => Some((Err(std::io::Error::other(e.to_string())), reader)),
        }
    });
    (
        [
            (
                header::CONTENT_TYPE,
                doc.media_type.clone().unwrap_or_default(),
            ),
            (
                header::CONTENT_LENGTH,
                doc.byte_size.unwrap_or_default().to_string(),
            ),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", files::file_name(&doc)),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}
