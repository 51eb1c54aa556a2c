//! GraphQL types of the States registry.

use async_graphql::{ID, InputObject, Object};
use entity::enums::StateStatus as Status;
use entity::state;

use crate::graphql::enums::{DepositType, IncomeGroup, RegionalGroup, StateStatus};
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use crate::obligations;

/// A State in the registry: State party, signatory, withdrawn or not party.
pub struct StateParty(pub state::Model);

impl StateParty {
    pub const KIND: &'static str = "StateParty";
}

#[Object]
impl StateParty {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// ISO 3166-1 alpha-3.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// United Nations short name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn status(&self) -> StateStatus {
        self.0.status.into()
    }
    async fn regional_group(&self) -> Option<RegionalGroup> {
        self.0.regional_group.map(Into::into)
    }
    async fn income_group(&self) -> Option<IncomeGroup> {
        self.0.income_group.map(Into::into)
    }
    async fn signature_date(&self) -> Option<Date> {
        self.0.signature_date.map(Date)
    }
    /// Deposit of the instrument of ratification, acceptance, approval or accession.
    async fn deposit_date(&self) -> Option<Date> {
        self.0.deposit_date.map(Date)
    }
    async fn deposit_type(&self) -> Option<DepositType> {
        self.0.deposit_type.map(Into::into)
    }
    /// Computed from depositDate by Article 17; null for States that never deposited.
    async fn entry_into_force(&self) -> Option<Date> {
        match self.0.status {
            Status::StateParty | Status::Withdrawn => self
                .0
                .deposit_date
                .map(|d| Date(obligations::entry_into_force(d))),
            Status::Signatory | Status::NotParty => None,
        }
    }
    /// The day a withdrawal took effect (Article 20).
    async fn withdrawal_effective_date(&self) -> Option<Date> {
        self.0.withdrawal_effective_date.map(Date)
    }
    /// Holds cluster munition stockpiles (Article 3).
    async fn holds_stockpiles(&self) -> bool {
        self.0.holds_stockpiles
    }
    /// Has areas contaminated by cluster munition remnants (Article 4).
    async fn contaminated(&self) -> bool {
        self.0.contaminated
    }
    /// Has cluster munition victims (Article 5).
    async fn has_victims(&self) -> bool {
        self.0.has_victims
    }
    async fn stockpile_destruction_completed_on(&self) -> Option<Date> {
        self.0.stockpile_destruction_completed_on.map(Date)
    }
    async fn clearance_completed_on(&self) -> Option<Date> {
        self.0.clearance_completed_on.map(Date)
    }
}

#[derive(InputObject, Default)]
pub struct StatePartyFilter {
    /// Any of these statuses.
    pub status: Option<Vec<StateStatus>>,
    pub regional_group: Option<RegionalGroup>,
    /// Case-insensitive match on name or code.
    pub search: Option<String>,
}
