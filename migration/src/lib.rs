//! Database migrations, one set for SQLite and PostgreSQL.
//!
//! Portability rules: enumerations are strings, foreign keys are declared inside
//! `create_table` (SQLite cannot add them later), and an applied migration is never
//! edited: change the schema with a new migration.

pub use sea_orm_migration::prelude::*;

mod m20261124_000001_foundation;
mod m20261124_000002_obligations_and_reports;
mod m20261124_000003_assistance_needs;
mod m20261124_000004_cooperation;
mod m20261201_000005_sponsorship;
mod m20261201_000006_budget;
mod m20261202_000007_idempotency;
mod m20261206_000008_auth_throttles;
mod m20261206_000009_history;
mod m20261206_000010_blob_chunks;
mod m20261206_000011_records;
mod m20261206_000012_records_search;
mod m20261206_000013_action_plans;
mod m20261206_000014_reminders;
mod m20261206_000015_experts;
mod m20261207_000016_extension_requests;
mod m20261207_000017_cache_stamps;
mod m20261207_000018_experts_stamp;
mod m20261207_000019_published_reports_stamp;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_foundation::Migration),
            Box::new(m20261124_000002_obligations_and_reports::Migration),
            Box::new(m20261124_000003_assistance_needs::Migration),
            Box::new(m20261124_000004_cooperation::Migration),
            Box::new(m20261201_000005_sponsorship::Migration),
            Box::new(m20261201_000006_budget::Migration),
            Box::new(m20261202_000007_idempotency::Migration),
            Box::new(m20261206_000008_auth_throttles::Migration),
            Box::new(m20261206_000009_history::Migration),
            Box::new(m20261206_000010_blob_chunks::Migration),
            Box::new(m20261206_000011_records::Migration),
            Box::new(m20261206_000012_records_search::Migration),
            Box::new(m20261206_000013_action_plans::Migration),
            Box::new(m20261206_000014_reminders::Migration),
            Box::new(m20261206_000015_experts::Migration),
            Box::new(m20261207_000016_extension_requests::Migration),
            Box::new(m20261207_000017_cache_stamps::Migration),
            Box::new(m20261207_000018_experts_stamp::Migration),
            Box::new(m20261207_000019_published_reports_stamp::Migration),
        ]
    }
}
