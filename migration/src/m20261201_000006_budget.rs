//! The ISU's workplan and budget, expenditure, and States parties' contributions. Amounts
//! are integer cents; rates are exact decimal strings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Workplans::Table)
                    .col(uuid(Workplans::Id).primary_key())
                    .col(integer(Workplans::Year).unique_key())
                    .col(string(Workplans::Title))
                    .col(string_len(Workplans::Currency, 3))
                    .col(string_len(Workplans::Status, 16))
                    .col(integer(Workplans::Version))
                    .col(timestamp_with_time_zone(Workplans::CreatedAt))
                    .col(timestamp_with_time_zone(Workplans::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WorkplanActivities::Table)
                    .col(uuid(WorkplanActivities::Id).primary_key())
                    .col(uuid(WorkplanActivities::WorkplanId))
                    .col(string(WorkplanActivities::Title))
                    .col(text(WorkplanActivities::Output))
                    .col(text_null(WorkplanActivities::Indicator))
                    .col(text_null(WorkplanActivities::Target))
                    .col(string_null(WorkplanActivities::ActionPlanReference))
                    .col(timestamp_with_time_zone(WorkplanActivities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_workplan_activities_workplan")
                            .from(WorkplanActivities::Table, WorkplanActivities::WorkplanId)
                            .to(Workplans::Table, Workplans::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BudgetLines::Table)
                    .col(uuid(BudgetLines::Id).primary_key())
                    .col(uuid(BudgetLines::WorkplanId))
                    .col(uuid_null(BudgetLines::ActivityId))
                    .col(string_len(BudgetLines::Category, 16))
                    .col(string(BudgetLines::Description))
                    .col(big_integer(BudgetLines::AmountCents))
                    .col(big_integer(BudgetLines::SpentCents).default(0))
                    .col(timestamp_with_time_zone(BudgetLines::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_budget_lines_workplan")
                            .from(BudgetLines::Table, BudgetLines::WorkplanId)
                            .to(Workplans::Table, Workplans::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_budget_lines_activity")
                            .from(BudgetLines::Table, BudgetLines::ActivityId)
                            .to(WorkplanActivities::Table, WorkplanActivities::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Expenditures::Table)
                    .col(uuid(Expenditures::Id).primary_key())
                    .col(uuid(Expenditures::BudgetLineId))
                    .col(big_integer(Expenditures::AmountCents))
                    .col(date(Expenditures::SpentOn))
                    .col(string(Expenditures::Description))
                    .col(uuid_null(Expenditures::RecordedBy))
                    .col(timestamp_with_time_zone(Expenditures::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_expenditures_budget_line")
                            .from(Expenditures::Table, Expenditures::BudgetLineId)
                            .to(BudgetLines::Table, BudgetLines::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_expenditures_recorded_by")
                            .from(Expenditures::Table, Expenditures::RecordedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invoices::Table)
                    .col(uuid(Invoices::Id).primary_key())
                    .col(integer(Invoices::Year))
                    .col(string_len(Invoices::StateCode, 3))
                    .col(string_len(Invoices::Rate, 40))
                    .col(big_integer(Invoices::AmountCents))
                    .col(big_integer(Invoices::ReceivedCents).default(0))
                    .col(string_len(Invoices::Currency, 3))
                    .col(timestamp_with_time_zone(Invoices::IssuedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invoices_state")
                            .from(Invoices::Table, Invoices::StateCode)
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
                    .name("uq_invoices_year_state")
                    .table(Invoices::Table)
                    .col(Invoices::Year)
                    .col(Invoices::StateCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(uuid(Payments::Id).primary_key())
                    .col(uuid(Payments::InvoiceId))
                    .col(string_len(Payments::StateCode, 3))
                    .col(integer(Payments::Year))
                    .col(big_integer(Payments::AmountCents))
                    .col(date(Payments::ReceivedOn))
                    .col(uuid_null(Payments::RecordedBy))
                    .col(timestamp_with_time_zone(Payments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payments_invoice")
                            .from(Payments::Table, Payments::InvoiceId)
                            .to(Invoices::Table, Invoices::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payments_recorded_by")
                            .from(Payments::Table, Payments::RecordedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, col) in [
            (
                "idx_workplan_activities_workplan",
                WorkplanActivities::Table.into_iden(),
                WorkplanActivities::WorkplanId.into_iden(),
            ),
            (
                "idx_budget_lines_workplan",
                BudgetLines::Table.into_iden(),
                BudgetLines::WorkplanId.into_iden(),
            ),
            (
                "idx_expenditures_budget_line",
                Expenditures::Table.into_iden(),
                Expenditures::BudgetLineId.into_iden(),
            ),
            (
                "idx_payments_invoice",
                Payments::Table.into_iden(),
                Payments::InvoiceId.into_iden(),
            ),
        ] {
            manager
                .create_index(Index::create().name(name).table(table).col(col).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Payments::Table.into_iden(),
            Invoices::Table.into_iden(),
            Expenditures::Table.into_iden(),
            BudgetLines::Table.into_iden(),
            WorkplanActivities::Table.into_iden(),
            Workplans::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum States {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Workplans {
    Table,
    Id,
    Year,
    Title,
    Currency,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorkplanActivities {
    Table,
    Id,
    WorkplanId,
    Title,
    Output,
    Indicator,
    Target,
    ActionPlanReference,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BudgetLines {
    Table,
    Id,
    WorkplanId,
    ActivityId,
    Category,
    Description,
    AmountCents,
    SpentCents,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Expenditures {
    Table,
    Id,
    BudgetLineId,
    AmountCents,
    SpentOn,
    Description,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invoices {
    Table,
    Id,
    Year,
    StateCode,
    Rate,
    AmountCents,
    ReceivedCents,
    Currency,
    IssuedAt,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    InvoiceId,
    StateCode,
    Year,
    AmountCents,
    ReceivedOn,
    RecordedBy,
    CreatedAt,
}
