//! Compression, and validators for the calendar feeds and CSV exports.
//!
//! Every response over [`COMPRESS_ABOVE`] bytes is compressed with gzip or brotli when the
//! request's `Accept-Encoding` allows it ([`compression`]).
//!
//! Feeds and exports go through [`conditional`]: it gives a successful response a strong
//! `ETag`, the SHA-256 of the bytes sent (so a gzip, a brotli and a plain copy each have
//! their own, as RFC 9110 §8.8.3 wants of a strong validator), a `Cache-Control` by its
//! [`Caching`] policy, and answers an `If-None-Match` that names that tag (or `*`) with 304 and
//! no body. The response is built, authorised and compressed as usual first; what a 304
//! saves is the transfer.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower_http::compression::{
    CompressionLayer,
    predicate::{NotForContentType, Predicate, SizeAbove},
};

/// Smallest body compressed, in bytes: below it, compression saves too little to pay for
/// its headers and time.
pub const COMPRESS_ABOVE: u16 = 1024;

/// Largest feed or export that [`conditional`] reads to hash it. The all-States calendar and
/// the exports are far smaller; a larger body is sent as it is, without a validator.
const MAX_HASHED_BYTES: usize = 32 * 1024 * 1024;

/// gzip and brotli, chosen by `Accept-Encoding`, for bodies over [`COMPRESS_ABOVE`] bytes
/// (never images or event streams, which gain nothing).
pub fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        SizeAbove::new(COMPRESS_ABOVE)
            .and(NotForContentType::GRPC)
            .and(NotForContentType::IMAGES)
            .and(NotForContentType::SSE),
    )
}

/// How a feed or an export may be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caching {
    /// `private, max-age=300`: the browser (never a shared proxy) may reuse it for five
    /// minutes, then revalidates with `If-None-Match`.
    Private,
    /// `no-store`: personal data (names, email addresses), which no cache keeps. The `ETag`
    /// is still sent and `If-None-Match` still answered, after authorisation as always, for
    /// a client that keeps its own copy.
    NoStore,
}

impl Caching {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::Private => "private, max-age=300",
            Self::NoStore => "no-store",
        })
    }
}

/// The middleware of feeds and exports: `ETag`, `Cache-Control` and 304 (see the module).
/// Responses other than 200 pass untouched.
pub async fn conditional(State(caching): State<Caching>, request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_HASHED_BYTES).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The response could not be read.",
        )
            .into_response();
    };
    let tag = entity_tag(&bytes);
    parts
        .headers
        .insert(header::CACHE_CONTROL, caching.header());
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    if if_none_match.is_some_and(|v| v.to_str().is_ok_and(|v| matches(v, &tag))) {
        return not_modified(&parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The strong entity tag of a body: its SHA-256, base64url, quoted.
pub fn entity_tag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!(
        "\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

/// Whether an `If-None-Match` value (`*`, or a list of tags, weak or strong) names `tag`.
/// The weak comparison applies (RFC 9110 §13.1.2): `W/"x"` matches `"x"`.
pub fn matches(if_none_match: &str, tag: &str) -> bool {
    if if_none_match.trim() == "*" {
        return true;
    }
    if_none_match
        .split(',')
        .map(|t| t.trim())
        .map(|t| t.strip_prefix("W/").unwrap_or(t))
        .any(|t| t == tag)
}

/// 304 with the headers a 200 would have had that describe the representation's caching
/// (RFC 9110 §15.4.5), and no body.
fn not_modified(headers: &HeaderMap) -> Response {
    let mut resp = StatusCode::NOT_MODIFIED.into_response();
    for name in [
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::CONTENT_LOCATION,
        header::EXPIRES,
        header::DATE,
    ] {
        for value in headers.get_all(&name) {
            resp.headers_mut().append(name.clone(), value.clone());
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_quoted_hashes_of_the_body() {
        let tag = entity_tag(b"BEGIN:VCALENDAR");
        assert!(tag.starts_with('"') && tag.ends_with('"'), "{tag}");
        assert_eq!(tag.len(), 45, "43 base64url characters of SHA-256, quoted");
        assert_eq!(tag, entity_tag(b"BEGIN:VCALENDAR"));
        assert_ne!(tag, entity_tag(b"BEGIN:VCALENDAR "));
    }

    #[test]
    fn if_none_match_takes_a_tag_a_list_a_weak_tag_or_a_star() {
        let tag = entity_tag(b"x");
        assert!(matches(&tag, &tag));
        assert!(matches(&format!("\"other\", {tag}"), &tag));
        assert!(matches(&format!("W/{tag}"), &tag));
        assert!(matches("*", &tag));
        assert!(matches(" * ", &tag));
        assert!(!matches("\"other\"", &tag));
        assert!(!matches(tag.trim_matches('"'), &tag), "unquoted");
        assert!(!matches("", &tag));
    }
}
