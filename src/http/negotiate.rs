//! The media type of a GraphQL response, from the request's `Accept` header, as the
//! GraphQL-over-HTTP specification has it:
//!
//! - `application/graphql-response+json`: the status says what happened to the request: 400
//!   when it does not parse or validate (nothing ran), 200 when it ran, errors or not;
//! - `application/json`, for clients written before that type: 200 for every GraphQL
//!   response, as they expect.
//!
//! A request without `Accept`, or with `*/*`, gets `application/graphql-response+json` (the
//! specification's default since 2025). `Accept` weights (`q`) are honoured: the type with
//! the highest weight wins; on equal weights, the one the header names explicitly beats one a
//! wildcard covers, then the one listed first, then `application/graphql-response+json`. An
//! `Accept` that allows neither gets 406.

use axum::http::{HeaderMap, header};

/// A media type this server answers GraphQL in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`.
    GraphQlResponse,
    /// `application/json`.
    Json,
}

impl MediaType {
    pub const GRAPHQL_RESPONSE: &'static str = "application/graphql-response+json";
    pub const JSON: &'static str = "application/json";

    /// The `Content-Type` of a response in this type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::GraphQlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }

    fn essence(self) -> &'static str {
        match self {
            Self::GraphQlResponse => Self::GRAPHQL_RESPONSE,
            Self::Json => Self::JSON,
        }
    }
}

/// How well one media range of `Accept` matches a type: its weight, how specific it is
/// (0 for `*/*`, 1 for `type/*`, 2 for the exact type) and its position in the header.
#[derive(Clone, Copy, Debug)]
struct Match {
    q: u16,
    specificity: u8,
    position: usize,
}

/// The response type for these request headers, or `None` when `Accept` allows neither
/// (answer 406).
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let accept = values.join(",");
    if accept.trim().is_empty() {
        return Some(MediaType::GraphQlResponse);
    }
    let ranges: Vec<(&str, u16)> = accept.split(',').filter_map(media_range).collect();
    let score = |t: MediaType| best_match(&ranges, t.essence()).filter(|m| m.q > 0);
    // Preference on a tie: the type named explicitly, then the one listed first, then the
    // newer type.
    let rank = |m: Match, t: MediaType| {
        (
            m.q,
            m.specificity,
            std::cmp::Reverse(m.position),
            t == MediaType::GraphQlResponse,
        )
    };
    match (score(MediaType::GraphQlResponse), score(MediaType::Json)) {
        (Some(g), Some(j)) => Some(
            if rank(g, MediaType::GraphQlResponse) >= rank(j, MediaType::Json) {
                MediaType::GraphQlResponse
            } else {
                MediaType::Json
            },
        ),
        (Some(_), None) => Some(MediaType::GraphQlResponse),
        (None, Some(_)) => Some(MediaType::Json),
        (None, None) => None,
    }
}

/// One media range (`type/subtype;param=…;q=0.5`): the lowercased `type/subtype` and its
/// weight in thousandths. A range that does not parse is left out.
fn media_range(range: &str) -> Option<(&str, u16)> {
    let mut parts = range.split(';');
    let essence = parts.next()?.trim();
    let (kind, subtype) = essence.split_once('/')?;
    if kind.is_empty() || subtype.is_empty() {
        return None;
    }
    let mut q = 1000;
    for param in parts {
        let Some((name, value)) = param.split_once('=') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("q") {
            q = weight(value.trim())?;
        }
    }
    Some((essence, q))
}

/// A `q` value (RFC 9110 §12.4.2: `0` to `1`, at most three decimals) in thousandths.
fn weight(value: &str) -> Option<u16> {
    let q: f64 = value.parse().ok()?;
    if !(0.0..=1.0).contains(&q) {
        return None;
    }
    // In [0, 1000] after the check above: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some((q * 1000.0).round() as u16)
}

/// The most specific range that covers `essence` (RFC 9110 §12.5.1), if any.
fn best_match(ranges: &[(&str, u16)], essence: &str) -> Option<Match> {
    let (kind, _) = essence.split_once('/')?;
    ranges
        .iter()
        .enumerate()
        .filter_map(|(position, (range, q))| {
            let specificity = if range.eq_ignore_ascii_case(essence) {
                2
            } else if range
                .split_once('/')
                .is_some_and(|(k, s)| k.eq_ignore_ascii_case(kind) && s == "*")
            {
                1
            } else if *range == "*/*" {
                0
            } else {
                return None;
            };
            Some(Match {
                q: *q,
                specificity,
                position,
            })
        })
        // The most specific range decides; among equally specific ones, the first.
        .max_by_key(|m| (m.specificity, std::cmp::Reverse(m.position)))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::MediaType::{GraphQlResponse as Gql, Json};
    use super::*;

    fn accept(values: &[&str]) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::ACCEPT, HeaderValue::from_str(v).expect("header"));
        }
        negotiate(&headers)
    }

    #[test]
    fn no_accept_or_any_type_gets_the_graphql_response_type() {
        assert_eq!(accept(&[]), Some(Gql));
        assert_eq!(accept(&[""]), Some(Gql));
        assert_eq!(accept(&["*/*"]), Some(Gql));
        assert_eq!(accept(&["application/*"]), Some(Gql));
    }

    #[test]
    fn each_type_named_alone_gets_itself() {
        assert_eq!(accept(&["application/json"]), Some(Json));
        assert_eq!(accept(&["Application/JSON; charset=utf-8"]), Some(Json));
        assert_eq!(accept(&["application/graphql-response+json"]), Some(Gql));
    }

    #[test]
    fn weights_decide_then_specificity_then_order() {
        assert_eq!(
            accept(&["application/graphql-response+json, application/json;q=0.9"]),
            Some(Gql)
        );
        assert_eq!(
            accept(&["application/graphql-response+json;q=0.5, application/json"]),
            Some(Json)
        );
        assert_eq!(
            accept(&["application/json, application/graphql-response+json"]),
            Some(Json)
        );
        assert_eq!(
            accept(&["application/graphql-response+json, application/json"]),
            Some(Gql)
        );
        // What browsers' fetch and many clients send: the named type beats the wildcard.
        assert_eq!(accept(&["application/json, */*"]), Some(Json));
        assert_eq!(accept(&["application/json;q=0.9, */*;q=0.8"]), Some(Json));
        assert_eq!(accept(&["text/html, */*;q=0.1"]), Some(Gql));
        // Several Accept headers are one list.
        assert_eq!(accept(&["text/html", "application/json"]), Some(Json));
    }

    #[test]
    fn a_zero_weight_refuses_a_type_even_under_a_wildcard() {
        assert_eq!(
            accept(&["application/graphql-response+json;q=0, */*"]),
            Some(Json)
        );
        assert_eq!(accept(&["application/json;q=0, */*"]), Some(Gql));
        assert_eq!(
            accept(&["application/json;q=0, application/graphql-response+json;q=0, */*"]),
            None
        );
    }

    #[test]
    fn an_accept_that_allows_neither_is_refused() {
        assert_eq!(accept(&["text/html"]), None);
        assert_eq!(
            accept(&["text/html,application/xhtml+xml,application/xml;q=0.9"]),
            None
        );
        assert_eq!(accept(&["application/json;q=0"]), None);
        assert_eq!(accept(&["*/*;q=0"]), None);
        // Ranges that do not parse are left out.
        assert_eq!(accept(&["json, application/json;q=2"]), None);
    }
}
