//! The `Node` interface: every object with a global ID, resolvable by `node(id:)` and
//! `nodes(ids:)`. Objects the viewer may not see resolve to null, as if they did not exist.
//!
//! Both go through one path: a global ID becomes a [`NodeRef`], and [`resolve`] reads each
//! kind in one batch through the service that owns it, with that service's visibility rule.
//! `node` and `nodes` know all their IDs at once and call it directly; the audit log's
//! `entity`, asked once per row, goes through the request's loader
//! ([`super::loaders::Loaders::node`]) to the same function, so a row of the log is a link
//! exactly when `node(id:)` would answer.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, ID, Interface, Object};
use entity::{
    assistance_need, assistance_offer, audit_entry, deadline_extension, match_proposal, meeting,
    state, transparency_report, user, workplan_activity,
};
use uuid::Uuid;

use super::ids::IdKey;
use super::loaders::{Batch, loaders};
use crate::api::action_plan::types::{ActionIndicator, ActionPlan, PlanAction};
use crate::api::audit::types::AuditEntry;
use crate::api::auth::types::User;
use crate::api::budget::types::{BudgetLine, Workplan, WorkplanActivity};
use crate::api::cooperation::types::{AssistanceNeed, AssistanceOffer, MatchProposal};
use crate::api::error::ApiError;
use crate::api::experts::practices::GoodPractice;
use crate::api::experts::types::Expert;
use crate::api::extensions::types::ExtensionRequest;
use crate::api::notifications::types::{ContactPoint, Notification};
use crate::api::records::types::{Decision, MeetingDocument};
use crate::api::reports::types::TransparencyReport;
use crate::api::sponsorship::types::{Meeting, SponsorshipApplication};
use crate::api::states::types::{DeadlineExtension, Obligation, ObligationKey, StateParty};
use crate::domain::budget::service::{LineView, WorkplanView};
use crate::domain::sponsorship::service::Application;
use crate::kernel::error::ServiceError;
use crate::rules::obligations;

/// An object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global ID."))]
pub enum Node {
    StateParty(StateParty),
    Obligation(Obligation),
    User(User),
    AuditEntry(AuditEntry),
    TransparencyReport(TransparencyReport),
    DeadlineExtension(DeadlineExtension),
    AssistanceNeed(AssistanceNeed),
    AssistanceOffer(AssistanceOffer),
    MatchProposal(MatchProposal),
    Meeting(Meeting),
    SponsorshipApplication(SponsorshipApplication),
    Workplan(Workplan),
    WorkplanActivity(WorkplanActivity),
    BudgetLine(BudgetLine),
    MeetingDocument(MeetingDocument),
    Decision(Decision),
    ActionPlan(ActionPlan),
    PlanAction(PlanAction),
    ActionIndicator(ActionIndicator),
    ContactPoint(ContactPoint),
    Notification(Notification),
    Expert(Expert),
    GoodPractice(GoodPractice),
    ExtensionRequest(ExtensionRequest),
}

/// Most IDs one `nodes` call takes.
pub const MAX_NODES: usize = 100;

/// What a global ID (or an audit entry) points at.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NodeRef {
    /// A stored row: the GraphQL type name and the row's UUID.
    Row(String, Uuid),
    /// A State by its code, as the audit log names States.
    State(String),
    /// An obligation, computed rather than stored.
    Obligation(ObligationKey),
}

impl NodeRef {
    /// The ref inside a global ID, when it is one.
    pub fn from_id(id: &str) -> Option<Self> {
        let (kind, key) = crate::kernel::ids::decode_parts(id)?;
        if kind == Obligation::KIND {
            return ObligationKey::from_key(&key).map(Self::Obligation);
        }
        Some(Self::Row(kind, Uuid::from_key(&key)?))
    }

    /// The entity an audit entry names: a row by UUID, or a State by code.
    pub fn from_audit(entity_type: &str, entity_id: &str) -> Option<Self> {
        match Uuid::parse_str(entity_id) {
            Ok(id) => Some(Self::Row(entity_type.to_owned(), id)),
            Err(_) if entity_type == StateParty::KIND => Some(Self::State(entity_id.to_owned())),
            Err(_) => None,
        }
    }
}

/// A resolved node as the loader hands it out (loader values are cloned to every waiter).
#[derive(Clone)]
pub enum Found {
    State(state::Model),
    Obligation(Arc<state::Model>, obligations::Obligation),
    User(user::Model),
    AuditEntry(audit_entry::Model),
    Report(transparency_report::Model),
    Extension(deadline_extension::Model),
    Need(assistance_need::Model),
    Offer(assistance_offer::Model),
    Proposal(match_proposal::Model),
    Meeting(meeting::Model),
    Application(Application),
    Workplan(WorkplanView),
    Activity(Arc<workplan_activity::Model>),
    Line(LineView),
    Document(entity::meeting_document::Model),
    Decision(entity::decision::Model),
    Plan(entity::action_plan::Model),
    Action(entity::plan_action::Model),
    Indicator(entity::action_indicator::Model),
    Contact(entity::contact_point::Model),
    Notification(entity::notification::Model),
    Expert(entity::expert::Model),
    Practice(entity::good_practice::Model),
    Request(entity::extension_request::Model),
}

impl From<Found> for Node {
    fn from(f: Found) -> Self {
        match f {
            Found::State(m) => Node::StateParty(StateParty(m)),
            Found::Obligation(state, inner) => Node::Obligation(Obligation { state, inner }),
            Found::User(m) => Node::User(User(m)),
            Found::AuditEntry(m) => Node::AuditEntry(AuditEntry(m)),
            Found::Report(m) => Node::TransparencyReport(TransparencyReport(m)),
            Found::Extension(m) => Node::DeadlineExtension(DeadlineExtension(m)),
            Found::Need(m) => Node::AssistanceNeed(AssistanceNeed(m)),
            Found::Offer(m) => Node::AssistanceOffer(AssistanceOffer(m)),
            Found::Proposal(m) => Node::MatchProposal(MatchProposal(m)),
            Found::Meeting(m) => Node::Meeting(Meeting(m)),
            Found::Application(a) => Node::SponsorshipApplication(SponsorshipApplication(a)),
            Found::Workplan(w) => Node::Workplan(Workplan(w)),
            Found::Activity(a) => Node::WorkplanActivity(WorkplanActivity(a)),
            Found::Line(l) => Node::BudgetLine(BudgetLine(l)),
            Found::Document(d) => Node::MeetingDocument(MeetingDocument(d)),
            Found::Decision(d) => Node::Decision(Decision(d)),
            Found::Plan(p) => Node::ActionPlan(ActionPlan(p)),
            Found::Action(a) => Node::PlanAction(PlanAction(a)),
            Found::Indicator(i) => Node::ActionIndicator(ActionIndicator(i)),
            Found::Contact(c) => Node::ContactPoint(ContactPoint(c)),
            Found::Notification(n) => Node::Notification(Notification(n)),
            Found::Expert(e) => Node::Expert(Expert(e)),
            Found::Practice(p) => Node::GoodPractice(GoodPractice(p)),
            Found::Request(r) => Node::ExtensionRequest(ExtensionRequest(r)),
        }
    }
}

/// Resolves `refs` for `viewer`: each kind in one batch, through its service and that
/// service's visibility rule. Refs that do not resolve, or that the viewer may not see, are
/// absent from the answer.
pub async fn resolve(
    batch: &Batch,
    refs: &[NodeRef],
) -> Result<HashMap<NodeRef, Found>, ServiceError> {
    let (app, viewer) = (batch.app(), batch.viewer());
    let mut rows: HashMap<&str, Vec<Uuid>> = HashMap::new();
    let mut codes: Vec<String> = Vec::new();
    let mut obligation_keys: Vec<&ObligationKey> = Vec::new();
    for r in refs {
        match r {
            NodeRef::Row(kind, id) => rows.entry(kind.as_str()).or_default().push(*id),
            NodeRef::State(code) => codes.push(code.clone()),
            NodeRef::Obligation(key) => obligation_keys.push(key),
        }
    }
    let db = &app.db;
    let mut out: HashMap<NodeRef, Found> = HashMap::new();
    let mut put = |kind: &str, id: Uuid, found: Found| {
        out.insert(NodeRef::Row(kind.to_owned(), id), found);
    };
    for (kind, ids) in rows {
        match kind {
            StateParty::KIND => {
                for m in crate::domain::states::service::by_ids(db, &ids).await? {
                    put(kind, m.id, Found::State(m));
                }
            }
            User::KIND => {
                for m in crate::domain::users::service::get_users(db, viewer, &ids).await? {
                    put(kind, m.id, Found::User(m));
                }
            }
            AuditEntry::KIND => {
                for m in crate::domain::audit::service::get_many(db, viewer, &ids).await? {
                    put(kind, m.id, Found::AuditEntry(m));
                }
            }
            TransparencyReport::KIND => {
                for m in crate::domain::reports::service::get_many(db, viewer, &ids).await? {
                    put(kind, m.id, Found::Report(m));
                }
            }
            DeadlineExtension::KIND => {
                for m in crate::domain::states::service::extensions_by_ids(db, &ids).await? {
                    put(kind, m.id, Found::Extension(m));
                }
            }
            AssistanceNeed::KIND => {
                for m in crate::domain::cooperation::service::get_needs(db, viewer, &ids).await? {
                    put(kind, m.id, Found::Need(m));
                }
            }
            AssistanceOffer::KIND => {
                let scope = batch.offer_scope().await?;
                for m in crate::domain::cooperation::service::get_offers(db, &scope, &ids).await? {
                    put(kind, m.id, Found::Offer(m));
                }
            }
            MatchProposal::KIND => {
                for m in crate::domain::cooperation::proposals::get_many(db, viewer, &ids).await? {
                    put(kind, m.id, Found::Proposal(m));
                }
            }
            Meeting::KIND => {
                for m in crate::domain::sponsorship::service::get_meetings(db, &ids).await? {
                    put(kind, m.id, Found::Meeting(m));
                }
            }
            SponsorshipApplication::KIND => {
                let today = app.clock.today();
                let found = crate::domain::sponsorship::service::get_applications(
                    db,
                    &app.sponsorship,
                    viewer,
                    &ids,
                    today,
                )
                .await?;
                for a in found {
                    put(kind, a.row.id, Found::Application(a));
                }
            }
            Workplan::KIND => {
                for w in crate::domain::budget::service::workplans_by_ids(db, viewer, &ids).await? {
                    put(kind, w.workplan.id, Found::Workplan(w));
                }
            }
            WorkplanActivity::KIND => {
                for a in crate::domain::budget::service::activities_by_ids(db, viewer, &ids).await?
                {
                    put(kind, a.id, Found::Activity(Arc::new(a)));
                }
            }
            MeetingDocument::KIND => {
                for d in crate::domain::records::documents::get_many(db, viewer, &ids).await? {
                    put(kind, d.id, Found::Document(d));
                }
            }
            Decision::KIND => {
                for d in crate::domain::records::decisions::get_many(db, viewer, &ids).await? {
                    put(kind, d.id, Found::Decision(d));
                }
            }
            // Action plans are public (published in the progress report).
            ActionPlan::KIND => {
                for p in crate::domain::action_plan::plans::get_plans(db, &ids).await? {
                    put(kind, p.id, Found::Plan(p));
                }
            }
            PlanAction::KIND => {
                for a in crate::domain::action_plan::plans::get_actions(db, &ids).await? {
                    put(kind, a.id, Found::Action(a));
                }
            }
            ActionIndicator::KIND => {
                for i in crate::domain::action_plan::plans::get_indicators(db, &ids).await? {
                    put(kind, i.id, Found::Indicator(i));
                }
            }
            ContactPoint::KIND => {
                for c in crate::domain::notifications::contacts::get_many(db, viewer, &ids).await? {
                    put(kind, c.id, Found::Contact(c));
                }
            }
            Notification::KIND => {
                for n in crate::domain::notifications::outbox::get_many(db, viewer, &ids).await? {
                    put(kind, n.id, Found::Notification(n));
                }
            }
            Expert::KIND => {
                for e in crate::domain::experts::service::get_many(db, viewer, &ids).await? {
                    put(kind, e.id, Found::Expert(e));
                }
            }
            GoodPractice::KIND => {
                for p in crate::domain::experts::practices::get_many(db, viewer, &ids).await? {
                    put(kind, p.id, Found::Practice(p));
                }
            }
            ExtensionRequest::KIND => {
                for r in crate::domain::extensions::service::get_many(db, viewer, &ids).await? {
                    put(kind, r.id, Found::Request(r));
                }
            }
            BudgetLine::KIND => {
                for l in crate::domain::budget::service::lines_by_ids(db, viewer, &ids).await? {
                    put(kind, l.line.id, Found::Line(l));
                }
            }
            _ => {}
        }
    }
    // States named by code and the States of obligations: one read for both.
    codes.extend(obligation_keys.iter().map(|k| k.state_code.clone()));
    if !codes.is_empty() {
        codes.sort();
        codes.dedup();
        let states = crate::domain::states::service::by_codes(db, &codes).await?;
        if !obligation_keys.is_empty() {
            let owing: Vec<&state::Model> = states
                .iter()
                .filter(|s| obligation_keys.iter().any(|k| k.state_code == s.code))
                .collect();
            let mut lists =
                crate::domain::states::obligations::of_states(db, &owing, app.clock.today())
                    .await?;
            for s in &owing {
                let state = Arc::new((*s).clone());
                for o in lists.remove(&s.code).unwrap_or_default() {
                    let key = obligation_keys
                        .iter()
                        .find(|k| k.state_code == s.code && k.names(&o));
                    if let Some(key) = key {
                        out.insert(
                            NodeRef::Obligation((*key).clone()),
                            Found::Obligation(Arc::clone(&state), o),
                        );
                    }
                }
            }
        }
        for s in states {
            if refs.contains(&NodeRef::State(s.code.clone())) {
                out.insert(NodeRef::State(s.code.clone()), Found::State(s));
            }
        }
    }
    Ok(out)
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null when unknown or not visible to you.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID, as an object's `id` gives it.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let Some(r) = NodeRef::from_id(&id) else {
            return Ok(None);
        };
        // Known at once, so read at once: the loader's batching window would only add
        // latency to the API's most frequent lookup.
        let found = resolve(loaders(ctx)?.batch(), std::slice::from_ref(&r))
            .await
            .map_err(ApiError::from)?;
        Ok(found.get(&r).cloned().map(Node::from))
    }

    /// Many objects at once, in the order asked (at most 100 IDs): null for an ID that is
    /// unknown, malformed or not visible to you, by the rule of `node`.
    #[graphql(complexity = "ids.len() * (child_complexity + 1)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs, at most 100.")] ids: Vec<ID>,
    ) -> async_graphql::Result<crate::api::cost::Objects<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::InvalidArgument(format!(
                "`ids` takes at most {MAX_NODES} IDs; {} were given.",
                ids.len()
            ))
            .into());
        }
        let refs: Vec<Option<NodeRef>> = ids.iter().map(|id| NodeRef::from_id(id)).collect();
        // Every ID is known at once: one read per kind, without the loader's window.
        let wanted: Vec<NodeRef> = refs.iter().flatten().cloned().collect();
        let found = resolve(loaders(ctx)?.batch(), &wanted)
            .await
            .map_err(ApiError::from)?;
        Ok(refs
            .into_iter()
            .map(|r| r.and_then(|r| found.get(&r).cloned()).map(Node::from))
            .collect())
    }
}
