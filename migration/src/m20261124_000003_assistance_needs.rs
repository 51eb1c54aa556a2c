//! Needs for assistance that States declare (Article 6), possibly in an Article 7 report.
//! Amounts are integer minor units (cents) with their currency: exact on both databases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AssistanceNeeds::Table)
                    .col(uuid(AssistanceNeeds::Id).primary_key())
                    .col(string_len(AssistanceNeeds::StateCode, 3))
                    .col(string_len(AssistanceNeeds::ThematicArea, 32))
                    .col(string(AssistanceNeeds::AssistanceTypes))
                    .col(string(AssistanceNeeds::Title))
                    .col(text_null(AssistanceNeeds::Description))
                    .col(big_integer_null(AssistanceNeeds::AmountCents))
                    .col(string_len_null(AssistanceNeeds::Currency, 3))
                    .col(date_null(AssistanceNeeds::PeriodStart))
                    .col(date_null(AssistanceNeeds::PeriodEnd))
                    .col(string_len(AssistanceNeeds::Status, 16))
                    .col(uuid_null(AssistanceNeeds::SourceReportId))
                    .col(timestamp_with_time_zone(AssistanceNeeds::CreatedAt))
                    .col(timestamp_with_time_zone(AssistanceNeeds::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assistance_needs_state")
                            .from(AssistanceNeeds::Table, AssistanceNeeds::StateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assistance_needs_source_report")
                            .from(AssistanceNeeds::Table, AssistanceNeeds::SourceReportId)
                            .to(TransparencyReports::Table, TransparencyReports::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_assistance_needs_source_report")
                    .table(AssistanceNeeds::Table)
                    .col(AssistanceNeeds::SourceReportId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AssistanceNeeds::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum States {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum TransparencyReports {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AssistanceNeeds {
    Table,
    Id,
    StateCode,
    ThematicArea,
    AssistanceTypes,
    Title,
    Description,
    AmountCents,
    Currency,
    PeriodStart,
    PeriodEnd,
    Status,
    SourceReportId,
    CreatedAt,
    UpdatedAt,
}
