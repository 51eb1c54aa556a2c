//! GraphQL types of the States registry.

use crate::api::cost::Objects;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object};
use entity::enums::StateStatus as Status;
use entity::{deadline_extension, imported_completion, state};

use crate::api::cooperation::types::{AssistanceNeed, AssistanceOffer};
use crate::api::enums::{DepositType, IncomeGroup, RegionalGroup, StateStatus};
use crate::api::error::ApiError;
use crate::api::loaders::{
    CompletionsOf, ContactsOf, Needs, Notifications, Offers, PageOf, Reports, loaders,
};
use crate::api::notifications::types::{ContactPoint, Notification};
use crate::api::pagination::{Conn, connection, page_request};
use crate::api::reports::types::TransparencyReport;
use crate::api::scalars::Date;
use crate::api::{app, ids};
use crate::kernel::pagination::Page;
use crate::rules::obligations;

/// A State in the registry: State party, signatory, withdrawn or not party.
pub struct StateParty(pub state::Model);

impl ids::Kind for StateParty {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl StateParty {
    pub const KIND: &'static str = "StateParty";
}

/// A State in the registry: State party, signatory, withdrawn or not party.
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
    /// Its standing under the Convention.
    async fn status(&self) -> StateStatus {
        self.0.status.into()
    }
    /// United Nations regional group.
    async fn regional_group(&self) -> Option<RegionalGroup> {
        self.0.regional_group.map(Into::into)
    }
    /// World Bank income group.
    async fn income_group(&self) -> Option<IncomeGroup> {
        self.0.income_group.map(Into::into)
    }
    /// When it signed the Convention, if it did.
    async fn signature_date(&self) -> Option<Date> {
        self.0.signature_date.map(Date)
    }
    /// Deposit of the instrument of ratification, acceptance, approval or accession.
    async fn deposit_date(&self) -> Option<Date> {
        self.0.deposit_date.map(Date)
    }
    /// How it expressed its consent to be bound.
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
    /// When it declared the destruction of its stockpiles complete (Article 3).
    async fn stockpile_destruction_completed_on(&self) -> Option<Date> {
        self.0.stockpile_destruction_completed_on.map(Date)
    }
    /// When it declared the clearance of its contaminated areas complete (Article 4).
    async fn clearance_completed_on(&self) -> Option<Date> {
        self.0.clearance_completed_on.map(Date)
    }
    /// What the State owes under Articles 3, 4 and 7 as of today, by due date. Filters
    /// combine: both a status and a kind must match when both are given.
    async fn obligations(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only these statuses; omit for all.",
            validator(max_items = 100)
        )]
        status: Option<Vec<ObligationStatus>>,
        #[graphql(desc = "Only these kinds; omit for all.", validator(max_items = 100))]
        kinds: Option<Vec<ObligationKind>>,
    ) -> async_graphql::Result<Objects<Obligation>> {
        let list = self.all_obligations(ctx).await?;
        let state = Arc::new(self.0.clone());
        Ok(list
            .into_iter()
            .filter(|o| matches_filters(o, status.as_deref(), kinds.as_deref()))
            .map(|o| Obligation {
                state: Arc::clone(&state),
                inner: o,
            })
            .collect())
    }
    /// From when the records of each kind of obligation are complete: what fell due before
    /// is NOT_RECORDED unless a fulfilment is recorded. One entry per kind, in kind order.
    async fn record_coverage(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<RecordCoverage>> {
        let records = loaders(ctx)?.records(&self.0.code).await?;
        let list = self.all_obligations(ctx).await?;
        Ok(obligations::ObligationKind::ALL
            .into_iter()
            .map(|kind| {
                let (complete_since, source) = match records.imported.of(kind) {
                    Some(d) => (Some(d), RecordsSource::Imported),
                    None => (records.deployment, RecordsSource::Deployment),
                };
                let count = |status| {
                    list.iter()
                        .filter(|o| o.kind == kind && o.status == status)
                        .count()
                };
                RecordCoverage {
                    kind: kind.into(),
                    complete_since: complete_since.map(Date),
                    source,
                    not_recorded: count(obligations::ObligationStatus::NotRecorded)
                        .try_into()
                        .unwrap_or(i32::MAX),
                }
            })
            .collect())
    }
    /// Completions of stockpile destruction and clearance as a history file declared them,
    /// with how well each is known.
    async fn imported_completions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<ImportedCompletion>> {
        Ok(loaders(ctx)?
            .load_one(CompletionsOf(self.0.code.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ImportedCompletion)
            .collect())
    }
    /// Extensions granted to the State, oldest first.
    async fn extensions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<DeadlineExtension>> {
        Ok(loaders(ctx)?
            .extensions(&self.0.code)
            .await?
            .into_iter()
            .map(DeadlineExtension)
            .collect())
    }
    /// The State's extension requests you may read, oldest first: drafts for its delegation
    /// and ISU staff, submitted ones for every signed-in user.
    async fn extension_requests(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<crate::api::extensions::types::ExtensionRequest>> {
        Ok(loaders(ctx)?
            .load_one(crate::api::loaders::RequestsOfState(self.0.code.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(crate::api::extensions::types::ExtensionRequest)
            .collect())
    }
    /// The State's reports you may see, newest first: published ones for everybody, drafts
    /// and submitted ones for the State's delegation and the ISU.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn transparency_reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<TransparencyReport>> {
        let page = page_request(first, after)?;
        let loaders = loaders(ctx)?;
        let page = match loaders.kept_reports_page(&self.0.code, &page).await? {
            Some(kept) => kept,
            None => loaders
                .load_one(PageOf::<Reports>::new(self.0.code.clone(), page))
                .await?
                .unwrap_or_else(Page::empty),
        };
        Ok(connection(page, |r| r.id.to_string(), TransparencyReport))
    }
    /// The State's needs for assistance, when you may see them (the ISU, coordinators and
    /// the State's own delegation).
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn assistance_needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<AssistanceNeed>> {
        let page = page_request(first, after)?;
        let page = loaders(ctx)?
            .load_one(PageOf::<Needs>::new(self.0.code.clone(), page))
            .await?
            .unwrap_or_else(Page::empty);
        Ok(connection(page, |n| n.id.to_string(), AssistanceNeed))
    }
    /// The State's offers of assistance, when you may see them.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn assistance_offers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<AssistanceOffer>> {
        let page = page_request(first, after)?;
        let page = loaders(ctx)?
            .load_one(PageOf::<Offers>::new(self.0.code.clone(), page))
            .await?
            .unwrap_or_else(Page::empty);
        Ok(connection(page, |o| o.id.to_string(), AssistanceOffer))
    }
    /// The State's contact points, in the order they were added: for ISU staff and the
    /// State's own delegation; empty for everyone else.
    async fn contact_points(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Objects<ContactPoint>> {
        Ok(loaders(ctx)?
            .load_one(ContactsOf(self.0.code.clone()))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ContactPoint)
            .collect())
    }
    /// The notifications about the State you may read, newest first: every one for ISU
    /// staff; for the State's delegation the emails to its contact points and its own
    /// in-app notices; for others, their own in-app notices only.
    #[graphql(complexity = "crate::api::limits::page_cost(first, 20, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, 0 to 100; 20 if omitted.")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page; omit for the first page.")]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Notification>> {
        let page = page_request(first, after)?;
        let page = loaders(ctx)?
            .load_one(PageOf::<Notifications>::new(self.0.code.clone(), page))
            .await?
            .unwrap_or_else(Page::empty);
        Ok(connection(page, |n| n.id.to_string(), Notification))
    }
}

impl StateParty {
    /// Every obligation of the State as of today. The loads join the batches of sibling
    /// States.
    async fn all_obligations(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<obligations::Obligation>> {
        let loaders = loaders(ctx)?;
        let code = &self.0.code;
        let (reports, extensions, records) = tokio::try_join!(
            loaders.report_facts(code),
            loaders.extensions(code),
            loaders.records(code),
        )?;
        Ok(crate::domain::states::obligations::compute(
            &self.0,
            &reports,
            &extensions,
            records.begin(),
            app(ctx)?.clock.today(),
        ))
    }
}

/// Who set the start of a kind's records.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum RecordsSource {
    /// The deployment's date: `ISU_RECORDS_SINCE`, or the day the database was created.
    Deployment,
    /// A history import's records-begin line for this State and kind.
    Imported,
}

/// From when one kind of a State's records is complete.
#[derive(async_graphql::SimpleObject)]
pub struct RecordCoverage {
    /// The kind of obligation.
    pub kind: ObligationKind,
    /// Everything due from this day on is recorded; before it, only what was imported.
    /// Null when no start is settled (then nothing is NOT_RECORDED).
    pub complete_since: Option<Date>,
    /// Whether the deployment's date or an import set it.
    pub source: RecordsSource,
    /// How many of the State's obligations of this kind are NOT_RECORDED today.
    pub not_recorded: i32,
}

/// A completion of stockpile destruction or clearance as a history file declared it.
pub struct ImportedCompletion(pub imported_completion::Model);

/// A completion of stockpile destruction or clearance as a history file declared it, with
/// its provenance.
#[Object]
impl ImportedCompletion {
    /// STOCKPILE_DESTRUCTION or CLEARANCE.
    async fn kind(&self) -> ObligationKind {
        obligations::ObligationKind::from(self.0.kind).into()
    }
    /// The completion date the file gave.
    async fn completed_on(&self) -> Date {
        Date(self.0.completed_on)
    }
    /// How exact the date is: day, month, year, on_or_before or approximate.
    async fn precision(&self) -> Option<&str> {
        self.0.precision.as_deref()
    }
    /// Where and how it was announced.
    async fn declared(&self) -> Option<&str> {
        self.0.declared.as_deref()
    }
    /// verified (an official or primary source states it) or reported (a secondary one).
    async fn confidence(&self) -> Option<&str> {
        self.0.confidence.as_deref()
    }
    /// Addresses of the sources.
    async fn sources(&self) -> Vec<&str> {
        sources(self.0.sources.as_deref())
    }
}

/// A space-separated list of addresses, as a list.
fn sources(text: Option<&str>) -> Vec<&str> {
    text.map(|t| t.split_whitespace().collect())
        .unwrap_or_default()
}

/// Keeps an obligation when it has one of `status` and one of `kinds` (each when given).
pub fn matches_filters(
    o: &obligations::Obligation,
    status: Option<&[ObligationStatus]>,
    kinds: Option<&[ObligationKind]>,
) -> bool {
    status.is_none_or(|s| s.is_empty() || s.contains(&o.status.into()))
        && kinds.is_none_or(|k| k.is_empty() || k.contains(&o.kind.into()))
}

/// What a State owes under the Convention.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::rules::obligations::ObligationKind")]
pub enum ObligationKind {
    /// Article 7(1): the initial transparency report, 180 days after entry into force.
    InitialTransparencyReport,
    /// Article 7(2): the annual report, 30 April, covering the previous calendar year.
    AnnualTransparencyReport,
    /// Article 3(2): stockpile destruction, 8 years after entry into force.
    StockpileDestruction,
    /// Article 4(1): clearance of contaminated areas, 10 years after entry into force.
    Clearance,
}

/// Where an obligation stands today (docs/domain.md §3).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ObligationStatus {
    /// Due later than the DUE_SOON window.
    Upcoming,
    /// Due within the next 90 days.
    DueSoon,
    /// Past its due date and not fulfilled.
    Overdue,
    /// Fulfilled.
    Met,
    /// Fell due before the system's records begin (for that State and kind) and no
    /// fulfilment is recorded: not known to be overdue.
    NotRecorded,
}

impl From<obligations::ObligationStatus> for ObligationStatus {
    fn from(s: obligations::ObligationStatus) -> Self {
        match s {
            obligations::ObligationStatus::Upcoming => Self::Upcoming,
            obligations::ObligationStatus::DueSoon => Self::DueSoon,
            obligations::ObligationStatus::Overdue => Self::Overdue,
            obligations::ObligationStatus::Met => Self::Met,
            obligations::ObligationStatus::NotRecorded => Self::NotRecorded,
        }
    }
}

/// One obligation of one State, as of today.
pub struct Obligation {
    pub state: Arc<state::Model>,
    pub inner: obligations::Obligation,
}

/// The kinds as their IDs spell them: the GraphQL names, fixed for good.
const KIND_KEYS: [(obligations::ObligationKind, &str); 4] = [
    (
        obligations::ObligationKind::InitialTransparencyReport,
        "INITIAL_TRANSPARENCY_REPORT",
    ),
    (
        obligations::ObligationKind::AnnualTransparencyReport,
        "ANNUAL_TRANSPARENCY_REPORT",
    ),
    (
        obligations::ObligationKind::StockpileDestruction,
        "STOCKPILE_DESTRUCTION",
    ),
    (obligations::ObligationKind::Clearance, "CLEARANCE"),
];

/// What identifies an obligation for good, whatever today is and whatever extensions come:
/// its State, its kind and, for annual reports, the year covered.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObligationKey {
    pub state_code: String,
    pub kind: obligations::ObligationKind,
    pub reporting_year: Option<i32>,
}

impl ids::IdKey for ObligationKey {
    /// The key of an obligation ID, when it is one.
    fn from_key(key: &str) -> Option<Self> {
        let mut parts = key.split(':');
        let (code, kind, year) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || code.len() != 3
            || !code.bytes().all(|b| b.is_ascii_uppercase())
        {
            return None;
        }
        let kind = KIND_KEYS.iter().find(|(_, name)| *name == kind)?.0;
        let reporting_year = match year {
            "" => None,
            y => Some(y.parse().ok()?),
        };
        Some(Self {
            state_code: code.to_owned(),
            kind,
            reporting_year,
        })
    }
}

impl ObligationKey {
    /// `LAO:ANNUAL_TRANSPARENCY_REPORT:2024`; the year is empty for other kinds.
    pub fn to_key(&self) -> String {
        let kind = KIND_KEYS
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map_or("", |(_, name)| name);
        let year = self
            .reporting_year
            .map(|y| y.to_string())
            .unwrap_or_default();
        format!("{}:{kind}:{year}", self.state_code)
    }

    /// Whether `o` is the obligation this key names.
    pub fn names(&self, o: &obligations::Obligation) -> bool {
        o.kind == self.kind && o.reporting_year == self.reporting_year
    }
}

impl ids::Kind for Obligation {
    const NAME: &'static str = Self::KIND;
    type Key = ObligationKey;
}

impl Obligation {
    pub const KIND: &'static str = "Obligation";

    fn key(&self) -> ObligationKey {
        ObligationKey {
            state_code: self.state.code.clone(),
            kind: self.inner.kind,
            reporting_year: self.inner.reporting_year,
        }
    }
}

/// Computed from the registry, reports and extensions; its id is stable (State, kind,
/// reporting year).
#[Object]
impl Obligation {
    /// Opaque global ID, derived from the State, the kind and the reporting year: the same
    /// obligation keeps it from day to day and through extensions.
    pub async fn id(&self) -> ID {
        ids::encode_key(Self::KIND, &self.key().to_key())
    }
    /// The State that owes it.
    async fn state(&self) -> StateParty {
        StateParty(self.state.as_ref().clone())
    }
    /// What is owed.
    async fn kind(&self) -> ObligationKind {
        self.inner.kind.into()
    }
    /// The treaty provision, e.g. "Article 7(2)".
    async fn article(&self) -> &'static str {
        self.inner.kind.article()
    }
    /// For ANNUAL_TRANSPARENCY_REPORT: the calendar year the report covers.
    async fn reporting_year(&self) -> Option<i32> {
        self.inner.reporting_year
    }
    /// The deadline in force, after any extension.
    async fn due_date(&self) -> Date {
        Date(self.inner.due_date)
    }
    /// The treaty deadline, before any extension.
    async fn original_due_date(&self) -> Date {
        Date(self.inner.original_due_date)
    }
    /// Whether an extension applies.
    async fn extended(&self) -> bool {
        self.inner.extended
    }
    /// Where it stands today.
    async fn status(&self) -> ObligationStatus {
        self.inner.status.into()
    }
    /// When it was fulfilled: the report's submission or the completion date.
    async fn fulfilled_on(&self) -> Option<Date> {
        self.inner.fulfilled_on.map(Date)
    }
    /// Days from today to dueDate; negative when overdue.
    async fn days_remaining(&self) -> i32 {
        i32::try_from(self.inner.days_remaining).unwrap_or(i32::MIN)
    }
}

/// An extension of an Article 3 or Article 4 deadline.
pub struct DeadlineExtension(pub deadline_extension::Model);

impl ids::Kind for DeadlineExtension {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl DeadlineExtension {
    pub const KIND: &'static str = "DeadlineExtension";
}

/// An extension of an Article 3 or Article 4 deadline.
#[Object]
impl DeadlineExtension {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// The State granted the extension.
    async fn state(&self, ctx: &Context<'_>) -> async_graphql::Result<StateParty> {
        crate::api::loaders::loaders(ctx)?
            .state(&self.0.state_code)
            .await?
            .map(StateParty)
            .ok_or_else(|| ApiError::Internal("extension without State".into()).into())
    }
    /// The obligation extended: STOCKPILE_DESTRUCTION or CLEARANCE.
    async fn kind(&self) -> ObligationKind {
        obligations::ObligationKind::from(self.0.kind).into()
    }
    /// The deadline in force before this extension.
    async fn previous_deadline(&self) -> Date {
        Date(self.0.previous_deadline)
    }
    /// The deadline in force from this extension on.
    async fn new_deadline(&self) -> Date {
        Date(self.0.new_deadline)
    }
    /// When the meeting of States parties granted it.
    async fn granted_on(&self) -> Date {
        Date(self.0.granted_on)
    }
    /// The meeting that granted it, e.g. "10MSP".
    async fn granted_at(&self) -> Option<&str> {
        self.0.granted_at.as_deref()
    }
    /// The meeting's decision that granted it, when recorded and you may read it.
    async fn decision(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::api::records::types::Decision>> {
        let Some(id) = self.0.decision_id else {
            return Ok(None);
        };
        Ok(crate::domain::records::decisions::get_many(
            &app(ctx)?.db,
            crate::api::viewer(ctx),
            &[id],
        )
        .await
        .map_err(ApiError::from)?
        .pop()
        .map(crate::api::records::types::Decision))
    }
    /// The reference of the meeting's decision, when a history file gave it.
    async fn decision_reference(&self) -> Option<&str> {
        self.0.decision_reference.as_deref()
    }
    /// Loaded from a history file rather than recorded in the system.
    async fn imported(&self) -> bool {
        self.0.imported
    }
    /// For an imported extension: how exact the new deadline is (day, month, year,
    /// on_or_before, approximate).
    async fn precision(&self) -> Option<&str> {
        self.0.precision.as_deref()
    }
    /// For an imported extension: how exact the grant date is, in the same terms.
    async fn granted_on_precision(&self) -> Option<&str> {
        self.0.granted_on_precision.as_deref()
    }
    /// For an imported extension: verified (an official or primary source) or reported (a
    /// secondary one).
    async fn confidence(&self) -> Option<&str> {
        self.0.confidence.as_deref()
    }
    /// For an imported extension: addresses of its sources.
    async fn sources(&self) -> Vec<&str> {
        sources(self.0.sources.as_deref())
    }
}

/// A correction of the registry: only the fields given change.
#[derive(InputObject)]
pub struct UpdateStatePartyInput {
    /// The State to update (ISO alpha-3); codes never change.
    pub code: String,
    /// United Nations short name; omit to keep.
    pub name: Option<String>,
    /// Standing under the Convention; omit to keep.
    pub status: Option<StateStatus>,
    /// Omit to keep; null to clear.
    pub regional_group: MaybeUndefined<RegionalGroup>,
    /// World Bank income group. Omit to keep; null to clear.
    pub income_group: MaybeUndefined<IncomeGroup>,
    /// Date of signature. Omit to keep; null to clear.
    pub signature_date: MaybeUndefined<Date>,
    /// Entry into force is recomputed from it (Article 17).
    pub deposit_date: MaybeUndefined<Date>,
    /// Ratification, acceptance, approval or accession. Omit to keep; null to clear.
    pub deposit_type: MaybeUndefined<DepositType>,
    /// The day a withdrawal takes effect (Article 20). Omit to keep; null to clear.
    pub withdrawal_effective_date: MaybeUndefined<Date>,
    /// Holds cluster munition stockpiles (Article 3); omit to keep.
    pub holds_stockpiles: Option<bool>,
    /// Has contaminated areas (Article 4); omit to keep.
    pub contaminated: Option<bool>,
    /// Has cluster munition victims (Article 5); omit to keep.
    pub has_victims: Option<bool>,
    /// Completion of stockpile destruction. Omit to keep; null to clear.
    pub stockpile_destruction_completed_on: MaybeUndefined<Date>,
    /// Completion of clearance. Omit to keep; null to clear.
    pub clearance_completed_on: MaybeUndefined<Date>,
}

crate::api::errors::payload!(StatePartyPayload, state_party, StateParty, state::Model);

/// An extension granted by a meeting of States parties (Articles 3(3) and 4(5)).
#[derive(InputObject)]
pub struct RecordDeadlineExtensionInput {
    /// The State granted it (ISO alpha-3).
    pub state_code: String,
    /// STOCKPILE_DESTRUCTION (up to 4 years at a time) or CLEARANCE (up to 5 years).
    pub kind: ObligationKind,
    /// Must lie after the deadline in force, within the treaty's maximum step.
    pub new_deadline: Date,
    /// When it was granted; not after today.
    pub granted_on: Date,
    /// The meeting that granted it, e.g. "10MSP".
    pub granted_at: Option<String>,
    /// The meeting's decision that granted it (global ID).
    pub decision_id: Option<ID>,
}

crate::api::errors::payload!(
    DeadlineExtensionPayload,
    extension,
    DeadlineExtension,
    deadline_extension::Model
);

/// Narrows the registry; filters combine.
#[derive(InputObject, Default)]
pub struct StatePartyFilter {
    /// Any of these statuses.
    #[graphql(validator(max_items = 100))]
    pub status: Option<Vec<StateStatus>>,
    /// States of this United Nations regional group.
    pub regional_group: Option<RegionalGroup>,
    /// Case-insensitive match on name or code.
    pub search: Option<String>,
    /// States that have an obligation of this kind (bound by it, whatever its status).
    pub has_obligation: Option<ObligationKind>,
}
