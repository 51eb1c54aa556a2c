//! Deadline extensions (Articles 3(3) and 4(5)) and Article 7 transparency reports, which
//! the obligations engine reads to know what is fulfilled.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeadlineExtensions::Table)
                    .col(uuid(DeadlineExtensions::Id).primary_key())
                    .col(string_len(DeadlineExtensions::StateCode, 3))
                    .col(string_len(DeadlineExtensions::Kind, 32))
                    .col(date(DeadlineExtensions::PreviousDeadline))
                    .col(date(DeadlineExtensions::NewDeadline))
                    .col(date(DeadlineExtensions::GrantedOn))
                    .col(string_null(DeadlineExtensions::GrantedAt))
                    .col(timestamp_with_time_zone(DeadlineExtensions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_deadline_extensions_state")
                            .from(DeadlineExtensions::Table, DeadlineExtensions::StateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deadline_extensions_state_kind")
                    .table(DeadlineExtensions::Table)
                    .col(DeadlineExtensions::StateCode)
                    .col(DeadlineExtensions::Kind)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TransparencyReports::Table)
                    .col(uuid(TransparencyReports::Id).primary_key())
                    .col(string_len(TransparencyReports::StateCode, 3))
                    .col(string_len(TransparencyReports::Kind, 16))
                    .col(integer(TransparencyReports::ReportingYear))
                    .col(string_len(TransparencyReports::Status, 16))
                    .col(integer(TransparencyReports::Version))
                    .col(date(TransparencyReports::DueDate))
                    .col(timestamp_with_time_zone_null(
                        TransparencyReports::SubmittedAt,
                    ))
                    .col(boolean_null(TransparencyReports::OnTime))
                    .col(timestamp_with_time_zone_null(
                        TransparencyReports::PublishedAt,
                    ))
                    .col(text(TransparencyReports::Sections))
                    .col(timestamp_with_time_zone(TransparencyReports::CreatedAt))
                    .col(timestamp_with_time_zone(TransparencyReports::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_transparency_reports_state")
                            .from(TransparencyReports::Table, TransparencyReports::StateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // One report per State, kind and year: a duplicate is refused by the database.
        manager
            .create_index(
                Index::create()
                    .name("uq_transparency_reports_state_kind_year")
                    .table(TransparencyReports::Table)
                    .col(TransparencyReports::StateCode)
                    .col(TransparencyReports::Kind)
                    .col(TransparencyReports::ReportingYear)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TransparencyReports::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DeadlineExtensions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum States {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum DeadlineExtensions {
    Table,
    Id,
    StateCode,
    Kind,
    PreviousDeadline,
    NewDeadline,
    GrantedOn,
    GrantedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TransparencyReports {
    Table,
    Id,
    StateCode,
    Kind,
    ReportingYear,
    Status,
    Version,
    DueDate,
    SubmittedAt,
    OnTime,
    PublishedAt,
    Sections,
    CreatedAt,
    UpdatedAt,
}
