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

/// What a contact point is for its State.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ContactFunction")]
pub enum ContactFunction {
    /// The national focal point for Article 7 reporting.
    #[graphql(name = "ARTICLE_7_FOCAL_POINT")]
    Article7FocalPoint,
    /// The permanent mission in Geneva.
    PermanentMission,
    /// The national mine action authority or centre.
    NationalAuthority,
    /// Another office or person.
    Other,
}

/// How a notification reaches its recipient.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::NotificationChannel")]
pub enum NotificationChannel {
    /// An email, delivered by the outbox's sender.
    Email,
    /// A notice in the app, for one user.
    InApp,
}

/// Where a notification stands in the outbox.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::NotificationStatus")]
pub enum NotificationStatus {
    /// Waiting to be sent (an email), or being retried.
    Pending,
    /// Delivered to the mail server; in-app notices are SENT when written.
    Sent,
    /// Retries exhausted; lastError says why.
    Failed,
    /// No longer needed (e.g. the report was submitted before the reminder went out).
    Cancelled,
}

/// Why a notification was written.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::NotificationReason")]
pub enum NotificationReason {
    /// A deadline falls due within one of the policy's lead days.
    DeadlineApproaching,
    /// A deadline was missed.
    DeadlineMissed,
    /// A transparency report was submitted.
    ReportSubmitted,
    /// A sponsorship application was decided.
    SponsorshipDecided,
    /// The ISU proposed to meet a need with an offer.
    MatchProposed,
    /// A decision of a meeting falls due.
    DecisionDue,
}
