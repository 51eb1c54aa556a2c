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

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::StateStatus")]
pub enum StateStatus {
    StateParty,
    Signatory,
    /// Was a State party; its withdrawal has taken effect (Article 20).
    Withdrawn,
    NotParty,
}

/// United Nations regional groups.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::RegionalGroup")]
pub enum RegionalGroup {
    Africa,
    AsiaPacific,
    EasternEurope,
    LatinAmericaCaribbean,
    WesternEuropeOthers,
}

/// How the State expressed its consent to be bound.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::DepositType")]
pub enum DepositType {
    Ratification,
    Accession,
    Acceptance,
    Approval,
    Succession,
}

/// World Bank income group.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::IncomeGroup")]
pub enum IncomeGroup {
    Low,
    LowerMiddle,
    UpperMiddle,
    High,
}

/// Thematic areas of cooperation and of the coordinators' work.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ThematicArea")]
pub enum ThematicArea {
    Clearance,
    RiskReductionEducation,
    StockpileDestruction,
    VictimAssistance,
    NationalImplementation,
    TransparencyReporting,
    Universalization,
}
