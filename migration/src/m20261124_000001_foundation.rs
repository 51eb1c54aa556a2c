//! The platform foundation: States registry, users and sessions, login throttling,
//! audit log and server settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(States::Table)
                    .col(uuid(States::Id).primary_key())
                    .col(string_len_uniq(States::Code, 3))
                    .col(string(States::Name))
                    .col(string_len(States::Status, 16))
                    .col(string_len_null(States::RegionalGroup, 32))
                    .col(string_len_null(States::IncomeGroup, 16))
                    .col(date_null(States::SignatureDate))
                    .col(date_null(States::DepositDate))
                    .col(string_len_null(States::DepositType, 16))
                    .col(date_null(States::WithdrawalEffectiveDate))
                    .col(boolean(States::HoldsStockpiles))
                    .col(boolean(States::Contaminated))
                    .col(boolean(States::HasVictims))
                    .col(date_null(States::StockpileDestructionCompletedOn))
                    .col(date_null(States::ClearanceCompletedOn))
                    .col(timestamp_with_time_zone(States::CreatedAt))
                    .col(timestamp_with_time_zone(States::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(uuid(Users::Id).primary_key())
                    .col(string_uniq(Users::Email))
                    .col(string(Users::PasswordHash))
                    .col(string_len(Users::Role, 16))
                    .col(string_len_null(Users::StateCode, 3))
                    .col(string(Users::ThematicAreas))
                    .col(boolean(Users::Active))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_state_code")
                            .from(Users::Table, Users::StateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id).primary_key())
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RotatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_user")
                            .from(RefreshTokens::Table, RefreshTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
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
            .await?;
        for (name, col) in [
            ("idx_login_failures_email_at", LoginFailures::Email),
            ("idx_login_failures_client_at", LoginFailures::ClientAddr),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LoginFailures::Table)
                        .col(col)
                        .col(LoginFailures::At)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .col(uuid(AuditEntries::Id).primary_key())
                    .col(timestamp_with_time_zone(AuditEntries::At))
                    .col(uuid_null(AuditEntries::ActorId))
                    .col(string(AuditEntries::Action))
                    .col(string(AuditEntries::EntityType))
                    .col(string(AuditEntries::EntityId))
                    .col(text_null(AuditEntries::Before))
                    .col(text_null(AuditEntries::After))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_entries_actor")
                            .from(AuditEntries::Table, AuditEntries::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_entries_entity")
                    .table(AuditEntries::Table)
                    .col(AuditEntries::EntityType)
                    .col(AuditEntries::EntityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_entries_at")
                    .table(AuditEntries::Table)
                    .col(AuditEntries::At)
                    .col(AuditEntries::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AppSettings::Table)
                    .col(string(AppSettings::Key).primary_key())
                    .col(text(AppSettings::Value))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AppSettings::Table.into_iden(),
            AuditEntries::Table.into_iden(),
            LoginFailures::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Users::Table.into_iden(),
            States::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum States {
    Table,
    Id,
    Code,
    Name,
    Status,
    RegionalGroup,
    IncomeGroup,
    SignatureDate,
    DepositDate,
    DepositType,
    WithdrawalEffectiveDate,
    HoldsStockpiles,
    Contaminated,
    HasVictims,
    StockpileDestructionCompletedOn,
    ClearanceCompletedOn,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    StateCode,
    ThematicAreas,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    RotatedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    ClientAddr,
    At,
}

#[derive(DeriveIden)]
enum AuditEntries {
    Table,
    Id,
    At,
    ActorId,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
}

#[derive(DeriveIden)]
enum AppSettings {
    Table,
    Key,
    Value,
}
