//! Needs and offers as the viewer may see them: by ID, by report, by State, in pages.

use std::collections::HashMap;

use entity::enums::{NeedStatus, OfferStatus, RegionalGroup, ThematicArea, UserRole};
use entity::{assistance_need, assistance_offer, state};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{self, Direction, Page, PageRequest};

use super::{need_visible, offer_visible, sees_state};

/// The needs declared in each of several reports that the viewer may see, oldest first,
/// in one query.
pub async fn needs_of_reports(
    db: &DatabaseConnection,
    viewer: &Viewer,
    report_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<assistance_need::Model>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<assistance_need::Model>> =
        report_ids.iter().map(|id| (*id, vec![])).collect();
    if viewer.principal().is_none() {
        return Ok(out);
    }
    for n in assistance_need::Entity::find()
        .filter(assistance_need::Column::SourceReportId.is_in(report_ids.iter().copied()))
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await?
    {
        if let Some(id) = n.source_report_id
            && need_visible(viewer, &n)
        {
            out.entry(id).or_default().push(n);
        }
    }
    Ok(out)
}

/// The needs and offers of proposals, in two queries. Unfiltered: whoever may see a
/// proposal sees both its sides (see `proposals::visible`).
pub async fn sides_of_proposals(
    db: &DatabaseConnection,
    needs: &[Uuid],
    offers: &[Uuid],
) -> Result<(Vec<assistance_need::Model>, Vec<assistance_offer::Model>), DbErr> {
    let n = if needs.is_empty() {
        vec![]
    } else {
        assistance_need::Entity::find()
            .filter(assistance_need::Column::Id.is_in(needs.iter().copied()))
            .all(db)
            .await?
    };
    let o = if offers.is_empty() {
        vec![]
    } else {
        assistance_offer::Entity::find()
            .filter(assistance_offer::Column::Id.is_in(offers.iter().copied()))
            .all(db)
            .await?
    };
    Ok((n, o))
}

pub async fn get_need(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<assistance_need::Model>, DbErr> {
    Ok(assistance_need::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|n| need_visible(viewer, n)))
}

pub async fn get_offer(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<assistance_offer::Model>, DbErr> {
    Ok(assistance_offer::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|o| offer_visible(viewer, o)))
}

/// The needs of `ids` the viewer may see, in one statement.
pub async fn get_needs(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<assistance_need::Model>, DbErr> {
    Ok(assistance_need::Entity::find()
        .filter(assistance_need::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter(|n| need_visible(viewer, n))
        .collect())
}

/// The offers of `ids` the viewer may see, in one statement.
pub async fn get_offers(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<assistance_offer::Model>, DbErr> {
    Ok(assistance_offer::Entity::find()
        .filter(assistance_offer::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .filter(|o| offer_visible(viewer, o))
        .collect())
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
    let p = viewer.require()?;
    let mut cond = Condition::all();
    if p.role == UserRole::Delegation {
        cond = cond
            .add(assistance_need::Column::StateCode.eq(p.state_code.clone().unwrap_or_default()));
    }
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

/// Offers the viewer may see, oldest first. Logged-in users only.
pub async fn list_offers(
    db: &DatabaseConnection,
    viewer: &Viewer,
    f: OfferFilter,
    page: PageRequest,
) -> Result<Page<assistance_offer::Model>, ServiceError> {
    let p = viewer.require()?;
    let mut cond = Condition::all();
    if p.role == UserRole::Delegation {
        cond = cond.add(
            assistance_offer::Column::ProviderStateCode
                .eq(p.state_code.clone().unwrap_or_default()),
        );
    }
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

/// Pages of several States' rows in two queries; a State the viewer may not see gets an
/// empty page.
#[allow(clippy::too_many_arguments)]
async fn grouped_by_state<E, C>(
    db: &DatabaseConnection,
    viewer: &Viewer,
    select: sea_orm::Select<E>,
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
    let (seen, unseen): (Vec<String>, Vec<String>) = codes
        .iter()
        .cloned()
        .partition(|c| sees_state(viewer, Some(c)));
    let mut pages = pagination::fetch_grouped(
        db,
        select,
        column,
        &seen,
        group_of,
        key,
        Direction::Ascending,
        after,
        page.limit,
    )
    .await?;
    pages.extend(unseen.into_iter().map(|c| (c, Page::empty())));
    Ok(pages)
}

/// The needs of several States, a page each, through `StateParty`: a State's needs are
/// seen by its delegation and the ISU.
pub async fn needs_of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<assistance_need::Model>>, ServiceError> {
    grouped_by_state(
        db,
        viewer,
        assistance_need::Entity::find(),
        assistance_need::Column::StateCode,
        |n| n.state_code.clone(),
        assistance_need::Column::Id,
        codes,
        page,
    )
    .await
}

/// The offers of several States as providers, a page each, with the same visibility.
pub async fn offers_of_states(
    db: &DatabaseConnection,
    viewer: &Viewer,
    codes: &[String],
    page: &PageRequest,
) -> Result<HashMap<String, Page<assistance_offer::Model>>, ServiceError> {
    grouped_by_state(
        db,
        viewer,
        assistance_offer::Entity::find(),
        assistance_offer::Column::ProviderStateCode,
        |o| o.provider_state_code.clone().unwrap_or_default(),
        assistance_offer::Column::Id,
        codes,
        page,
    )
    .await
}
