//! GraphQL types of Article 7 reports.

use crate::api::cost::Objects;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::transparency_report;

use crate::api::cooperation::types::AssistanceNeed;
use crate::api::enums::ThematicArea;
use crate::api::error::ApiError;
use crate::api::ids;
use crate::api::loaders::{ById, Reports};
use crate::api::money::{Money, MoneyInput};
use crate::api::scalars::{Date, DateTime, Decimal};
use crate::api::states::types::StateParty;
use crate::domain::reports::sections::{self, Sections, SectionsPatch};
use crate::domain::reports::service::{Compliance, SECTIONS_NOT_READ};

/// Which Article 7 report: the initial one, or an annual one.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ReportKind")]
pub enum ReportKind {
    /// Article 7(1): due 180 days after entry into force.
    Initial,
    /// Article 7(2): due 30 April, covering the previous calendar year.
    Annual,
}

/// Where a report stands: DRAFT → SUBMITTED → PUBLISHED.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entity::enums::ReportStatus")]
pub enum ReportStatus {
    /// Being prepared by the State's delegation and the ISU.
    Draft,
    /// Submitted to the United Nations.
    Submitted,
    /// Made public by the ISU.
    Published,
}

/// An Article 7 transparency report.
pub struct TransparencyReport(pub transparency_report::Model);

impl ids::Kind for TransparencyReport {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl TransparencyReport {
    pub const KIND: &'static str = "TransparencyReport";
}

/// An Article 7 transparency report. Drafts and submitted reports are visible to the
/// State's delegation and the ISU; published ones to everyone.
#[Object]
impl TransparencyReport {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The reporting State.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        crate::api::loaders::loaders(ctx)?
            .state(&self.0.state_code)
            .await?
            .map(StateParty)
            .ok_or_else(|| ApiError::Internal(format!("report {} has no State", self.0.id)).into())
    }
    /// Initial or annual.
    async fn kind(&self) -> ReportKind {
        self.0.kind.into()
    }
    /// For ANNUAL: the calendar year covered. For INITIAL: the year of entry into force.
    async fn reporting_year(&self) -> i32 {
        self.0.reporting_year
    }
    /// Where the report stands.
    async fn status(&self) -> ReportStatus {
        self.0.status.into()
    }
    /// Increases by one on every change; updates must name the version they saw.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The day it is due under Article 7, set when the report was started.
    async fn due_date(&self) -> Date {
        Date(self.0.due_date)
    }
    /// When it was submitted; null while a draft.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    /// Submitted on or before its due date; null while a draft.
    async fn on_time(&self) -> Option<bool> {
        self.0.on_time
    }
    /// When the ISU published it; null until then.
    async fn published_at(&self) -> Option<DateTime> {
        self.0.published_at.map(DateTime)
    }
    /// Loaded from a history file: submitted before the system existed, its sections empty
    /// (the report itself is at `publishedUrl` when the file gave one). Its submission (and
    /// publication) time is the day's start, UTC.
    async fn imported(&self) -> bool {
        self.0.imported
    }
    /// Where the published report can be read, for an imported one.
    async fn published_url(&self) -> Option<&str> {
        self.0.published_url.as_deref()
    }
    /// The content, Article 7(1)(a) to (n).
    async fn sections(&self, ctx: &Context<'_>) -> async_graphql::Result<ReportSections> {
        let mut text = std::borrow::Cow::Borrowed(&self.0.sections);
        if text.as_str() == SECTIONS_NOT_READ {
            // A row of a list: its sections are read by ID, in a batch with its siblings'.
            let loaders = crate::api::loaders::loaders(ctx)?;
            let row = loaders.load_one(ById::<Reports>::new(self.0.id)).await?;
            text = std::borrow::Cow::Owned(row.map(|r| r.sections).unwrap_or_default());
        }
        Sections::from_json(&text)
            .map(Into::into)
            .map_err(|e| ApiError::Internal(format!("report {}: {e}", self.0.id)).into())
    }
    /// Needs for assistance declared in this report that you may see.
    async fn assistance_needs(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<AssistanceNeed>> {
        Ok(crate::api::loaders::loaders(ctx)?
            .load_one(crate::api::loaders::NeedsOfReport(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(AssistanceNeed)
            .collect())
    }
    /// When the draft was started.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it last changed (an edit, a submission or the publication).
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// Article 7(1)(b), (e), (f): a stockpile of one munition type and its destruction.
#[derive(SimpleObject)]
pub struct StockpileEntry {
    /// The type of cluster munition, e.g. a model name.
    pub munition_type: String,
    /// How many cluster munitions of the type are stockpiled.
    pub munitions: i64,
    /// How many explosive submunitions they contain.
    pub submunitions: i64,
    /// How many are retained for training and development (Article 3(6)).
    pub retained: i64,
    /// How many were destroyed in the period the report covers.
    pub destroyed_this_period: i64,
}

/// Article 7(1)(h): a contaminated area.
#[derive(SimpleObject)]
pub struct ContaminatedArea {
    /// Where the area is, in words.
    pub location: String,
    /// Its size in square metres.
    pub area_square_metres: Decimal,
    /// The types of cluster munition remnants found there, in words.
    pub remnant_types: Option<String>,
}

/// Article 7(1)(i): clearance progress in one location.
#[derive(SimpleObject)]
pub struct ClearanceEntry {
    /// Where, in words.
    pub location: String,
    /// The area cleared, in square metres.
    pub area_cleared_square_metres: Decimal,
    /// How many cluster munition remnants were destroyed there.
    pub remnants_destroyed: i64,
}

/// Article 7(1)(n): assistance provided to another State or organisation.
#[derive(SimpleObject)]
pub struct AssistanceProvided {
    /// The State or organisation assisted.
    pub recipient: String,
    /// The area of the assistance.
    pub thematic_area: ThematicArea,
    /// The amount given, when stated.
    pub amount: Option<Money>,
    /// The assistance in words.
    pub description: Option<String>,
}

/// The content of an Article 7 report, Article 7(1)(a) to (n).
#[derive(SimpleObject)]
pub struct ReportSections {
    /// (a) National implementation measures.
    pub national_implementation_measures: Option<String>,
    /// (b), (e), (f) Stockpiles and their destruction.
    pub stockpiles: Vec<StockpileEntry>,
    /// (c), (d) Technical characteristics; conversion of production facilities.
    pub production_facilities: Option<String>,
    /// (h) Contaminated areas.
    pub contaminated_areas: Vec<ContaminatedArea>,
    /// (i) Clearance.
    pub clearance: Vec<ClearanceEntry>,
    /// (j) Risk reduction education.
    pub risk_reduction_education: Option<String>,
    /// (k) Victim assistance.
    pub victim_assistance: Option<String>,
    /// (l) National contact institutions.
    pub national_contact: Option<String>,
    /// (m) National resources allocated.
    pub national_resources: Option<Money>,
    /// (n) International cooperation and assistance provided.
    pub cooperation_provided: Vec<AssistanceProvided>,
}

impl From<Sections> for ReportSections {
    fn from(s: Sections) -> Self {
        Self {
            national_implementation_measures: s.national_implementation_measures,
            stockpiles: s
                .stockpiles
                .into_iter()
                .map(|e| StockpileEntry {
                    munition_type: e.munition_type,
                    munitions: e.munitions,
                    submunitions: e.submunitions,
                    retained: e.retained,
                    destroyed_this_period: e.destroyed_this_period,
                })
                .collect(),
            production_facilities: s.production_facilities,
            contaminated_areas: s
                .contaminated_areas
                .into_iter()
                .map(|a| ContaminatedArea {
                    location: a.location,
                    area_square_metres: Decimal(a.area_square_metres),
                    remnant_types: a.remnant_types,
                })
                .collect(),
            clearance: s
                .clearance
                .into_iter()
                .map(|c| ClearanceEntry {
                    location: c.location,
                    area_cleared_square_metres: Decimal(c.area_cleared_square_metres),
                    remnants_destroyed: c.remnants_destroyed,
                })
                .collect(),
            risk_reduction_education: s.risk_reduction_education,
            victim_assistance: s.victim_assistance,
            national_contact: s.national_contact,
            national_resources: s.national_resources.map(Into::into),
            cooperation_provided: s
                .cooperation_provided
                .into_iter()
                .map(|c| AssistanceProvided {
                    recipient: c.recipient,
                    thematic_area: c.thematic_area.into(),
                    amount: c.amount.map(Into::into),
                    description: c.description,
                })
                .collect(),
        }
    }
}

/// Article 7(1)(b), (e), (f): a stockpile of one munition type and its destruction.
#[derive(InputObject)]
pub struct StockpileEntryInput {
    /// The type of cluster munition, e.g. a model name; 1 to 500 characters.
    pub munition_type: String,
    /// How many cluster munitions of the type are stockpiled; at least 0.
    pub munitions: i64,
    /// How many explosive submunitions they contain; at least 0.
    pub submunitions: i64,
    /// How many are retained for training and development (Article 3(6)); at least 0.
    pub retained: i64,
    /// How many were destroyed in the period the report covers; at least 0.
    pub destroyed_this_period: i64,
}

/// Article 7(1)(h): a contaminated area.
#[derive(InputObject)]
pub struct ContaminatedAreaInput {
    /// Where the area is, in words; 1 to 500 characters.
    pub location: String,
    /// Its size in square metres: at least 0, at most 2 decimals.
    pub area_square_metres: Decimal,
    /// The types of cluster munition remnants found there, in words.
    pub remnant_types: Option<String>,
}

/// Article 7(1)(i): clearance progress in one location.
#[derive(InputObject)]
pub struct ClearanceEntryInput {
    /// Where, in words; 1 to 500 characters.
    pub location: String,
    /// The area cleared, in square metres: at least 0, at most 2 decimals.
    pub area_cleared_square_metres: Decimal,
    /// How many cluster munition remnants were destroyed there; at least 0.
    pub remnants_destroyed: i64,
}

/// Article 7(1)(n): assistance provided to another State or organisation.
#[derive(InputObject)]
pub struct AssistanceProvidedInput {
    /// The State or organisation assisted; 1 to 500 characters.
    pub recipient: String,
    /// The area of the assistance.
    pub thematic_area: ThematicArea,
    /// The amount given, if any; at least 0.
    pub amount: Option<MoneyInput>,
    /// The assistance in words.
    pub description: Option<String>,
}

/// Sections to change: a given field replaces the stored one (lists as a whole); omitted
/// fields are kept.
#[derive(InputObject)]
pub struct ReportSectionsInput {
    /// (a) National implementation measures.
    pub national_implementation_measures: Option<String>,
    /// (b), (e), (f) Stockpiles and their destruction; at most 1000 entries.
    pub stockpiles: Option<Vec<StockpileEntryInput>>,
    /// (c), (d) Technical characteristics; conversion of production facilities.
    pub production_facilities: Option<String>,
    /// (h) Contaminated areas; at most 1000 entries.
    pub contaminated_areas: Option<Vec<ContaminatedAreaInput>>,
    /// (i) Clearance; at most 1000 entries.
    pub clearance: Option<Vec<ClearanceEntryInput>>,
    /// (j) Risk reduction education.
    pub risk_reduction_education: Option<String>,
    /// (k) Victim assistance.
    pub victim_assistance: Option<String>,
    /// (l) National contact institutions.
    pub national_contact: Option<String>,
    /// (m) National resources allocated; at least 0.
    pub national_resources: Option<MoneyInput>,
    /// (n) International cooperation and assistance provided; at most 1000 entries.
    pub cooperation_provided: Option<Vec<AssistanceProvidedInput>>,
}

impl From<ReportSectionsInput> for SectionsPatch {
    fn from(i: ReportSectionsInput) -> Self {
        Self {
            national_implementation_measures: i.national_implementation_measures,
            stockpiles: i.stockpiles.map(|v| {
                v.into_iter()
                    .map(|e| sections::StockpileEntry {
                        munition_type: e.munition_type.trim().to_owned(),
                        munitions: e.munitions,
                        submunitions: e.submunitions,
                        retained: e.retained,
                        destroyed_this_period: e.destroyed_this_period,
                    })
                    .collect()
            }),
            production_facilities: i.production_facilities,
            contaminated_areas: i.contaminated_areas.map(|v| {
                v.into_iter()
                    .map(|a| sections::ContaminatedArea {
                        location: a.location.trim().to_owned(),
                        area_square_metres: a.area_square_metres.0,
                        remnant_types: a.remnant_types,
                    })
                    .collect()
            }),
            clearance: i.clearance.map(|v| {
                v.into_iter()
                    .map(|c| sections::ClearanceEntry {
                        location: c.location.trim().to_owned(),
                        area_cleared_square_metres: c.area_cleared_square_metres.0,
                        remnants_destroyed: c.remnants_destroyed,
                    })
                    .collect()
            }),
            risk_reduction_education: i.risk_reduction_education,
            victim_assistance: i.victim_assistance,
            national_contact: i.national_contact,
            national_resources: i.national_resources.map(Into::into),
            cooperation_provided: i.cooperation_provided.map(|v| {
                v.into_iter()
                    .map(|c| sections::AssistanceProvided {
                        recipient: c.recipient.trim().to_owned(),
                        thematic_area: c.thematic_area.into(),
                        amount: c.amount.map(Into::into),
                        description: c.description,
                    })
                    .collect()
            }),
        }
    }
}

/// Narrows `transparencyReports`; the filters given combine.
#[derive(InputObject, Default)]
pub struct TransparencyReportFilter {
    /// Reports of this State (ISO alpha-3; case is ignored).
    pub state_code: Option<String>,
    /// Reports with this reporting year.
    pub reporting_year: Option<i32>,
    /// Reports with any of these statuses; an empty list is ignored.
    #[graphql(validator(max_items = 100))]
    pub status: Option<Vec<ReportStatus>>,
    /// Initial or annual reports.
    pub kind: Option<ReportKind>,
}

/// A new empty draft, for `createTransparencyReport`.
#[derive(InputObject)]
pub struct CreateTransparencyReportInput {
    /// ISO alpha-3 of the reporting State: your own for a delegation.
    pub state_code: String,
    /// Initial or annual: a State has one initial report, and one annual report per year.
    pub kind: ReportKind,
    /// ANNUAL: the calendar year covered. INITIAL: the year of entry into force.
    pub reporting_year: i32,
}

/// Starts an annual report from the State's latest earlier report.
#[derive(InputObject)]
pub struct CreateTransparencyReportFromPreviousInput {
    /// ISO alpha-3 of the reporting State: your own for a delegation.
    pub state_code: String,
    /// The calendar year the new annual report covers.
    pub reporting_year: i32,
}

/// Changes to a draft, for `updateTransparencyReport`.
#[derive(InputObject)]
pub struct UpdateTransparencyReportInput {
    /// Global ID of a DRAFT report.
    pub id: ID,
    /// The version you saw; a stale one gets CONFLICT.
    pub expected_version: i32,
    /// The sections to change.
    pub sections: ReportSectionsInput,
}

/// The report to submit or publish.
#[derive(InputObject)]
pub struct ReportActionInput {
    /// Global ID of the report.
    pub id: ID,
}

crate::api::errors::payload!(
    TransparencyReportPayload,
    report,
    TransparencyReport,
    transparency_report::Model
);

/// Annual reporting compliance for one calendar year.
pub struct ReportingCompliance(pub Compliance);

fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Annual reporting compliance for one calendar year. Public.
#[Object]
impl ReportingCompliance {
    /// The calendar year the annual reports cover (due 30 April of the next year).
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// States owing the annual report for the year.
    async fn states_required(&self) -> i32 {
        i32::try_from(self.0.required()).unwrap_or(i32::MAX)
    }
    /// Of those, how many submitted it (late or not).
    async fn submitted(&self) -> i32 {
        i32::try_from(self.0.submitted()).unwrap_or(i32::MAX)
    }
    /// Of those, how many submitted it by its due date.
    async fn submitted_on_time(&self) -> i32 {
        i32::try_from(self.0.on_time()).unwrap_or(i32::MAX)
    }
    /// submitted / (statesRequired − notRecorded): of the States whose records tell, the
    /// share that submitted; 0 when none.
    async fn compliance_rate(&self) -> f64 {
        rate(self.0.submitted(), self.0.recorded())
    }
    /// submittedOnTime / (statesRequired − notRecorded); 0 when none.
    async fn on_time_rate(&self) -> f64 {
        rate(self.0.on_time(), self.0.recorded())
    }
    /// States owing the report that have not submitted it, by code. States whose report
    /// fell due before their records begin are not here but in `notRecordedStates`.
    async fn missing(&self) -> Objects<StateParty> {
        self.0.missing().cloned().map(StateParty).collect()
    }
    /// How many States owing the report have no submission recorded because it fell due
    /// before their records begin: a gap in the data, not in compliance.
    async fn not_recorded(&self) -> i32 {
        i32::try_from(self.0.not_recorded.len()).unwrap_or(i32::MAX)
    }
    /// Those States, by code.
    async fn not_recorded_states(&self) -> Objects<StateParty> {
        self.0.unrecorded().cloned().map(StateParty).collect()
    }
}
