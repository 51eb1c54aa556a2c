//! Cache stamps: one counter per set of data a server keeps between requests, moved by
//! triggers in every transaction that changes what the set is read from.
//!
//! - `registry`: the States, the facts of their submitted and published reports (kind, year,
//!   status, submission), their extensions and where their records begin; what their
//!   obligations are computed from.
//! - `sessions`: the accounts and the revocation of their sessions; what an access token's
//!   check reads.
//!
//! On PostgreSQL the triggers are deferred constraint triggers: the counter's row is locked
//! at commit, after every other lock the transaction takes, so concurrent writers queue on it
//! for an instant and never deadlock through it. SQLite has one writer at a time. Updates
//! count only when a column the set reads changes (a report's sections do not).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One trigger: the table, its event, the condition (on `OLD`/`NEW`, the same text on both
/// databases) and the stamp it moves.
pub(crate) struct Bump {
    pub(crate) name: &'static str,
    pub(crate) table: &'static str,
    pub(crate) event: &'static str,
    pub(crate) when: Option<&'static str>,
    pub(crate) stamp: &'static str,
}

const REPORT_FACTS_CHANGED: &str = "OLD.status IS DISTINCT FROM NEW.status \
     OR OLD.kind IS DISTINCT FROM NEW.kind \
     OR OLD.reporting_year IS DISTINCT FROM NEW.reporting_year \
     OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at \
     OR OLD.state_code IS DISTINCT FROM NEW.state_code";

const BUMPS: &[Bump] = &[
    Bump {
        name: "states_ins",
        table: "states",
        event: "INSERT",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "states_upd",
        table: "states",
        event: "UPDATE",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "states_del",
        table: "states",
        event: "DELETE",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "extensions_ins",
        table: "deadline_extensions",
        event: "INSERT",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "extensions_upd",
        table: "deadline_extensions",
        event: "UPDATE",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "extensions_del",
        table: "deadline_extensions",
        event: "DELETE",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "records_begin_ins",
        table: "records_begin",
        event: "INSERT",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "records_begin_upd",
        table: "records_begin",
        event: "UPDATE",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "records_begin_del",
        table: "records_begin",
        event: "DELETE",
        when: None,
        stamp: "registry",
    },
    Bump {
        name: "reports_ins",
        table: "transparency_reports",
        event: "INSERT",
        when: Some("NEW.status <> 'DRAFT'"),
        stamp: "registry",
    },
    Bump {
        name: "reports_upd",
        table: "transparency_reports",
        event: "UPDATE",
        when: Some(REPORT_FACTS_CHANGED),
        stamp: "registry",
    },
    Bump {
        name: "reports_del",
        table: "transparency_reports",
        event: "DELETE",
        when: Some("OLD.status <> 'DRAFT'"),
        stamp: "registry",
    },
    // The deployment's start of the records.
    Bump {
        name: "settings_ins",
        table: "app_settings",
        event: "INSERT",
        when: Some("NEW.key = 'records_since'"),
        stamp: "registry",
    },
    Bump {
        name: "settings_upd",
        table: "app_settings",
        event: "UPDATE",
        when: Some("NEW.key = 'records_since' OR OLD.key = 'records_since'"),
        stamp: "registry",
    },
    Bump {
        name: "settings_del",
        table: "app_settings",
        event: "DELETE",
        when: Some("OLD.key = 'records_since'"),
        stamp: "registry",
    },
    Bump {
        name: "users_upd",
        table: "users",
        event: "UPDATE",
        when: None,
        stamp: "sessions",
    },
    Bump {
        name: "users_del",
        table: "users",
        event: "DELETE",
        when: None,
        stamp: "sessions",
    },
    Bump {
        name: "refresh_tokens_upd",
        table: "refresh_tokens",
        event: "UPDATE",
        when: Some("OLD.revoked_at IS DISTINCT FROM NEW.revoked_at"),
        stamp: "sessions",
    },
    Bump {
        name: "refresh_tokens_del",
        table: "refresh_tokens",
        event: "DELETE",
        when: None,
        stamp: "sessions",
    },
];

const STAMPS: [&str; 2] = ["registry", "sessions"];

const POSTGRES_FUNCTION: &str = "CREATE FUNCTION bump_cache_stamp() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE cache_stamps SET generation = generation + 1 WHERE name = TG_ARGV[0];
        RETURN NULL;
    END
    $$";

fn create(backend: DatabaseBackend, b: &Bump) -> String {
    let when = b.when.map(|w| format!("WHEN ({w})")).unwrap_or_default();
    match backend {
        DatabaseBackend::Postgres => format!(
            "CREATE CONSTRAINT TRIGGER stamp_{name} AFTER {event} ON {table} \
             DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {when} \
             EXECUTE FUNCTION bump_cache_stamp('{stamp}')",
            name = b.name,
            event = b.event,
            table = b.table,
            stamp = b.stamp,
        ),
        // SQLite has no IS DISTINCT FROM: IS NOT compares NULLs the same way.
        _ => format!(
            "CREATE TRIGGER stamp_{name} AFTER {event} ON {table} {when} \
             BEGIN UPDATE cache_stamps SET generation = generation + 1 \
             WHERE name = '{stamp}'; END",
            name = b.name,
            event = b.event,
            table = b.table,
            when = when.replace("IS DISTINCT FROM", "IS NOT"),
            stamp = b.stamp,
        ),
    }
}

/// Creates the triggers of `bumps`.
pub(crate) async fn create_all(manager: &SchemaManager<'_>, bumps: &[Bump]) -> Result<(), DbErr> {
    each(manager, bumps, create).await
}

/// Drops the triggers of `bumps`.
pub(crate) async fn drop_all(manager: &SchemaManager<'_>, bumps: &[Bump]) -> Result<(), DbErr> {
    each(manager, bumps, drop).await
}

/// Runs `sql`'s statement for each of `bumps`.
async fn each(
    manager: &SchemaManager<'_>,
    bumps: &[Bump],
    sql: fn(DatabaseBackend, &Bump) -> String,
) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    for b in bumps {
        manager
            .get_connection()
            .execute_unprepared(&sql(backend, b))
            .await?;
    }
    Ok(())
}

fn drop(backend: DatabaseBackend, b: &Bump) -> String {
    match backend {
        DatabaseBackend::Postgres => {
            format!("DROP TRIGGER IF EXISTS stamp_{} ON {}", b.name, b.table)
        }
        _ => format!("DROP TRIGGER IF EXISTS stamp_{}", b.name),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE cache_stamps (name VARCHAR(32) NOT NULL PRIMARY KEY, \
             generation BIGINT NOT NULL)",
        )
        .await?;
        for stamp in STAMPS {
            db.execute_unprepared(&format!(
                "INSERT INTO cache_stamps (name, generation) VALUES ('{stamp}', 1)"
            ))
            .await?;
        }
        if backend == DatabaseBackend::Postgres {
            db.execute_unprepared(POSTGRES_FUNCTION).await?;
        }
        create_all(manager, BUMPS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let db = manager.get_connection();
        drop_all(manager, BUMPS).await?;
        if backend == DatabaseBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS bump_cache_stamp()")
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS cache_stamps")
            .await?;
        Ok(())
    }
}
