//! Keyset pagination for services: a page is "the next `limit` rows after this key, in key
//! order". Keys are unique columns, so pages never skip or repeat rows when data changes.
//! Cursors (the opaque strings clients see) are encoded in `graphql::pagination`.

use std::collections::HashMap;
use std::hash::Hash;

use uuid::Uuid;

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Order, Query, WindowStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, TryGetable,
};

use crate::kernel::error::{Code, ServiceError};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub limit: u64,
    /// The key of the last row already seen.
    pub after: Option<String>,
}

impl PageRequest {
    /// `first` defaults to 20; from 0 to 100 it is taken as it is, and anything else is
    /// refused with a message that names the limit (a client asking for more than it can
    /// get should learn so, not receive a silently shorter page).
    pub fn new(first: Option<i32>, after: Option<String>) -> Result<Self, String> {
        let limit = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) => u64::try_from(n)
                .ok()
                .filter(|n| *n <= MAX_PAGE_SIZE)
                .ok_or_else(|| {
                    format!("`first` must lie between 0 and {MAX_PAGE_SIZE}; it was {n}.")
                })?,
        };
        Ok(Self { limit, after })
    }

    /// The cursor as the UUID key of the last row seen: every list is keyed by its rows'
    /// UUIDv7 IDs. A cursor that holds no UUID is refused, not taken as the first page.
    pub fn after_id(&self) -> Result<Option<Uuid>, ServiceError> {
        self.after
            .as_deref()
            .map(|k| {
                Uuid::parse_str(k).map_err(|_| {
                    ServiceError::refused(
                        Code::InvalidInput,
                        &["after"],
                        "`after` is not a valid cursor.",
                    )
                })
            })
            .transpose()
    }
}

#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
    /// Rows matching the filter, on every page.
    pub total: u64,
    /// True when the page starts after a cursor.
    pub has_previous: bool,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Self {
            items: vec![],
            has_next: false,
            total: 0,
            has_previous: false,
        }
    }

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

/// One page of `rows`, given in `direction`'s order of their unique `key`: the rows after
/// `after` in that order, at most `limit` of them, with the total. What [`fetch`] answers,
/// for rows held in memory.
pub fn slice<T, K: PartialOrd + ?Sized>(
    rows: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> &K,
    direction: Direction,
    after: Option<&K>,
    limit: u64,
) -> Page<T> {
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut page = Page::empty();
    page.has_previous = after.is_some();
    for row in rows {
        page.total += 1;
        let passed = after.is_some_and(|a| match direction {
            Direction::Ascending => key(&row) <= a,
            Direction::Descending => key(&row) >= a,
        });
        if passed {
            continue;
        }
        if page.items.len() < cap {
            page.items.push(row);
        } else {
            page.has_next = true;
        }
    }
    page
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

/// One page per group in one statement (two after a cursor) whatever the number of groups:
/// `select` restricted to `group` in `groups`, each group's rows ordered by the unique column
/// `key`, the page cut by `ROW_NUMBER()` over the group (SQLite and PostgreSQL both have
/// window functions).
/// Every group asked for is in the answer, empty when it has no rows. The same as calling
/// [`fetch`] once per group with `select.filter(group.eq(g))`.
#[allow(clippy::too_many_arguments)]
pub async fn fetch_grouped<E, G, K, C, V>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    group: G,
    groups: &[K],
    group_of: impl Fn(&E::Model) -> K,
    key: C,
    direction: Direction,
    after: Option<V>,
    limit: u64,
) -> Result<HashMap<K, Page<E::Model>>, DbErr>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    G: ColumnTrait,
    K: Into<sea_orm::Value> + TryGetable + Clone + Eq + Hash,
    C: ColumnTrait,
    V: Into<sea_orm::Value>,
{
    let mut pages: HashMap<K, Page<E::Model>> = groups
        .iter()
        .map(|g| {
            let mut p = Page::empty();
            p.has_previous = after.is_some();
            (g.clone(), p)
        })
        .collect();
    if groups.is_empty() {
        return Ok(pages);
    }
    let select = select.filter(group.is_in(groups.iter().cloned()));
    let order = match direction {
        Direction::Ascending => Order::Asc,
        Direction::Descending => Order::Desc,
    };
    let window = WindowStatement::partition_by(group)
        .order_by(key, order)
        .to_owned();
    let first_page = after.is_none();
    let mut inner = match after {
        // A first page counts each group in the same statement, before it is cut.
        None => select,
        Some(after) => {
            // After a cursor the rows before it are gone from the window: count apart.
            let totals: Vec<(K, i64)> = select
                .clone()
                .select_only()
                .column(group)
                .column_as(key.count(), "n")
                .group_by(group)
                .into_tuple()
                .all(db)
                .await?;
            for (g, n) in totals {
                if let Some(p) = pages.get_mut(&g) {
                    p.total = u64::try_from(n).unwrap_or(0);
                }
            }
            match direction {
                Direction::Ascending => select.filter(key.gt(after)),
                Direction::Descending => select.filter(key.lt(after)),
            }
        }
    }
    .into_query();
    inner.expr_window_as(Expr::cust("ROW_NUMBER()"), window, Alias::new("page_row"));
    if first_page {
        inner.expr_window_as(
            Expr::cust("COUNT(*)"),
            WindowStatement::partition_by(group),
            Alias::new("page_total"),
        );
    }
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(inner, Alias::new("paged"))
        .and_where(ExprTrait::lte(
            Expr::col(Alias::new("page_row")),
            i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1),
        ))
        .order_by(Alias::new("page_row"), Order::Asc)
        .to_owned();
    let mut rows = Vec::new();
    for result in db.query_all(&outer).await? {
        let row = E::Model::from_query_result(&result, "")?;
        if first_page && let Some(p) = pages.get_mut(&group_of(&row)) {
            p.total = u64::try_from(result.try_get::<i64>("", "page_total")?).unwrap_or(0);
        }
        rows.push(row);
    }
    let cap = usize::try_from(limit).unwrap_or(usize::MAX);
    for row in rows {
        if let Some(p) = pages.get_mut(&group_of(&row)) {
            if p.items.len() < cap {
                p.items.push(row);
            } else {
                p.has_next = true;
            }
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_pages_rows_in_memory_as_fetch_pages_rows_in_the_database() {
        let rows = ["AFG", "ALB", "AUT", "BEL", "BEN"];
        fn key<'a>(r: &'a &str) -> &'a str {
            r
        }
        use Direction::Ascending as Up;
        let first = slice(rows, key, Up, None, 2);
        assert_eq!(first.items, ["AFG", "ALB"]);
        assert_eq!(
            (first.total, first.has_next, first.has_previous),
            (5, true, false)
        );
        let second = slice(rows, key, Up, Some("ALB"), 2);
        assert_eq!(second.items, ["AUT", "BEL"]);
        assert_eq!(
            (second.total, second.has_next, second.has_previous),
            (5, true, true)
        );
        let last = slice(rows, key, Up, Some("BEL"), 2);
        assert_eq!(last.items, ["BEN"]);
        assert!(!last.has_next);
        // A cursor between keys, or past the end; no rows asked for.
        assert_eq!(slice(rows, key, Up, Some("B"), 1).items, ["BEL"]);
        assert!(slice(rows, key, Up, Some("ZZZ"), 5).items.is_empty());
        let none = slice(rows, key, Up, None, 0);
        assert!(none.items.is_empty() && none.has_next);
        assert_eq!(slice(rows, key, Up, None, 100).items.len(), 5);
        // Newest first: the same rows, given and paged in descending order.
        let down: Vec<&str> = rows.into_iter().rev().collect();
        let first = slice(down.clone(), key, Direction::Descending, None, 2);
        assert_eq!(first.items, ["BEN", "BEL"]);
        assert_eq!((first.total, first.has_next), (5, true));
        let next = slice(down.clone(), key, Direction::Descending, Some("BEL"), 2);
        assert_eq!(next.items, ["AUT", "ALB"]);
        assert!(next.has_next && next.has_previous);
        let between = slice(down, key, Direction::Descending, Some("B"), 5);
        assert_eq!(between.items, ["AUT", "ALB", "AFG"]);
        assert!(!between.has_next);
    }

    #[test]
    fn first_defaults_to_20_and_is_refused_beyond_100() {
        assert_eq!(PageRequest::new(None, None).map(|p| p.limit), Ok(20));
        assert_eq!(PageRequest::new(Some(5), None).map(|p| p.limit), Ok(5));
        assert_eq!(PageRequest::new(Some(100), None).map(|p| p.limit), Ok(100));
        assert_eq!(PageRequest::new(Some(0), None).map(|p| p.limit), Ok(0));
        let refused = PageRequest::new(Some(101), None).expect_err("101 is over the limit");
        assert!(refused.contains("100"), "{refused}");
        assert!(PageRequest::new(Some(-1), None).is_err());
        assert!(PageRequest::new(Some(i32::MIN), None).is_err());
    }
}
