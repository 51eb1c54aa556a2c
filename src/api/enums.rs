//! GraphQL mirrors of the stored enumerations. The database crate stays free of GraphQL,
//! and `remote` derives the conversions both ways.

use async_graphql::Enum;

/// What a user may do.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::UserRole")]
pub enum UserRole {
    /// Everything: users, the States registry, extensions, approvals, the audit log.
    IsuAdmin,
    /// All operational reads and writes of the ISU.
    IsuStaff,
    /// A State's delegation: its own State's reports, needs, offers and applications.
    Delegation,
    /// A thematic coordinator: needs, offers, matches and statistics.
    Coordinator,
}

/// A State's standing under the Convention.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::StateStatus")]
pub enum StateStatus {
    /// Bound by the Convention: it deposited an instrument of ratification, acceptance,
    /// approval or accession.
    StateParty,
    /// Signed but not yet ratified, accepted or approved.
    Signatory,
    /// Was a State party; its withdrawal has taken effect (Article 20).
    Withdrawn,
    /// Neither signed nor joined.
    NotParty,
}

/// United Nations regional groups.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::RegionalGroup")]
pub enum RegionalGroup {
    /// African States.
    Africa,
    /// Asia-Pacific States.
    AsiaPacific,
    /// Eastern European States.
    EasternEurope,
    /// Latin American and Caribbean States.
    LatinAmericaCaribbean,
    /// Western European and other States.
    WesternEuropeOthers,
}

/// How the State expressed its consent to be bound.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::DepositType")]
pub enum DepositType {
    /// Ratification, after signing.
    Ratification,
    /// Accession, without signing first.
    Accession,
    /// Acceptance, after signing (equivalent to ratification).
    Acceptance,
    /// Approval, after signing (equivalent to ratification).
    Approval,
    /// Succession: a new State bound by its predecessor State's consent.
    Succession,
}

/// World Bank income group.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::IncomeGroup")]
pub enum IncomeGroup {
    /// Low income.
    Low,
    /// Lower-middle income.
    LowerMiddle,
    /// Upper-middle income.
    UpperMiddle,
    /// High income.
    High,
}

/// Thematic areas of cooperation and of the coordinators' work.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ThematicArea")]
pub enum ThematicArea {
    /// Clearance of cluster munition remnants from contaminated areas (Article 4).
    Clearance,
    /// Risk reduction education for people living near contaminated areas (Article 4).
    RiskReductionEducation,
    /// Destruction of stockpiled cluster munitions (Article 3).
    StockpileDestruction,
    /// Assistance to cluster munition victims (Article 5).
    VictimAssistance,
    /// National implementation measures: legislation and other measures (Article 9).
    NationalImplementation,
    /// Article 7 transparency reporting.
    TransparencyReporting,
    /// Bringing more States to join the Convention.
    Universalization,
}
