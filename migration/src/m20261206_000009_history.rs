//! The history before the system: where each State's records begin, reports and
//! extensions marked as imported with their provenance, and the completions a history file
//! declared, with their sources.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RecordsBegin::Table)
                    .col(string_len(RecordsBegin::StateCode, 3))
                    .col(string_len(RecordsBegin::Kind, 32))
                    .col(date(RecordsBegin::Since))
                    .col(timestamp_with_time_zone(RecordsBegin::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(RecordsBegin::StateCode)
                            .col(RecordsBegin::Kind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_records_begin_state")
                            .from(RecordsBegin::Table, RecordsBegin::StateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportedCompletions::Table)
                    .col(string_len(ImportedCompletions::StateCode, 3))
                    .col(string_len(ImportedCompletions::Kind, 32))
                    .col(date(ImportedCompletions::CompletedOn))
                    .col(string_len_null(ImportedCompletions::Precision, 16))
                    .col(text_null(ImportedCompletions::Declared))
                    .col(string_len_null(ImportedCompletions::Confidence, 16))
                    .col(text_null(ImportedCompletions::Sources))
                    .col(timestamp_with_time_zone(ImportedCompletions::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(ImportedCompletions::StateCode)
                            .col(ImportedCompletions::Kind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_imported_completions_state")
                            .from(ImportedCompletions::Table, ImportedCompletions::StateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        for col in [
            boolean(TransparencyReports::Imported)
                .default(false)
                .to_owned(),
            text_null(TransparencyReports::PublishedUrl).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TransparencyReports::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        for col in [
            boolean(DeadlineExtensions::Imported)
                .default(false)
                .to_owned(),
            string_len_null(DeadlineExtensions::DecisionReference, 200).to_owned(),
            string_len_null(DeadlineExtensions::Precision, 16).to_owned(),
            string_len_null(DeadlineExtensions::GrantedOnPrecision, 16).to_owned(),
            string_len_null(DeadlineExtensions::Confidence, 16).to_owned(),
            text_null(DeadlineExtensions::Sources).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DeadlineExtensions::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            DeadlineExtensions::Imported,
            DeadlineExtensions::DecisionReference,
            DeadlineExtensions::Precision,
            DeadlineExtensions::GrantedOnPrecision,
            DeadlineExtensions::Confidence,
            DeadlineExtensions::Sources,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(DeadlineExtensions::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        for col in [
            TransparencyReports::Imported,
            TransparencyReports::PublishedUrl,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(TransparencyReports::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ImportedCompletions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RecordsBegin::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum States {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum RecordsBegin {
    Table,
    StateCode,
    Kind,
    Since,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ImportedCompletions {
    Table,
    StateCode,
    Kind,
    CompletedOn,
    Precision,
    Declared,
    Confidence,
    Sources,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TransparencyReports {
    Table,
    Imported,
    PublishedUrl,
}

#[derive(DeriveIden)]
enum DeadlineExtensions {
    Table,
    Imported,
    DecisionReference,
    Precision,
    GrantedOnPrecision,
    Confidence,
    Sources,
}
