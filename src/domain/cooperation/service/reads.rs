//! Needs and offers as the viewer may see them (the rules of `visibility`): by ID, by
//! report, by State, in pages.

use std::collections::HashMap;

use entity::enums::{NeedStatus, OfferStatus, RegionalGroup, ThematicArea};
use entity::{assistance_need, assistance_offer, state};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{self, Direction, Page, PageRequest};

use crate::domain::cooperation::visibility::{self, OfferScope};

/// The needs declared in each of several reports that the viewer may see, oldest first,
/// in one query.
pub async fn needs_of_reports(
    db: &DatabaseConnection,
    viewer: &Viewer,
    report_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<assistance_need::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<assistance_need::Model>> =
        report_ids.iter().map(|id| (*id, vec![])).collect();
    for n in assistance_need::Entity::find()
        .filter(assistance_need::Column::SourceReportId.is_in(report_ids.iter().copied()))
        .filter(visibility::needs(viewer))
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await?
    {
        if let Some(id) = n.source_report_id {
            out.entry(id).or_default().push(n);
        }
    }
    Ok(out)
}

pub async fn get_need(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<assistance_need::Model>, DbErr> {
    Ok(get_needs(db, viewer, &[id]).await?.pop())
}

pub async fn get_offer(
    db: &DatabaseConnection,
    scope: &OfferScope,
    id: Uuid,
) -> Result<Option<assistance_offer::Model>, DbErr> {
    Ok(get_offers(db, scope, &[id]).await?.pop())
}

/// The needs of `ids` the viewer may see, in one statement.
pub async fn get_needs(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<assistance_need::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    assistance_need::Entity::find()
        .filter(assistance_need::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::needs(viewer))
        .all(db)
        .await
}

/// The offers of `ids` in the viewer's scope, in one statement.
pub async fn get_offers(
    db: &DatabaseConnection,
    scope: &OfferScope,
    ids: &[Uuid],
) -> Result<Vec<assistance_offer::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    assistance_offer::Entity::find()
        .filter(assistance_offer::Column::Id.is_in(ids.iter().copied()))
        .filter(scope.condition())
        .all(db)
        .await
}

#[derive(Debug, Default)]
pub struct NeedFilter {
    pub status: Option<Vec<NeedStatus>>,
    pub area: Option<ThematicArea>,
    pub state_code: Option<String>,
    pub region: Option<RegionalGroup>,
}

/// Needs the viewer may see, oldest first. Logged-in users only.
pub async fn list_needs(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: NeedFilter,
    page: PageRequest,
) -> Result<Page<assistance_need::Model>, ServiceError> {
    viewer.require()?;
    let mut cond = Condition::all().add(visibility::needs(viewer));
    if let Some(s) = f.status.filter(|s| !s.is_empty()) {
        cond = cond.add(assistance_need::Column::Status.is_in(s));
    }
    if let Some(a) = f.area {
        cond = cond.add(assistance_need::Column::ThematicArea.eq(a));
    }
    if let Some(c) = f.state_code {
        cond = cond.add(assistance_need::Column::StateCode.eq(c.trim().to_uppercase()));
    }
    if let Some(g) = f.region {
        let codes: Vec<String> = state::Entity::find()
            .filter(state::Column::RegionalGroup.eq(g))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        cond = cond.add(assistance_need::Column::StateCode.is_in(codes));
    }
    list_page(
        db,
        assistance_need::Entity::find().filter(cond),
        assistance_need::Column::Id,
        page,
    )
    .await
}

#[derive(Debug, Default)]
pub struct OfferFilter {
    pub status: Option<Vec<OfferStatus>>,
    pub area: Option<ThematicArea>,
    pub provider_state_code: Option<String>,
}

/// Offers in the viewer's scope, oldest first. Logged-in users only.
pub async fn list_offers(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: &OfferScope,
    f: OfferFilter,
    page: PageRequest,
) -> Result<Page<assistance_offer::Model>, ServiceError> {
    viewer.require()?;
    let mut cond = Condition::all().add(scope.condition());
    if let Some(s) = f.status.filter(|s| !s.is_empty()) {
        cond = cond.add(assistance_offer::Column::Status.is_in(s));
    }
    if let Some(a) = f.area {
        // No area's name is part of another's, so a substring test is exact.
        cond = cond.add(
            assistance_offer::Column::ThematicAreas.contains(sea_orm::ActiveEnum::to_value(&a)),
        );
    }
    if let Some(c) = f.provider_state_code {
        cond = cond.add(assistance_offer::Column::ProviderStateCode.eq(c.trim().to_uppercase()));
    }
    list_page(
        db,
        assistance_offer::Entity::find().filter(cond),
        assistance_offer::Column::Id,
        page,
    )
    .await
}

async fn list_page<E, C>(
    db: &DatabaseConnection,
    select: sea_orm::Select<E>,
    key: C,
    page: PageRequest,
) -> Result<Page<E::Model>, ServiceError>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ColumnTrait,
{
    let after = page.after_id()?;
    Ok(pagination::fetch(db, select, key, Direction::Ascending, after, page.limit).await?)
}

/// Pages of several States' rows, filtered by a visibility condition, in two queries.
#[allow(clippy::too_many_arguments)]
async fn grouped_by_state<E, C>(
    db: &DatabaseConnection,
    select: sea_orm::Select<E>,
    visible: Condition,
    column: C,
    group_of: impl Fn(&E::Model) -> String,
    key: E::Column,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<E::Model>>, ServiceError>
where
    E: EntityTrait,
    E::Model: Send + Sync,
    C: ColumnTrait,
{
    let after = page.after_id()?;
    Ok(pagination::fetch_grouped(
        db,
        select.filter(visible),
        column,
        codes,
        group_of,
        key,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?)
}

/// The needs of several States that the viewer may see, a page each, through `StateParty`.
pub async fn needs_of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<assistance_need::Model>>, ServiceError> {
    grouped_by_state(
        db,
        assistance_need::Entity::find(),
        visibility::needs(viewer),
        assistance_need::Column::StateCode,
        |n| n.state_code.clone(),
        assistance_need::Column::Id,
        codes,
        page,
    )
    .await
}

/// The offers of several States as providers in the viewer's scope, a page each.
pub async fn offers_of_states(
    db: &DatabaseConnection,
    scope: &OfferScope,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<assistance_offer::Model>>, ServiceError> {
    grouped_by_state(
        db,
        assistance_offer::Entity::find(),
        scope.condition(),
        assistance_offer::Column::ProviderStateCode,
        |o| o.provider_state_code.clone().unwrap_or_default(),
        assistance_offer::Column::Id,
        codes,
        page,
    )
    .await
}
