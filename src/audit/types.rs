//! GraphQL types of the audit log.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use entity::audit_entry;

use crate::auth::types::User;
use crate::graphql::ids;

/// One change: who, what, when, and the entity before and after.
pub struct AuditEntry(pub audit_entry::Model);

impl AuditEntry {
    pub const KIND: &'static str = "AuditEntry";
}

#[Object]
impl AuditEntry {
    /// Opaque global ID.
    pub async fn id(&self) -> ID {
        ids::encode(Self::KIND, self.0.id)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Who made the change; null for the system itself (first start, seeding).
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(crate::graphql::loaders::loaders(ctx)?
            .load_one(crate::graphql::loaders::UserById(id))
            .await?
            .map(User))
    }
    /// The mutation's name, e.g. "submitTransparencyReport".
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }
    /// JSON of the entity before the change.
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }
    /// JSON of the entity after the change.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
}

#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Global ID of the user who acted.
    pub actor_id: Option<ID>,
    /// Entries at or after this instant.
    pub since: Option<DateTime<Utc>>,
}
