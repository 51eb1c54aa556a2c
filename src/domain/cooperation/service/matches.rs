//! Matching in memory (the context of States, rates and deadlines), the ranked matches
//! each way, and the allocation.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::enums::{NeedStatus, OfferStatus, RegionalGroup, ThematicArea, UserRole, split_values};
use entity::{assistance_need, assistance_offer, state};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::cooperation::CooperationConfig;
use crate::domain::cooperation::rates::{self, Rates};
use crate::kernel::error::ServiceError;
use crate::rules::allocation::{self, Pair};
use crate::rules::matching::{self, NeedFacts, OfferFacts, Scored, Weights};
use crate::rules::obligations::ObligationKind;

use crate::domain::cooperation::visibility::{self, OfferScope};

/// Everything matching needs in memory: States, rates, the day.
pub struct MatchContext {
    pub states: HashMap<String, state::Model>,
    pub rates: Rates,
    pub today: NaiveDate,
    /// Days to each State's open treaty deadline by area (Articles 3, 4 and 7).
    pub deadlines: HashMap<(String, ThematicArea), i64>,
    pub weights: Weights,
}

impl MatchContext {
    /// Loads the context for matching needs of the States in `needs_of` (every State when
    /// None): the urgency of a need comes from its own State's deadlines, so those are the
    /// only ones computed.
    pub async fn load(
        db: &DatabaseConnection,
        today: NaiveDate,
        cfg: &CooperationConfig,
        needs_of: Option<&[&str]>,
    ) -> Result<Self, ServiceError> {
        let states = crate::domain::states::service::all_by_code(db).await?;
        let bound: Vec<&state::Model> = match needs_of {
            Some(codes) => codes.iter().filter_map(|c| states.get(*c)).collect(),
            None => states.values().collect(),
        };
        let mut deadlines: HashMap<(String, ThematicArea), i64> = HashMap::new();
        for (code, list) in crate::domain::states::obligations::of_states(db, &bound, today).await?
        {
            for o in list.iter().filter(|o| o.status.is_open()) {
                let area = match o.kind {
                    ObligationKind::Clearance => ThematicArea::Clearance,
                    ObligationKind::StockpileDestruction => ThematicArea::StockpileDestruction,
                    ObligationKind::InitialTransparencyReport
                    | ObligationKind::AnnualTransparencyReport => {
                        ThematicArea::TransparencyReporting
                    }
                };
                let e = deadlines
                    .entry((code.clone(), area))
                    .or_insert(o.days_remaining);
                *e = (*e).min(o.days_remaining);
            }
        }
        Ok(Self {
            states,
            rates: rates::load(db, &cfg.base_currency).await?,
            today,
            deadlines,
            weights: cfg.weights,
        })
    }

    fn base(&self, cents: Option<i64>, spent: i64, currency: Option<&str>) -> Option<i64> {
        let (c, cur) = (cents?, currency?);
        self.rates.to_base((c - spent).max(0), cur, self.today)
    }

    pub fn need(&self, n: &assistance_need::Model) -> NeedFacts {
        let s = self.states.get(&n.state_code);
        NeedFacts {
            id: n.id,
            state_code: n.state_code.clone(),
            state_name: s
                .map(|s| s.name.clone())
                .unwrap_or_else(|| n.state_code.clone()),
            region: s.and_then(|s| s.regional_group),
            area: n.thematic_area,
            types: split_values(&n.assistance_types),
            remaining: self.base(n.amount_cents, n.covered_cents, n.currency.as_deref()),
            period_start: n.period_start,
            period_end: n.period_end,
            open: matches!(n.status, NeedStatus::Open | NeedStatus::PartiallyMet),
            deadline_days: self
                .deadlines
                .get(&(n.state_code.clone(), n.thematic_area))
                .copied(),
        }
    }

    pub fn offer(&self, o: &assistance_offer::Model) -> OfferFacts {
        OfferFacts {
            id: o.id,
            provider_state: o.provider_state_code.clone(),
            provider_name: provider_name(o, &self.states),
            areas: split_values(&o.thematic_areas),
            types: split_values(&o.assistance_types),
            remaining: self.base(o.amount_cents, o.committed_cents, o.currency.as_deref()),
            target_regions: split_values(&o.target_regions),
            target_states: o
                .target_state_codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            period_start: o.period_start,
            period_end: o.period_end,
            open: matches!(
                o.status,
                OfferStatus::Open | OfferStatus::PartiallyCommitted
            ),
        }
    }
}

pub fn provider_name(
    o: &assistance_offer::Model,
    states: &HashMap<String, state::Model>,
) -> String {
    match (&o.provider_state_code, &o.provider_organization) {
        (Some(code), _) => states
            .get(code)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| code.clone()),
        (None, Some(org)) => org.clone(),
        (None, None) => String::new(),
    }
}

async fn open_offers(db: &DatabaseConnection) -> Result<Vec<assistance_offer::Model>, DbErr> {
    assistance_offer::Entity::find()
        .filter(
            assistance_offer::Column::Status
                .is_in([OfferStatus::Open, OfferStatus::PartiallyCommitted]),
        )
        .order_by_asc(assistance_offer::Column::Id)
        .all(db)
        .await
}

/// The open needs that meet `visible`.
async fn open_needs(
    db: &DatabaseConnection,
    visible: sea_orm::Condition,
) -> Result<Vec<assistance_need::Model>, DbErr> {
    assistance_need::Entity::find()
        .filter(visible)
        .filter(assistance_need::Column::Status.is_in([NeedStatus::Open, NeedStatus::PartiallyMet]))
        .order_by_asc(assistance_need::Column::Id)
        .all(db)
        .await
}

/// The States of `needs`, once each.
fn states_of(needs: &[assistance_need::Model]) -> Vec<&str> {
    let mut codes: Vec<&str> = needs.iter().map(|n| n.state_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Open offers against a set of needs: the context (the needs' States and their deadlines,
/// rates, weights) and the open offers in the viewer's scope, read once, from which the ranking of each need and
/// the reasons no offer fits it are computed on demand. A need's `matches` and
/// `unmatchedReasons` in one request share it.
pub struct OffersForNeeds {
    ctx: MatchContext,
    offers: Vec<assistance_offer::Model>,
    facts: Vec<OfferFacts>,
    /// Each offer's place in `offers`, by ID.
    by_id: HashMap<Uuid, usize>,
}

impl OffersForNeeds {
    /// Reads what matching `needs` takes: two statements for the context, one for the offers.
    /// Offers out of `scope` are not matched: a delegation's own needs have all their
    /// candidates in scope, and another State's need shows no offer the viewer may not read.
    pub async fn load(
        db: &DatabaseConnection,
        cfg: &CooperationConfig,
        scope: &OfferScope,
        needs: &[assistance_need::Model],
        today: NaiveDate,
    ) -> Result<Self, ServiceError> {
        let ctx = MatchContext::load(db, today, cfg, Some(&states_of(needs))).await?;
        let offers: Vec<assistance_offer::Model> = open_offers(db)
            .await?
            .into_iter()
            .filter(|o| scope.contains(o))
            .collect();
        let facts = offers.iter().map(|o| ctx.offer(o)).collect();
        let by_id = offers.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        Ok(Self {
            ctx,
            offers,
            facts,
            by_id,
        })
    }

    /// The offers that fit `need`, best first, at most `first`. `need` must be one of the
    /// needs this was loaded for (its State's deadlines drive the urgency).
    pub fn ranked(
        &self,
        need: &assistance_need::Model,
        first: usize,
    ) -> Vec<(assistance_offer::Model, Scored)> {
        matching::rank_offers(&self.ctx.need(need), &self.facts, &self.ctx.weights)
            .into_iter()
            .take(first)
            .filter_map(|(o, s)| self.by_id.get(&o.id).map(|i| (self.offers[*i].clone(), s)))
            .collect()
    }

    /// Why no open offer fits `need`; empty when one does.
    pub fn why_unmatched(&self, need: &assistance_need::Model) -> Vec<String> {
        matching::why_unmatched(&self.ctx.need(need), &self.facts)
    }
}

/// The needs each of `offers` can serve, best first, among those the viewer may see, at
/// most `first` each.
pub async fn matches_for_offers(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    viewer: &Viewer,
    offers: &[assistance_offer::Model],
    today: NaiveDate,
    first: usize,
) -> Result<HashMap<Uuid, Vec<(assistance_need::Model, Scored)>>, ServiceError> {
    let ctx = MatchContext::load(db, today, cfg, None).await?;
    let needs = open_needs(db, visibility::needs(viewer)).await?;
    let facts: Vec<NeedFacts> = needs.iter().map(|n| ctx.need(n)).collect();
    let by_id: HashMap<Uuid, &assistance_need::Model> = needs.iter().map(|n| (n.id, n)).collect();
    Ok(offers
        .iter()
        .map(|offer| {
            let ranked = matching::rank_needs(&ctx.offer(offer), &facts, &ctx.weights)
                .into_iter()
                .take(first)
                .filter_map(|(n, s)| by_id.get(&n.id).map(|m| ((*m).clone(), s)))
                .collect();
            (offer.id, ranked)
        })
        .collect())
}

#[derive(Debug, Default)]
pub struct AllocationFilter {
    pub area: Option<ThematicArea>,
    pub region: Option<RegionalGroup>,
}

/// One recommended assignment, in base-currency cents.
#[derive(Debug)]
pub struct Assigned {
    pub need: assistance_need::Model,
    pub offer: assistance_offer::Model,
    pub cents: i64,
    pub score: f64,
}

#[derive(Debug)]
pub struct AllocationResult {
    /// The base currency every amount here is in.
    pub currency: String,
    pub assignments: Vec<Assigned>,
    pub requested_cents: i64,
    pub allocated_cents: i64,
    pub fully: usize,
    pub partially: usize,
    pub uncovered: usize,
}

/// `cooperationAllocation`: the optimal recommendation over needs and offers with amounts.
/// ISU staff and coordinators.
pub async fn allocation(
    db: &DatabaseConnection,
    cfg: &CooperationConfig,
    viewer: &Viewer,
    f: AllocationFilter,
    today: NaiveDate,
) -> Result<AllocationResult, ServiceError> {
    viewer.require_role(&[
        UserRole::IsuAdmin,
        UserRole::IsuStaff,
        UserRole::Coordinator,
    ])?;
    let ctx = MatchContext::load(db, today, cfg, None).await?;
    let needs: Vec<(assistance_need::Model, NeedFacts)> = open_needs(db, visibility::needs(viewer))
        .await?
        .into_iter()
        .filter(|n| f.area.is_none_or(|a| n.thematic_area == a))
        .map(|n| {
            let facts = ctx.need(&n);
            (n, facts)
        })
        .filter(|(_, facts)| f.region.is_none_or(|r| facts.region == Some(r)))
        .filter(|(_, facts)| facts.remaining.is_some_and(|c| c > 0))
        .collect();
    let offers: Vec<(assistance_offer::Model, OfferFacts)> = open_offers(db)
        .await?
        .into_iter()
        .map(|o| {
            let facts = ctx.offer(&o);
            (o, facts)
        })
        .filter(|(_, facts)| facts.remaining.is_some_and(|c| c > 0))
        .collect();
    let mut pairs = Vec::new();
    for (i, (_, nf)) in needs.iter().enumerate() {
        for (j, (_, of)) in offers.iter().enumerate() {
            if matching::ineligibility(nf, of).is_empty() {
                pairs.push(Pair {
                    need: i,
                    offer: j,
                    score: matching::score(nf, of, &ctx.weights).score,
                });
            }
        }
    }
    let need_caps: Vec<i64> = needs
        .iter()
        .map(|(_, f)| f.remaining.unwrap_or(0))
        .collect();
    let offer_caps: Vec<i64> = offers
        .iter()
        .map(|(_, f)| f.remaining.unwrap_or(0))
        .collect();
    let result = allocation::allocate(&need_caps, &offer_caps, &pairs);
    let mut got = vec![0i64; needs.len()];
    let assignments: Vec<Assigned> = result
        .iter()
        .map(|a| {
            let p = pairs[a.pair];
            got[p.need] += a.amount;
            Assigned {
                need: needs[p.need].0.clone(),
                offer: offers[p.offer].0.clone(),
                cents: a.amount,
                score: p.score,
            }
        })
        .collect();
    let fully = got.iter().zip(&need_caps).filter(|(g, c)| *g == *c).count();
    let uncovered = got.iter().filter(|g| **g == 0).count();
    Ok(AllocationResult {
        currency: cfg.base_currency.clone(),
        requested_cents: need_caps.iter().sum(),
        allocated_cents: got.iter().sum(),
        fully,
        partially: needs.len() - fully - uncovered,
        uncovered,
        assignments,
    })
}
