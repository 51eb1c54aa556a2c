//! Relay connections: `first` (default 20, capped at 100), opaque keyset cursors and
//! `totalCount`, in one place for every list.

use async_graphql::{
    OutputType, SimpleObject,
    connection::{
        Connection, DefaultConnectionName, DefaultEdgeName, DisableNodesField, Edge, EmptyFields,
    },
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::error::ApiError;
use crate::pagination::{Page, PageRequest};

/// The connection fields beyond Relay's.
#[derive(SimpleObject)]
pub struct ConnectionTotals {
    /// How many items match the filter, across all pages.
    pub total_count: i32,
}

pub type Conn<T> = Connection<
    String,
    T,
    ConnectionTotals,
    EmptyFields,
    DefaultConnectionName,
    DefaultEdgeName,
    DisableNodesField,
>;

const CURSOR_PREFIX: &str = "cursor:";

pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{key}"))
}

pub fn decode_cursor(cursor: &str) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(cursor.as_bytes()).ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix(CURSOR_PREFIX)
        .map(str::to_owned)
}

/// Validates `first` and decodes `after`.
pub fn page_request(first: Option<i32>, after: Option<String>) -> Result<PageRequest, ApiError> {
    let after = match after {
        Some(c) => Some(
            decode_cursor(&c)
                .ok_or_else(|| ApiError::BadUserInput("`after` is not a valid cursor.".into()))?,
        ),
        None => None,
    };
    PageRequest::new(first, after).map_err(ApiError::BadUserInput)
}

/// Builds the connection for a page, with each edge's cursor made from its row's key.
pub fn connection<M, T: OutputType>(
    page: Page<M>,
    key: impl Fn(&M) -> String,
    node: impl Fn(M) -> T,
) -> Conn<T> {
    let mut conn = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        ConnectionTotals {
            total_count: i32::try_from(page.total).unwrap_or(i32::MAX),
        },
    );
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|m| Edge::new(encode_cursor(&key(&m)), node(m))),
    );
    conn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        assert_eq!(decode_cursor(&encode_cursor("LAO")), Some("LAO".into()));
        assert_eq!(decode_cursor("LAO"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("other:LAO")), None);
        assert!(page_request(Some(10), Some("garbage".into())).is_err());
    }
}
