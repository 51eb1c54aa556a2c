//! Proposals: PROPOSED → CONTACTED → AGREED → DELIVERED, or DECLINED from any open state.
//! AGREED and DELIVERED amounts count towards the need's coverage and the offer's
//! commitment; conditional updates in the same transaction make sure that concurrent
//! agreements never push either past its amount.
//!
//! ISU staff propose and move any match; a coordinator only the matches of a need in one of
//! the thematic areas they follow (`require_area`). Reading is another matter: coordinators
//! read every need, offer and proposal ([`visibility`]), so that they see the whole picture
//! they work in.

use chrono::NaiveDate;
use entity::enums::{MatchStatus, NeedStatus, OfferStatus, UserRole};
use entity::{assistance_need, assistance_offer, match_proposal};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use super::service::{MatchContext, get_need, get_offer};
use super::visibility::{self, OfferScope};
use crate::auth::{Principal, Viewer};
use crate::domain::notifications::{NotificationsConfig, events};
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::uow::{Audited, Uow, bounded_add};
use crate::kernel::validate::{self, Lines, TEXT};
use crate::rules::matching;

/// Statuses in which a proposal is still open.
pub const OPEN: [MatchStatus; 3] = [
    MatchStatus::Proposed,
    MatchStatus::Contacted,
    MatchStatus::Agreed,
];

/// Who may propose and move proposals: ISU staff, and coordinators in their thematic areas
/// ([`require_area`]).
const MATCHMAKERS: [UserRole; 3] = [
    UserRole::IsuAdmin,
    UserRole::IsuStaff,
    UserRole::Coordinator,
];

/// FORBIDDEN, at `field`, unless `matchmaker` may act on a match for `need`: ISU staff on
/// any; a coordinator when the need's thematic area is one they follow.
///
/// The need's area is the match's. The offer's areas need no check of their own: an offer
/// can only be matched with a need whose area it covers (the first eligibility rule of
/// [`matching::ineligibility`]), and it may cover others, which do not make the match
/// theirs.
fn require_area(
    matchmaker: &Principal,
    need: &assistance_need::Model,
    field: &[&str],
) -> Result<(), ServiceError> {
    if matchmaker.role != UserRole::Coordinator
        || matchmaker.thematic_areas.contains(&need.thematic_area)
    {
        return Ok(());
    }
    Err(ServiceError::refused(
        Code::Forbidden,
        field,
        format!(
            "The need is in {}, which is not one of your thematic areas.",
            matching::area_name(need.thematic_area)
        ),
    ))
}

pub fn proposal_json(p: &match_proposal::Model) -> serde_json::Value {
    json!({
        "id": p.id, "needId": p.need_id, "offerId": p.offer_id, "amountCents": p.amount_cents,
        "currency": p.currency, "offerAmountCents": p.offer_amount_cents, "status": p.status,
        "note": p.note,
    })
}

impl Audited for match_proposal::Model {
    const ENTITY_TYPE: &'static str = "MatchProposal";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        proposal_json(self)
    }
}

/// Allowed moves.
pub fn can_move(from: MatchStatus, to: MatchStatus) -> bool {
    use MatchStatus::*;
    matches!(
        (from, to),
        (Proposed, Contacted)
            | (Contacted, Agreed)
            | (Agreed, Delivered)
            | (Proposed | Contacted | Agreed, Declined)
    )
}

/// The proposals of `ids` the viewer may see (the rule of [`visibility::proposals`]), in
/// one statement.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<match_proposal::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match_proposal::Entity::find()
        .filter(match_proposal::Column::Id.is_in(ids.iter().copied()))
        .filter(visibility::proposals(viewer))
        .all(db)
        .await
}

/// The proposals of each of `needs` (or `offers`) that the viewer may see, oldest first, in
/// one query.
pub async fn of_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    needs: &[Uuid],
    offers: &[Uuid],
) -> Result<Vec<match_proposal::Model>, DbErr> {
    match_proposal::Entity::find()
        .filter(
            Condition::any()
                .add(match_proposal::Column::NeedId.is_in(needs.iter().copied()))
                .add(match_proposal::Column::OfferId.is_in(offers.iter().copied())),
        )
        .filter(visibility::proposals(viewer))
        .order_by_asc(match_proposal::Column::Id)
        .all(db)
        .await
}

pub async fn get(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<match_proposal::Model>, DbErr> {
    Ok(get_many(db, viewer, &[id]).await?.pop())
}

/// `proposeMatch`'s input; IDs are None when they were not IDs of the right kind.
#[derive(Debug)]
pub struct NewProposal {
    pub need_id: Option<Uuid>,
    pub offer_id: Option<Uuid>,
    pub amount: Option<Money>,
    pub note: Option<String>,
}

/// `proposeMatch`: an eligible pair, with an amount within both remaining amounts; a
/// coordinator proposes only for a need in their areas. Both States hear of it, in the same
/// transaction ([`events::match_proposed`]).
pub async fn propose(
    db: &DatabaseConnection,
    cfg: &super::CooperationConfig,
    notices: &NotificationsConfig,
    viewer: &Viewer,
    new: NewProposal,
    today: NaiveDate,
) -> Result<match_proposal::Model, ServiceError> {
    let NewProposal {
        need_id,
        offer_id,
        amount,
        note,
    } = new;
    let matchmaker = viewer.require_role(&MATCHMAKERS)?;
    let actor = matchmaker.user_id;
    let need = match need_id {
        Some(id) => get_need(db, viewer, id).await?,
        None => None,
    }
    .ok_or_else(|| ServiceError::refused(Code::NotFound, &["input", "needId"], "No such need."))?;
    require_area(matchmaker, &need, &["input", "needId"])?;
    let offer = match offer_id {
        Some(id) => get_offer(db, &OfferScope::load(db, viewer).await?, id).await?,
        None => None,
    }
    .ok_or_else(|| {
        ServiceError::refused(Code::NotFound, &["input", "offerId"], "No such offer.")
    })?;
    let ctx = MatchContext::load(db, today, cfg, Some(&[need.state_code.as_str()])).await?;
    let why = matching::ineligibility(&ctx.need(&need), &ctx.offer(&offer));
    if !why.is_empty() {
        return Err(ServiceError::refused(
            Code::InvalidInput,
            &["input", "offerId"],
            format!("This offer cannot serve this need: {}", why.join(" ")),
        ));
    }
    let mut r = Refusals::default();
    validate::optional(
        &mut r,
        &["input", "note"],
        note.as_deref(),
        TEXT,
        Lines::Many,
    );
    let (amount_cents, offer_cents) = match &amount {
        None => (None, None),
        Some(m) => {
            let given = validate::amount(&mut r, &["input", "amount"], m, false)
                .map(|cents| (cents, m.currency.clone()));
            match (given, need.currency.as_deref(), offer.currency.as_deref()) {
                (Some((cents, cur)), Some(need_cur), offer_cur) => {
                    let in_need = ctx.rates.convert(cents, &cur, need_cur, today);
                    let in_offer = offer_cur.map(|oc| ctx.rates.convert(cents, &cur, oc, today));
                    match (in_need, in_offer) {
                        (Some(n), Some(Some(o))) => (Some(n), Some(o)),
                        (Some(n), None) => (Some(n), None),
                        _ => {
                            r.push(
                                Code::InvalidInput,
                                &["input", "amount", "currency"],
                                format!("No exchange rate for {cur} is valid on {today}."),
                            );
                            (None, None)
                        }
                    }
                }
                (Some(_), None, _) => {
                    r.push(
                        Code::InvalidInput,
                        &["input", "amount"],
                        "The need states no amount: propose without one.",
                    );
                    (None, None)
                }
                (None, _, _) => (None, None),
            }
        }
    };
    if let (Some(n), Some(total)) = (amount_cents, need.amount_cents)
        && n > total - need.covered_cents
    {
        r.push(
            Code::InvalidInput,
            &["input", "amount"],
            "The amount is more than the need still lacks.",
        );
    }
    if let (Some(o), Some(total)) = (offer_cents, offer.amount_cents)
        && o > total - offer.committed_cents
    {
        r.push(
            Code::InvalidInput,
            &["input", "amount"],
            "The amount is more than the offer has left.",
        );
    }
    r.finish()?;
    let duplicate = match_proposal::Entity::find()
        .filter(match_proposal::Column::NeedId.eq(need.id))
        .filter(match_proposal::Column::OfferId.eq(offer.id))
        .filter(match_proposal::Column::Status.is_in(OPEN))
        .one(db)
        .await?;
    if duplicate.is_some() {
        return Err(ServiceError::refused(
            Code::AlreadyExists,
            &["input", "offerId"],
            "An open proposal already matches this offer to this need.",
        ));
    }
    let t = now();
    let uow = Uow::begin(db, Some(actor), "proposeMatch").await?;
    let created = match_proposal::ActiveModel {
        id: Set(Uuid::now_v7()),
        need_id: Set(need.id),
        offer_id: Set(offer.id),
        amount_cents: Set(amount_cents),
        currency: Set(amount_cents.and(need.currency.clone())),
        offer_amount_cents: Set(offer_cents),
        status: Set(MatchStatus::Proposed),
        note: Set(note),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await?;
    uow.created(&created).await?;
    events::match_proposed(uow.txn(), notices, &created, &need, &offer).await?;
    uow.commit().await?;
    Ok(created)
}

/// Adds `delta` cents to the need's coverage unless that would pass its amount; then sets
/// its status from the coverage, with an audit entry when the status changes (the day a need
/// became MET dates it for the action plan's indicators). Returns false when refused.
async fn cover(uow: &Uow, need: Uuid, delta: i64) -> Result<bool, DbErr> {
    let conn = uow.txn();
    use assistance_need::Column as C;
    if !bounded_add(
        conn,
        C::Id,
        need,
        C::CoveredCents,
        C::AmountCents,
        Some(C::UpdatedAt),
        delta,
    )
    .await?
    {
        return Ok(false);
    }
    if let Some(n) = assistance_need::Entity::find_by_id(need).one(conn).await?
        && n.status != NeedStatus::Withdrawn
    {
        let status = match (n.covered_cents, n.amount_cents) {
            (c, Some(a)) if c >= a => NeedStatus::Met,
            (c, _) if c > 0 => NeedStatus::PartiallyMet,
            _ => NeedStatus::Open,
        };
        if status != n.status {
            let before = n.clone();
            let mut am: assistance_need::ActiveModel = n.into();
            am.status = Set(status);
            let after = am.update(conn).await?;
            uow.changed(&before, &after).await?;
        }
    }
    Ok(true)
}

/// The same for the offer's commitment.
async fn commit(conn: &impl ConnectionTrait, offer: Uuid, delta: i64) -> Result<bool, DbErr> {
    use assistance_offer::Column as C;
    if !bounded_add(
        conn,
        C::Id,
        offer,
        C::CommittedCents,
        C::AmountCents,
        Some(C::UpdatedAt),
        delta,
    )
    .await?
    {
        return Ok(false);
    }
    if let Some(o) = assistance_offer::Entity::find_by_id(offer)
        .one(conn)
        .await?
        && o.status != OfferStatus::Withdrawn
    {
        let status = match (o.committed_cents, o.amount_cents) {
            (c, Some(a)) if c >= a => OfferStatus::Exhausted,
            (c, _) if c > 0 => OfferStatus::PartiallyCommitted,
            _ => OfferStatus::Open,
        };
        let mut am: assistance_offer::ActiveModel = o.into();
        am.status = Set(status);
        am.update(conn).await?;
    }
    Ok(true)
}

/// `updateMatchStatus`: follows the lifecycle; AGREED commits the amounts, a decline after
/// agreement releases them. A coordinator moves only the proposals of a need in their areas.
pub async fn move_to(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    to: MatchStatus,
    note: Option<String>,
) -> Result<match_proposal::Model, ServiceError> {
    let matchmaker = viewer.require_role(&MATCHMAKERS)?;
    let actor = matchmaker.user_id;
    let p = get(db, viewer, id).await?.ok_or_else(|| {
        ServiceError::refused(Code::NotFound, &["input", "id"], "No such proposal.")
    })?;
    if matchmaker.role == UserRole::Coordinator {
        let need = get_need(db, viewer, p.need_id)
            .await?
            .ok_or_else(|| ServiceError::Internal("a proposal without its need".into()))?;
        require_area(matchmaker, &need, &["input", "id"])?;
    }
    if !can_move(p.status, to) {
        return Err(ServiceError::refused(
            Code::InvalidStateTransition,
            &["input", "status"],
            format!("A {:?} proposal cannot become {:?}.", p.status, to),
        ));
    }
    let mut r = Refusals::default();
    validate::optional(
        &mut r,
        &["input", "note"],
        note.as_deref(),
        TEXT,
        Lines::Many,
    );
    r.finish()?;
    let uow = Uow::begin(db, Some(actor), "updateMatchStatus").await?;
    // Only the status it was read in may change: a concurrent move wins, this one conflicts.
    let moved = match_proposal::Entity::update_many()
        .col_expr(match_proposal::Column::Status, Expr::value(to))
        .col_expr(match_proposal::Column::UpdatedAt, Expr::value(now()))
        .filter(match_proposal::Column::Id.eq(p.id))
        .filter(match_proposal::Column::Status.eq(p.status))
        .exec(uow.txn())
        .await?;
    if moved.rows_affected != 1 {
        uow.rollback().await?;
        return Err(ServiceError::refused(
            Code::Conflict,
            &["input", "id"],
            "The proposal changed meanwhile: reload it.",
        ));
    }
    let sign = match (p.status, to) {
        (_, MatchStatus::Agreed) => 1,
        (MatchStatus::Agreed, MatchStatus::Declined) => -1,
        _ => 0,
    };
    if sign != 0 {
        let need_ok = match p.amount_cents {
            Some(c) => cover(&uow, p.need_id, sign * c).await?,
            None => true,
        };
        let offer_ok = match p.offer_amount_cents {
            Some(c) => commit(uow.txn(), p.offer_id, sign * c).await?,
            None => true,
        };
        if !(need_ok && offer_ok) {
            uow.rollback().await?;
            return Err(ServiceError::refused(
                Code::Conflict,
                &["input", "status"],
                "Agreeing would cover more than the need lacks or commit more than the offer has left.",
            ));
        }
    }
    if let Some(n) = note {
        match_proposal::Entity::update_many()
            .col_expr(match_proposal::Column::Note, Expr::value(n))
            .filter(match_proposal::Column::Id.eq(p.id))
            .exec(uow.txn())
            .await?;
    }
    let updated = match_proposal::Entity::find_by_id(p.id)
        .one(uow.txn())
        .await?
        .ok_or_else(|| ServiceError::Internal("proposal vanished".into()))?;
    uow.changed(&p, &updated).await?;
    uow.commit().await?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_allows_exactly_the_documented_moves() {
        use MatchStatus::*;
        let all = [Proposed, Contacted, Agreed, Delivered, Declined];
        let allowed: Vec<(MatchStatus, MatchStatus)> = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| can_move(*a, *b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Proposed, Contacted),
                (Proposed, Declined),
                (Contacted, Agreed),
                (Contacted, Declined),
                (Agreed, Delivered),
                (Agreed, Declined)
            ]
        );
    }
}
