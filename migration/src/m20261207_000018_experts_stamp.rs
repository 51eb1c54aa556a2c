//! The experts' roster under a cache stamp, like the registry and the sessions
//! (`m20261207_000017_cache_stamps`): the counter `experts` moves in every transaction that
//! changes an expert or a State (the roster reads the States' names and the facts
//! South-South is judged on). It replaces the stamp the experts' service wrote into
//! `app_settings`, which counted only the writes made through the service.

use sea_orm_migration::prelude::*;

use crate::m20261207_000017_cache_stamps::{Bump, create_all, drop_all};

#[derive(DeriveMigrationName)]
pub struct Migration;

const STAMP: &str = "experts";

const BUMPS: &[Bump] = &[
    Bump {
        name: "experts_ins",
        table: "experts",
        event: "INSERT",
        when: None,
        stamp: STAMP,
    },
    Bump {
        name: "experts_upd",
        table: "experts",
        event: "UPDATE",
        when: None,
        stamp: STAMP,
    },
    Bump {
        name: "experts_del",
        table: "experts",
        event: "DELETE",
        when: None,
        stamp: STAMP,
    },
    Bump {
        name: "states_ins_experts",
        table: "states",
        event: "INSERT",
        when: None,
        stamp: STAMP,
    },
    Bump {
        name: "states_upd_experts",
        table: "states",
        event: "UPDATE",
        when: None,
        stamp: STAMP,
    },
    Bump {
        name: "states_del_experts",
        table: "states",
        event: "DELETE",
        when: None,
        stamp: STAMP,
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO cache_stamps (name, generation) VALUES ('{STAMP}', 1)"
        ))
        .await?;
        create_all(manager, BUMPS).await?;
        db.execute_unprepared("DELETE FROM app_settings WHERE key = 'experts_roster_stamp'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_all(manager, BUMPS).await?;
        let db = manager.get_connection();
        db.execute_unprepared(&format!("DELETE FROM cache_stamps WHERE name = '{STAMP}'"))
            .await?;
        Ok(())
    }
}
