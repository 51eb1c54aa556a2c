//! GraphQL types of the audit log.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use entity::audit_entry;

use crate::api::auth::types::User;
use crate::api::ids;
use crate::api::node::{Node, NodeRef};

/// One change: who, what, when, and the entity before and after.
pub struct AuditEntry(pub audit_entry::Model);

impl ids::Kind for AuditEntry {
    const NAME: &'static str = Self::KIND;
    type Key = uuid::Uuid;
}

impl AuditEntry {
    pub const KIND: &'static str = "AuditEntry";
}

/// One change: who, what, when, and what changed, before and after. An update that changes
/// nothing makes no entry.
#[Object]
impl AuditEntry {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    /// When the change was made (RFC 3339, UTC).
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Who made the change; null for the system itself (first start, seeding).
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(crate::api::loaders::loaders(ctx)?
            .load_one(crate::api::loaders::ById::<crate::api::loaders::Users>::new(id))
            .await?
            .map(User))
    }
    /// The mutation's name, e.g. "submitTransparencyReport".
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The changed entity's GraphQL type name, e.g. "AssistanceNeed" (or an internal name
    /// such as "Session" for what the API does not expose).
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// The changed entity's UUID, or a State's ISO alpha-3 code.
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    /// The changed object, when it still exists and implements Node, and you may read it
    /// through `node(id:)`.
    async fn entity(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Node>> {
        let Some(r) = NodeRef::from_audit(&self.0.entity_type, &self.0.entity_id) else {
            return Ok(None);
        };
        Ok(crate::api::loaders::loaders(ctx)?
            .node(r)
            .await?
            .map(Node::from))
    }
    /// JSON of what the change changed, as it was: for an update, only the fields whose
    /// values differ (a nested object field by field, a list as one value) and the entity's
    /// `id`; null for a creation. A string over 1 KiB, and a side over 16 KiB's largest
    /// values, are stored cut: `{"$cut": {"prefix": "<first 256 bytes>", "bytes": <full
    /// length>, "sha256": "<hex digest of the full text, or of a list's or object's compact
    /// JSON>"}}`.
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }
    /// JSON of what the change changed, as it became: the same fields as `before` (all of
    /// them for a creation), long values cut the same way.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
}

/// Narrows the audit log; filters combine.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// Entries about entities of this type, e.g. "TransparencyReport".
    pub entity_type: Option<String>,
    /// Entries about this entity (a UUID, or a State's code).
    pub entity_id: Option<String>,
    /// Global ID of the user who acted.
    pub actor_id: Option<ID>,
    /// Entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
}
