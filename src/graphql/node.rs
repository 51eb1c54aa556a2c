//! The `Node` interface: every object with a global ID, resolvable by `node(id:)`.
//! Objects the viewer may not see resolve to null, as if they did not exist.

use async_graphql::{Context, ID, Interface, Object};

use super::{app, ids, viewer};
use crate::audit::types::AuditEntry;
use crate::auth::types::User;
use crate::budget::types::{BudgetLine, Workplan, WorkplanActivity};
use crate::cooperation::types::{AssistanceNeed, AssistanceOffer, MatchProposal};
use crate::error::ApiError;
use crate::reports::types::TransparencyReport;
use crate::sponsorship::types::{Meeting, SponsorshipApplication};
use crate::states::types::{DeadlineExtension, StateParty};

/// An object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global ID."))]
pub enum Node {
    StateParty(StateParty),
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
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null when unknown or not visible to you.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        let Some((kind, uuid)) = ids::decode(&id) else {
            return Ok(None);
        };
        let app = app(ctx)?;
        let viewer = viewer(ctx);
        let node = match kind.as_str() {
            StateParty::KIND => crate::states::service::by_id(&app.db, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::StateParty(StateParty(m))),
            User::KIND => crate::auth::service::get_user(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::User(User(m))),
            AuditEntry::KIND => crate::audit::service::get(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::AuditEntry(AuditEntry(m))),
            TransparencyReport::KIND => crate::reports::service::get(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::TransparencyReport(TransparencyReport(m))),
            DeadlineExtension::KIND => {
                use sea_orm::EntityTrait;
                entity::deadline_extension::Entity::find_by_id(uuid)
                    .one(&app.db)
                    .await
                    .map_err(ApiError::from)?
                    .map(|m| Node::DeadlineExtension(DeadlineExtension(m)))
            }
            AssistanceNeed::KIND => crate::cooperation::service::get_need(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::AssistanceNeed(AssistanceNeed(m))),
            AssistanceOffer::KIND => crate::cooperation::service::get_offer(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::AssistanceOffer(AssistanceOffer(m))),
            MatchProposal::KIND => crate::cooperation::proposals::get(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::MatchProposal(MatchProposal(m))),
            Meeting::KIND => crate::sponsorship::service::get_meeting(&app.db, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|m| Node::Meeting(Meeting(m))),
            SponsorshipApplication::KIND => crate::sponsorship::service::get_application(
                &app.db,
                &app.sponsorship,
                viewer,
                uuid,
                app.clock.today(),
            )
            .await
            .map_err(ApiError::from)?
            .map(|a| Node::SponsorshipApplication(SponsorshipApplication(a))),
            Workplan::KIND => crate::budget::service::workplan_by_id(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|w| Node::Workplan(Workplan(w))),
            WorkplanActivity::KIND => crate::budget::service::activity_by_id(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|a| Node::WorkplanActivity(WorkplanActivity(std::sync::Arc::new(a)))),
            BudgetLine::KIND => crate::budget::service::line_by_id(&app.db, viewer, uuid)
                .await
                .map_err(ApiError::from)?
                .map(|l| Node::BudgetLine(BudgetLine(l))),
            _ => None,
        };
        Ok(node)
    }
}
