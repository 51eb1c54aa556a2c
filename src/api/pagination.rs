//! Relay connections: `first` (default 20, capped at 100), opaque keyset cursors and
//! `totalCount`, in one place for every list.

use std::borrow::Cow;

use async_graphql::{
    Context, Object, OutputType, TypeName,
    connection::{Edge, EmptyFields, PageInfo},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::api::error::ApiError;
use crate::kernel::pagination::{Page, PageRequest};

/// A Relay connection of `T`, named `<T>Connection`, with edges named `<T>Edge`: the
/// shape of async-graphql's `Connection`, with `totalCount` and a description.
pub struct Conn<T: OutputType> {
    edges: Vec<Edge<String, T, EmptyFields>>,
    has_previous: bool,
    has_next: bool,
    total_count: i32,
}

impl<T: OutputType> TypeName for Conn<T> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", T::type_name()).into()
    }
}

/// One page of a list, Relay style: pass `pageInfo.endCursor` as `after` for the next page.
/// `first` defaults to 20; more than 100 is refused.
#[Object(name_type)]
impl<T: OutputType> Conn<T> {
    /// Information to aid in pagination.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous,
            has_next_page: self.has_next,
            start_cursor: self.edges.first().map(|e| e.cursor.clone()),
            end_cursor: self.edges.last().map(|e| e.cursor.clone()),
        }
    }

    /// A list of edges.
    async fn edges(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<&[Edge<String, T, EmptyFields>]> {
        // Counted, as every list of objects, into the operation's run-time budget.
        crate::api::cost::charge(ctx, self.edges.len()).map_err(async_graphql::Error::new)?;
        Ok(&self.edges)
    }

    /// How many items match the filter, across all pages.
    async fn total_count(&self) -> i32 {
        self.total_count
    }
}

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

/// Validates `first` (a refusal is `INVALID_ARGUMENT`, naming the limit) and decodes
/// `after` (a forged cursor is `BAD_USER_INPUT`).
pub fn page_request(first: Option<i32>, after: Option<String>) -> Result<PageRequest, ApiError> {
    let after = match after {
        Some(c) => Some(
            decode_cursor(&c)
                .ok_or_else(|| ApiError::BadUserInput("`after` is not a valid cursor.".into()))?,
        ),
        None => None,
    };
    PageRequest::new(first, after).map_err(ApiError::InvalidArgument)
}

/// Builds the connection for a page, with each edge's cursor made from its row's key.
pub fn connection<M, T: OutputType>(
    page: Page<M>,
    key: impl Fn(&M) -> String,
    node: impl Fn(M) -> T,
) -> Conn<T> {
    Conn {
        edges: page
            .items
            .into_iter()
            .map(|m| Edge::new(encode_cursor(&key(&m)), node(m)))
            .collect(),
        has_previous: page.has_previous,
        has_next: page.has_next,
        total_count: i32::try_from(page.total).unwrap_or(i32::MAX),
    }
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
