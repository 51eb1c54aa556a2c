//! The published reports under a cache stamp, like the registry
//! (`m20261207_000017_cache_stamps`): the counter `published_reports` moves in every
//! transaction that inserts, changes or deletes a published report, or publishes or
//! unpublishes one. A server keeps the published reports' list columns under it, so that a
//! State's public page of reports costs no statement.

use sea_orm_migration::prelude::*;

use crate::m20261207_000017_cache_stamps::{Bump, create_all, drop_all};

#[derive(DeriveMigrationName)]
pub struct Migration;

const STAMP: &str = "published_reports";

const BUMPS: &[Bump] = &[
    Bump {
        name: "published_reports_ins",
        table: "transparency_reports",
        event: "INSERT",
        when: Some("NEW.status = 'PUBLISHED'"),
        stamp: STAMP,
    },
    Bump {
        name: "published_reports_upd",
        table: "transparency_reports",
        event: "UPDATE",
        when: Some("OLD.status = 'PUBLISHED' OR NEW.status = 'PUBLISHED'"),
        stamp: STAMP,
    },
    Bump {
        name: "published_reports_del",
        table: "transparency_reports",
        event: "DELETE",
        when: Some("OLD.status = 'PUBLISHED'"),
        stamp: STAMP,
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "INSERT INTO cache_stamps (name, generation) VALUES ('{STAMP}', 1)"
            ))
            .await?;
        create_all(manager, BUMPS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, BUMPS).await?;
        manager
            .get_connection()
            .execute_unprepared(&format!("DELETE FROM cache_stamps WHERE name = '{STAMP}'"))
            .await?;
        Ok(())
    }
}
