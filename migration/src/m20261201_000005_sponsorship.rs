//! Meetings and the Sponsorship Programme: budgets and allowances in integer cents, and
//! one application per delegate.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(uuid(Meetings::Id).primary_key())
                    .col(string_len(Meetings::Kind, 32))
                    .col(string(Meetings::Title))
                    .col(date(Meetings::StartsOn))
                    .col(date(Meetings::EndsOn))
                    .col(string_null(Meetings::Venue))
                    .col(date_null(Meetings::ApplicationDeadline))
                    .col(big_integer_null(Meetings::SponsorshipBudgetCents))
                    .col(big_integer_null(Meetings::DsaCents))
                    .col(string_len_null(Meetings::Currency, 3))
                    .col(big_integer(Meetings::CommittedCents).default(0))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meetings_starts_on")
                    .table(Meetings::Table)
                    .col(Meetings::StartsOn)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SponsorshipApplications::Table)
                    .col(uuid(SponsorshipApplications::Id).primary_key())
                    .col(uuid(SponsorshipApplications::MeetingId))
                    .col(string_len(SponsorshipApplications::StateCode, 3))
                    .col(string(SponsorshipApplications::DelegateName))
                    .col(string_len(SponsorshipApplications::DelegateGender, 16))
                    .col(string_null(SponsorshipApplications::DelegatePosition))
                    .col(string_null(SponsorshipApplications::DelegateEmail))
                    .col(big_integer(SponsorshipApplications::TravelCents))
                    .col(integer(SponsorshipApplications::RequestedDays))
                    .col(string_len(SponsorshipApplications::Status, 16))
                    .col(big_integer_null(SponsorshipApplications::ApprovedCents))
                    .col(text_null(SponsorshipApplications::Justification))
                    .col(timestamp_with_time_zone(
                        SponsorshipApplications::SubmittedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        SponsorshipApplications::DecidedAt,
                    ))
                    .col(text_null(SponsorshipApplications::DecisionNote))
                    .col(uuid_null(SponsorshipApplications::AppliedBy))
                    .col(uuid_null(SponsorshipApplications::DecidedBy))
                    .col(timestamp_with_time_zone(SponsorshipApplications::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sponsorship_applications_meeting")
                            .from(
                                SponsorshipApplications::Table,
                                SponsorshipApplications::MeetingId,
                            )
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sponsorship_applications_state")
                            .from(
                                SponsorshipApplications::Table,
                                SponsorshipApplications::StateCode,
                            )
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sponsorship_applications_applied_by")
                            .from(
                                SponsorshipApplications::Table,
                                SponsorshipApplications::AppliedBy,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sponsorship_applications_decided_by")
                            .from(
                                SponsorshipApplications::Table,
                                SponsorshipApplications::DecidedBy,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sponsorship_applications_meeting")
                    .table(SponsorshipApplications::Table)
                    .col(SponsorshipApplications::MeetingId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(SponsorshipApplications::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Meetings::Table).to_owned())
            .await
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
enum Meetings {
    Table,
    Id,
    Kind,
    Title,
    StartsOn,
    EndsOn,
    Venue,
    ApplicationDeadline,
    SponsorshipBudgetCents,
    DsaCents,
    Currency,
    CommittedCents,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SponsorshipApplications {
    Table,
    Id,
    MeetingId,
    StateCode,
    DelegateName,
    DelegateGender,
    DelegatePosition,
    DelegateEmail,
    TravelCents,
    RequestedDays,
    Status,
    ApprovedCents,
    Justification,
    SubmittedAt,
    DecidedAt,
    DecisionNote,
    AppliedBy,
    DecidedBy,
    UpdatedAt,
}
