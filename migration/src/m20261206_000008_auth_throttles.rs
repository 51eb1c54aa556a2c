//! Password-attempt throttles that hold under concurrency: one counter row per digest key,
//! reserved with a conditional update before a password is hashed. Replaces
//! `login_failures`, which stored every tried email in full and forever, and was counted
//! after hashing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LoginFailures::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuthThrottles::Table)
                    .col(string_len(AuthThrottles::Key, 64).primary_key())
                    .col(integer(AuthThrottles::Attempts))
                    .col(timestamp_with_time_zone(AuthThrottles::WindowEndsAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_auth_throttles_window_ends_at")
                    .table(AuthThrottles::Table)
                    .col(AuthThrottles::WindowEndsAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuthThrottles::Table).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(uuid(LoginFailures::Id).primary_key())
                    .col(string(LoginFailures::Email))
                    .col(string(LoginFailures::ClientAddr))
                    .col(timestamp_with_time_zone(LoginFailures::At))
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum AuthThrottles {
    Table,
    Key,
    Attempts,
    WindowEndsAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    ClientAddr,
    At,
}
