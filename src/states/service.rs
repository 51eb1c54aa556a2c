//! Reads of the States registry.

use entity::enums::{RegionalGroup, StateStatus};
use entity::state;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use uuid::Uuid;

use crate::pagination::{self, Direction, Page, PageRequest};

#[derive(Debug, Default)]
pub struct StateFilter {
    pub status: Option<Vec<StateStatus>>,
    pub regional_group: Option<RegionalGroup>,
    /// Case-insensitive substring of the name or the code.
    pub search: Option<String>,
}

/// Escapes LIKE wildcards so that a search for "_" finds an underscore.
fn like_pattern(search: &str) -> LikeExpr {
    let escaped: String = search
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// States ordered by code.
pub async fn list(
    db: &DatabaseConnection,
    filter: StateFilter,
    page: PageRequest,
) -> Result<Page<state::Model>, DbErr> {
    let mut cond = Condition::all();
    if let Some(statuses) = filter.status.filter(|s| !s.is_empty()) {
        cond = cond.add(state::Column::Status.is_in(statuses));
    }
    if let Some(g) = filter.regional_group {
        cond = cond.add(state::Column::RegionalGroup.eq(g));
    }
    if let Some(s) = filter
        .search
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
    {
        cond = cond.add(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(state::Column::Name))).like(like_pattern(&s)))
                .add(
                    Expr::expr(Func::lower(Expr::col(state::Column::Code))).like(like_pattern(&s)),
                ),
        );
    }
    pagination::fetch(
        db,
        state::Entity::find().filter(cond),
        state::Column::Code,
        Direction::Ascending,
        page.after,
        page.limit,
    )
    .await
}

pub async fn by_code(db: &DatabaseConnection, code: &str) -> Result<Option<state::Model>, DbErr> {
    state::Entity::find()
        .filter(state::Column::Code.eq(code.trim().to_uppercase()))
        .one(db)
        .await
}

pub async fn by_id(db: &DatabaseConnection, id: Uuid) -> Result<Option<state::Model>, DbErr> {
    state::Entity::find_by_id(id).one(db).await
}
