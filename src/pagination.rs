//! Keyset pagination for services: a page is "the next `limit` rows after this key, in key
//! order". Keys are unique columns, so pages never skip or repeat rows when data changes.
//! Cursors (the opaque strings clients see) are encoded in `graphql::pagination`.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    /// The key of the last row already seen.
    pub after: Option<String>,
}

impl PageRequest {
    /// `first` defaults to 20 and is capped at 100; a negative `first` is refused.
    pub fn new(first: Option<i32>, after: Option<String>) -> Result<Self, String> {
        let limit = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 0 => return Err("`first` must not be negative.".into()),
            Some(n) => u64::try_from(n).unwrap_or(0).min(MAX_PAGE_SIZE),
        };
        Ok(Self { limit, after })
    }
}

#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
    /// Rows matching the filter, on every page.
    pub total: u64,
    /// True when the page starts after a cursor.
    pub has_previous: bool,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_next: self.has_next,
            total: self.total,
            has_previous: self.has_previous,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

/// Fetches one page of `select` ordered by the unique column `key`.
pub async fn fetch<E, C, V>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    key: C,
    direction: Direction,
    after: Option<V>,
    limit: u64,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ColumnTrait,
    V: Into<sea_orm::Value>,
{
    let total = select.clone().count(db).await?;
    let has_previous = after.is_some();
    let mut q = select;
    if let Some(after) = after {
        q = match direction {
            Direction::Ascending => q.filter(key.gt(after)),
            Direction::Descending => q.filter(key.lt(after)),
        };
    }
    q = match direction {
        Direction::Ascending => q.order_by_asc(key),
        Direction::Descending => q.order_by_desc(key),
    };
    let mut items = q.limit(limit + 1).all(db).await?;
    let has_next = items.len() as u64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next,
        total,
        has_previous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_defaults_to_20_and_is_capped_at_100() {
        assert_eq!(PageRequest::new(None, None).map(|p| p.limit), Ok(20));
        assert_eq!(PageRequest::new(Some(5), None).map(|p| p.limit), Ok(5));
        assert_eq!(PageRequest::new(Some(500), None).map(|p| p.limit), Ok(100));
        assert_eq!(PageRequest::new(Some(0), None).map(|p| p.limit), Ok(0));
        assert!(PageRequest::new(Some(-1), None).is_err());
    }
}
