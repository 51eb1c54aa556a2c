//! Who reads which needs, offers and proposals: the one rule of each, applied by every read
//! of this domain (by ID, in lists and counts, nested under States, reports, matches and
//! proposals, in matching). The API never decides this itself; it asks these functions.
//!
//! The ISU and coordinators read every need, offer and proposal; anonymous callers none. A
//! delegation reads, of its own State, every need and offer; of other States:
//! - the proposals that involve its own need or its own offer, with the other side of each
//!   (the need a proposal offers its offer to, the offer proposed for its need);
//! - the open offers that are candidates for one of its own open needs (what the need's
//!   `matches` shows: eligible by the matching rules, whatever the rank).
//!
//! Nothing else of other States. A rule is a SQL condition, so that lists, pages and counts
//! filter in the database; the offers' rule depends on matching, which runs in memory, so
//! it is computed once per request into an [`OfferScope`] that renders the same set as a
//! condition and as a predicate.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::enums::{NeedStatus, OfferStatus, UserRole};
use entity::{assistance_need, assistance_offer, match_proposal, state};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::rates::Rates;
use super::service::MatchContext;
use crate::auth::Viewer;
use crate::kernel::error::ServiceError;
use crate::rules::matching::{self, Weights};

/// How far a viewer reads cooperation data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The ISU and coordinators.
    All,
    /// Anonymous callers (and a delegation without a State).
    Nothing,
    /// A delegation: its State's code.
    Delegation(String),
}

impl Reach {
    pub fn of(viewer: &Viewer) -> Self {
        match viewer.principal() {
            None => Self::Nothing,
            Some(p) => match p.role {
                UserRole::IsuAdmin | UserRole::IsuStaff | UserRole::Coordinator => Self::All,
                UserRole::Delegation => match &p.state_code {
                    Some(code) => Self::Delegation(code.clone()),
                    None => Self::Nothing,
                },
            },
        }
    }
}

/// A condition no row meets.
fn none() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

/// The IDs of a State's needs.
fn needs_of(code: &str) -> SelectStatement {
    Query::select()
        .column(assistance_need::Column::Id)
        .from(assistance_need::Entity)
        .and_where(assistance_need::Column::StateCode.eq(code))
        .to_owned()
}

/// The IDs of a State's offers.
fn offers_of(code: &str) -> SelectStatement {
    Query::select()
        .column(assistance_offer::Column::Id)
        .from(assistance_offer::Entity)
        .and_where(assistance_offer::Column::ProviderStateCode.eq(code))
        .to_owned()
}

/// The needs the viewer may read, as a condition on `assistance_need`: its State's, and
/// those of proposals that involve its offers.
pub fn needs(viewer: &Viewer) -> Condition {
    match Reach::of(viewer) {
        Reach::All => Condition::all(),
        Reach::Nothing => none(),
        Reach::Delegation(code) => {
            let of_its_offers = Query::select()
                .column(match_proposal::Column::NeedId)
                .from(match_proposal::Entity)
                .and_where(match_proposal::Column::OfferId.in_subquery(offers_of(&code)))
                .to_owned();
            Condition::any()
                .add(assistance_need::Column::StateCode.eq(code))
                .add(assistance_need::Column::Id.in_subquery(of_its_offers))
        }
    }
}

/// The proposals the viewer may read, as a condition on `match_proposal`: those that
/// involve its State's need or its State's offer.
pub fn proposals(viewer: &Viewer) -> Condition {
    match Reach::of(viewer) {
        Reach::All => Condition::all(),
        Reach::Nothing => none(),
        Reach::Delegation(code) => Condition::any()
            .add(match_proposal::Column::NeedId.in_subquery(needs_of(&code)))
            .add(match_proposal::Column::OfferId.in_subquery(offers_of(&code))),
    }
}

/// The offers a viewer may read, worked out once per request: matching decides which
/// offers are candidates for a delegation's needs, and that runs in memory.
#[derive(Clone, Debug)]
pub struct OfferScope {
    reach: Reach,
    /// For a delegation: the other providers' offers it may read.
    others: HashSet<Uuid>,
}

impl OfferScope {
    /// Works out the scope of `viewer`: nothing to read for the ISU, coordinators and
    /// anonymous callers; for a delegation, its State, its open needs, the open offers and
    /// the offers of proposals for its needs (four statements).
    pub async fn load(db: &DatabaseConnection, viewer: &Viewer) -> Result<Self, ServiceError> {
        let reach = Reach::of(viewer);
        let Reach::Delegation(code) = &reach else {
            return Ok(Self {
                reach,
                others: HashSet::new(),
            });
        };
        let mut others: HashSet<Uuid> = match_proposal::Entity::find()
            .select_only()
            .column(match_proposal::Column::OfferId)
            .filter(match_proposal::Column::NeedId.in_subquery(needs_of(code)))
            .into_tuple::<Uuid>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        others.extend(candidates(db, code).await?);
        Ok(Self { reach, others })
    }

    /// The scope of someone who reads every offer: for work that is not a viewer's read.
    pub fn all() -> Self {
        Self {
            reach: Reach::All,
            others: HashSet::new(),
        }
    }

    /// The offers in scope, as a condition on `assistance_offer`.
    pub fn condition(&self) -> Condition {
        match &self.reach {
            Reach::All => Condition::all(),
            Reach::Nothing => none(),
            Reach::Delegation(code) => Condition::any()
                .add(assistance_offer::Column::ProviderStateCode.eq(code.as_str()))
                .add(assistance_offer::Column::Id.is_in(self.others.iter().copied())),
        }
    }

    /// Whether `offer` is in scope: the same set as [`Self::condition`].
    pub fn contains(&self, offer: &assistance_offer::Model) -> bool {
        match &self.reach {
            Reach::All => true,
            Reach::Nothing => false,
            Reach::Delegation(code) => {
                offer.provider_state_code.as_deref() == Some(code.as_str())
                    || self.others.contains(&offer.id)
            }
        }
    }
}

/// The open offers of other providers that are eligible for one of `code`'s open needs.
async fn candidates(db: &DatabaseConnection, code: &str) -> Result<Vec<Uuid>, ServiceError> {
    let open_needs = assistance_need::Entity::find()
        .filter(assistance_need::Column::StateCode.eq(code))
        .filter(assistance_need::Column::Status.is_in([NeedStatus::Open, NeedStatus::PartiallyMet]))
        .all(db)
        .await?;
    if open_needs.is_empty() {
        return Ok(Vec::new());
    }
    let offers = assistance_offer::Entity::find()
        .filter(
            assistance_offer::Column::Status
                .is_in([OfferStatus::Open, OfferStatus::PartiallyCommitted]),
        )
        .all(db)
        .await?;
    // Eligibility needs the State's regional group, nothing else of the context: amounts,
    // rates, deadlines and the day play no part in it.
    let states: HashMap<String, state::Model> = state::Entity::find()
        .filter(state::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|s| (s.code.clone(), s))
        .into_iter()
        .collect();
    let ctx = MatchContext {
        states,
        rates: Rates::from_rows(&[], ""),
        today: NaiveDate::default(),
        deadlines: HashMap::new(),
        weights: Weights::default(),
    };
    let needs: Vec<_> = open_needs.iter().map(|n| ctx.need(n)).collect();
    Ok(offers
        .iter()
        .filter(|o| {
            let facts = ctx.offer(o);
            needs
                .iter()
                .any(|n| matching::ineligibility(n, &facts).is_empty())
        })
        .map(|o| o.id)
        .collect())
}
