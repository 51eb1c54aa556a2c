//! String-backed enumerations shared by several tables.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What a user may do; see domain.md §8.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserRole {
    #[sea_orm(string_value = "ISU_ADMIN")]
    IsuAdmin,
    #[sea_orm(string_value = "ISU_STAFF")]
    IsuStaff,
    #[sea_orm(string_value = "DELEGATION")]
    Delegation,
    #[sea_orm(string_value = "COORDINATOR")]
    Coordinator,
}

/// A State's relation to the Convention.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StateStatus {
    #[sea_orm(string_value = "STATE_PARTY")]
    StateParty,
    #[sea_orm(string_value = "SIGNATORY")]
    Signatory,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
    #[sea_orm(string_value = "NOT_PARTY")]
    NotParty,
}

/// United Nations regional groups.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegionalGroup {
    #[sea_orm(string_value = "AFRICA")]
    Africa,
    #[sea_orm(string_value = "ASIA_PACIFIC")]
    AsiaPacific,
    #[sea_orm(string_value = "EASTERN_EUROPE")]
    EasternEurope,
    #[sea_orm(string_value = "LATIN_AMERICA_CARIBBEAN")]
    LatinAmericaCaribbean,
    #[sea_orm(string_value = "WESTERN_EUROPE_OTHERS")]
    WesternEuropeOthers,
}

/// How a State expressed its consent to be bound (Article 16 and 17).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DepositType {
    #[sea_orm(string_value = "RATIFICATION")]
    Ratification,
    #[sea_orm(string_value = "ACCESSION")]
    Accession,
    #[sea_orm(string_value = "ACCEPTANCE")]
    Acceptance,
    #[sea_orm(string_value = "APPROVAL")]
    Approval,
    #[sea_orm(string_value = "SUCCESSION")]
    Succession,
}

/// World Bank income classification.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IncomeGroup {
    #[sea_orm(string_value = "LOW")]
    Low,
    #[sea_orm(string_value = "LOWER_MIDDLE")]
    LowerMiddle,
    #[sea_orm(string_value = "UPPER_MIDDLE")]
    UpperMiddle,
    #[sea_orm(string_value = "HIGH")]
    High,
}

/// Thematic areas of cooperation and of the coordinators' work (domain.md §5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ThematicArea {
    #[sea_orm(string_value = "CLEARANCE")]
    Clearance,
    #[sea_orm(string_value = "RISK_REDUCTION_EDUCATION")]
    RiskReductionEducation,
    #[sea_orm(string_value = "STOCKPILE_DESTRUCTION")]
    StockpileDestruction,
    #[sea_orm(string_value = "VICTIM_ASSISTANCE")]
    VictimAssistance,
    #[sea_orm(string_value = "NATIONAL_IMPLEMENTATION")]
    NationalImplementation,
    #[sea_orm(string_value = "TRANSPARENCY_REPORTING")]
    TransparencyReporting,
    #[sea_orm(string_value = "UNIVERSALIZATION")]
    Universalization,
}

/// Stores a list of string-backed enum values in one text column, comma-separated.
pub fn join_values<E: ActiveEnum<Value = String>>(values: &[E]) -> String {
    values
        .iter()
        .map(|v| v.to_value())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a column written by [`join_values`]; unknown values are skipped.
pub fn split_values<E: ActiveEnum<Value = String>>(column: &str) -> Vec<E> {
    column
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| E::try_from_value(&s.to_owned()).ok())
        .collect()
}

/// What a State owes (domain.md §3).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ObligationKind {
    #[sea_orm(string_value = "INITIAL_TRANSPARENCY_REPORT")]
    InitialTransparencyReport,
    #[sea_orm(string_value = "ANNUAL_TRANSPARENCY_REPORT")]
    AnnualTransparencyReport,
    #[sea_orm(string_value = "STOCKPILE_DESTRUCTION")]
    StockpileDestruction,
    #[sea_orm(string_value = "CLEARANCE")]
    Clearance,
}

/// Where an extension request is (domain.md §3a): DRAFT → SUBMITTED → UNDER_ANALYSIS →
/// DECIDED, or WITHDRAWN before a decision.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExtensionRequestStatus {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "UNDER_ANALYSIS")]
    UnderAnalysis,
    #[sea_orm(string_value = "DECIDED")]
    Decided,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

impl ExtensionRequestStatus {
    /// DRAFT, SUBMITTED or UNDER_ANALYSIS: neither decided nor withdrawn.
    pub const UNDER_WAY: [Self; 3] = [Self::Draft, Self::Submitted, Self::UnderAnalysis];
}

/// What the meeting decided on an extension request.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExtensionOutcome {
    #[sea_orm(string_value = "GRANTED")]
    Granted,
    #[sea_orm(string_value = "GRANTED_SHORTER")]
    GrantedShorter,
    #[sea_orm(string_value = "REFUSED")]
    Refused,
}

/// INITIAL (Article 7(1)) or ANNUAL (Article 7(2)).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportKind {
    #[sea_orm(string_value = "INITIAL")]
    Initial,
    #[sea_orm(string_value = "ANNUAL")]
    Annual,
}

/// DRAFT → SUBMITTED → PUBLISHED.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReportStatus {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "PUBLISHED")]
    Published,
}

/// Where a need stands (domain.md §5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "PARTIALLY_MET")]
    PartiallyMet,
    #[sea_orm(string_value = "MET")]
    Met,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

/// Kinds of assistance (domain.md §5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AssistanceType {
    #[sea_orm(string_value = "FINANCIAL")]
    Financial,
    #[sea_orm(string_value = "TECHNICAL_EXPERTISE")]
    TechnicalExpertise,
    #[sea_orm(string_value = "EQUIPMENT")]
    Equipment,
    #[sea_orm(string_value = "TRAINING")]
    Training,
}

/// Where an offer stands (domain.md §5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OfferStatus {
    #[sea_orm(string_value = "OPEN")]
    Open,
    #[sea_orm(string_value = "PARTIALLY_COMMITTED")]
    PartiallyCommitted,
    #[sea_orm(string_value = "EXHAUSTED")]
    Exhausted,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

/// PROPOSED → CONTACTED → AGREED → DELIVERED, or DECLINED from any open state.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MatchStatus {
    #[sea_orm(string_value = "PROPOSED")]
    Proposed,
    #[sea_orm(string_value = "CONTACTED")]
    Contacted,
    #[sea_orm(string_value = "AGREED")]
    Agreed,
    #[sea_orm(string_value = "DELIVERED")]
    Delivered,
    #[sea_orm(string_value = "DECLINED")]
    Declined,
}

/// Kinds of meetings of the Convention (domain.md §1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeetingKind {
    #[sea_orm(string_value = "MEETING_OF_STATES_PARTIES")]
    MeetingOfStatesParties,
    #[sea_orm(string_value = "REVIEW_CONFERENCE")]
    ReviewConference,
    #[sea_orm(string_value = "INTERSESSIONAL")]
    Intersessional,
    #[sea_orm(string_value = "COORDINATION_COMMITTEE")]
    CoordinationCommittee,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

impl MeetingKind {
    /// The meetings that decide extension requests (domain.md §3a): Meetings of States
    /// Parties and Review Conferences.
    pub const DECIDING_EXTENSIONS: [Self; 2] =
        [Self::MeetingOfStatesParties, Self::ReviewConference];

    /// Whether a meeting of this kind decides extension requests.
    pub fn decides_extensions(self) -> bool {
        Self::DECIDING_EXTENSIONS.contains(&self)
    }
}

/// A delegate's gender, as the delegate states it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Gender {
    #[sea_orm(string_value = "FEMALE")]
    Female,
    #[sea_orm(string_value = "MALE")]
    Male,
    #[sea_orm(string_value = "OTHER")]
    Other,
    #[sea_orm(string_value = "UNDISCLOSED")]
    Undisclosed,
}

/// Where a sponsorship application stands (domain.md §6).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApplicationStatus {
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "UNDER_REVIEW")]
    UnderReview,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "WAITLISTED")]
    Waitlisted,
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
    #[sea_orm(string_value = "WITHDRAWN")]
    Withdrawn,
}

/// DRAFT → SUBMITTED → ENDORSED → APPROVED → CLOSED (domain.md §7).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkplanStatus {
    #[sea_orm(string_value = "DRAFT")]
    Draft,
    #[sea_orm(string_value = "SUBMITTED")]
    Submitted,
    #[sea_orm(string_value = "ENDORSED")]
    Endorsed,
    #[sea_orm(string_value = "APPROVED")]
    Approved,
    #[sea_orm(string_value = "CLOSED")]
    Closed,
}

/// Budget categories of the ISU's workplan (domain.md §7).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BudgetCategory {
    #[sea_orm(string_value = "STAFF")]
    Staff,
    #[sea_orm(string_value = "TRAVEL")]
    Travel,
    #[sea_orm(string_value = "MEETINGS")]
    Meetings,
    #[sea_orm(string_value = "SPONSORSHIP")]
    Sponsorship,
    #[sea_orm(string_value = "COMMUNICATIONS")]
    Communications,
    #[sea_orm(string_value = "CONSULTANTS")]
    Consultants,
    #[sea_orm(string_value = "OPERATING_COSTS")]
    OperatingCosts,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// What a meeting document is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentKind {
    #[sea_orm(string_value = "AGENDA")]
    Agenda,
    #[sea_orm(string_value = "PROGRAMME_OF_WORK")]
    ProgrammeOfWork,
    #[sea_orm(string_value = "WORKING_PAPER")]
    WorkingPaper,
    #[sea_orm(string_value = "REPORT")]
    Report,
    #[sea_orm(string_value = "SUMMARY_OF_CONCLUSIONS")]
    SummaryOfConclusions,
    #[sea_orm(string_value = "STATEMENT")]
    Statement,
    #[sea_orm(string_value = "PRESENTATION")]
    Presentation,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// Who may read a meeting's document or decision: everyone, or the ISU only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Access {
    #[sea_orm(string_value = "PUBLIC")]
    Public,
    #[sea_orm(string_value = "RESTRICTED")]
    Restricted,
}

/// The six official languages of the United Nations.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(2))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Language {
    #[sea_orm(string_value = "AR")]
    Ar,
    #[sea_orm(string_value = "EN")]
    En,
    #[sea_orm(string_value = "ES")]
    Es,
    #[sea_orm(string_value = "FR")]
    Fr,
    #[sea_orm(string_value = "RU")]
    Ru,
    #[sea_orm(string_value = "ZH")]
    Zh,
}

/// What a meeting adopted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DecisionKind {
    #[sea_orm(string_value = "DECISION")]
    Decision,
    #[sea_orm(string_value = "RECOMMENDATION")]
    Recommendation,
    #[sea_orm(string_value = "CONCLUSION")]
    Conclusion,
}

/// Where the implementation of a decision stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImplementationStatus {
    #[sea_orm(string_value = "NOT_STARTED")]
    NotStarted,
    #[sea_orm(string_value = "IN_PROGRESS")]
    InProgress,
    #[sea_orm(string_value = "PARTIALLY_IMPLEMENTED")]
    PartiallyImplemented,
    #[sea_orm(string_value = "IMPLEMENTED")]
    Implemented,
    #[sea_orm(string_value = "NOT_ACCEPTED")]
    NotAccepted,
    #[sea_orm(string_value = "SUPERSEDED")]
    Superseded,
}

/// How an action plan indicator's value reads: a share or a count.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IndicatorUnit {
    /// Numerator over denominator, shown as a percentage.
    #[sea_orm(string_value = "PERCENT")]
    Percent,
    /// The numerator alone.
    #[sea_orm(string_value = "COUNT")]
    Count,
}

/// Where an action plan indicator's values come from: recorded by the ISU, or computed from
/// the system's own data by one of the rules in `rules::indicators`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(48))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IndicatorComputation {
    #[sea_orm(string_value = "RECORDED")]
    Recorded,
    #[sea_orm(string_value = "INITIAL_REPORTS_ON_TIME")]
    InitialReportsOnTime,
    #[sea_orm(string_value = "ANNUAL_REPORTS_ON_TIME")]
    AnnualReportsOnTime,
    #[sea_orm(string_value = "STOCKPILE_DESTRUCTION_COMPLETED_ON_TIME")]
    StockpileDestructionCompletedOnTime,
    #[sea_orm(string_value = "CLEARANCE_COMPLETED")]
    ClearanceCompleted,
    #[sea_orm(string_value = "NEW_STATES_PARTIES")]
    NewStatesParties,
    #[sea_orm(string_value = "NEEDS_WITH_AGREED_MATCH")]
    NeedsWithAgreedMatch,
    #[sea_orm(string_value = "SPONSORED_WOMEN")]
    SponsoredWomen,
}

/// What a contact point is for its State.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContactFunction {
    #[sea_orm(string_value = "ARTICLE_7_FOCAL_POINT")]
    #[serde(rename = "ARTICLE_7_FOCAL_POINT")]
    Article7FocalPoint,
    #[sea_orm(string_value = "PERMANENT_MISSION")]
    PermanentMission,
    #[sea_orm(string_value = "NATIONAL_AUTHORITY")]
    NationalAuthority,
    #[sea_orm(string_value = "OTHER")]
    Other,
}

/// How a notification reaches its recipient.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationChannel {
    #[sea_orm(string_value = "EMAIL")]
    Email,
    #[sea_orm(string_value = "IN_APP")]
    InApp,
}

/// Where a notification stands in the outbox.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationStatus {
    #[sea_orm(string_value = "PENDING")]
    Pending,
    #[sea_orm(string_value = "SENT")]
    Sent,
    #[sea_orm(string_value = "FAILED")]
    Failed,
    #[sea_orm(string_value = "CANCELLED")]
    Cancelled,
}

/// Why a notification was written.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NotificationReason {
    #[sea_orm(string_value = "DEADLINE_APPROACHING")]
    DeadlineApproaching,
    #[sea_orm(string_value = "DEADLINE_MISSED")]
    DeadlineMissed,
    #[sea_orm(string_value = "REPORT_SUBMITTED")]
    ReportSubmitted,
    #[sea_orm(string_value = "SPONSORSHIP_DECIDED")]
    SponsorshipDecided,
    #[sea_orm(string_value = "MATCH_PROPOSED")]
    MatchProposed,
    #[sea_orm(string_value = "DECISION_DUE")]
    DecisionDue,
}
