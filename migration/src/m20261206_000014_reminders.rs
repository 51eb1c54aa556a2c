//! Reminders and notifications: each State's contact points, and the outbox of every
//! notification (deadline reminders and event emails, and in-app notices). An outbox row is
//! written once under its `dedupe_key` (unique), so that two planners, or the same planner
//! twice, write each reminder once; the sender claims a row by moving `next_attempt_at`
//! forward (its lease) before sending, so that two senders never send the same row.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(name: &str, from: (Tables, Tables), to: (Tables, Tables)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_update(ForeignKeyAction::Cascade)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(name: &str, table: Tables, cols: &[Tables]) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(table).to_owned();
    for c in cols {
        i.col(*c);
    }
    i
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Tables as T;
        manager
            .create_table(
                Table::create()
                    .table(T::ContactPoints)
                    .col(uuid(T::Id).primary_key())
                    .col(string_len(T::StateCode, 3))
                    .col(string(T::Name))
                    .col(string_len(T::Function, 32))
                    .col(string_len(T::Email, 254))
                    .col(string_len(T::Language, 2))
                    .col(boolean(T::Active))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_contact_points_state",
                        (T::ContactPoints, T::StateCode),
                        (T::States, T::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_contact_points_state",
                T::ContactPoints,
                &[T::StateCode],
            ))
            .await?;
        // One contact point per address and State, whatever the case of its letters: two
        // adds of the same address at once cannot both be written (an expression index, the
        // same on SQLite and PostgreSQL).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_contact_points_email \
                 ON contact_points (state_code, lower(email))",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::Notifications)
                    .col(uuid(T::Id).primary_key())
                    .col(string_len(T::DedupeKey, 200).unique_key())
                    .col(string_len(T::Reason, 32))
                    .col(string_len(T::Channel, 8))
                    .col(string_len_null(T::StateCode, 3))
                    .col(uuid_null(T::ContactPointId))
                    .col(uuid_null(T::RecipientUserId))
                    .col(string_len(T::Recipient, 254))
                    .col(text(T::Subject))
                    .col(text(T::Body))
                    .col(text_null(T::BodyHtml))
                    .col(string_len(T::Language, 2))
                    .col(string_len(T::Status, 16))
                    .col(integer(T::Attempts))
                    .col(text_null(T::LastError))
                    .col(string_len_null(T::ObligationKind, 32))
                    .col(integer_null(T::ReportingYear))
                    .col(date_null(T::DueDate))
                    .col(string_len_null(T::Round, 16))
                    .col(uuid_null(T::SubjectId))
                    .col(timestamp_with_time_zone(T::NextAttemptAt))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .col(timestamp_with_time_zone_null(T::SentAt))
                    .col(timestamp_with_time_zone_null(T::ReadAt))
                    .foreign_key(&mut fk(
                        "fk_notifications_state",
                        (T::Notifications, T::StateCode),
                        (T::States, T::Code),
                    ))
                    .foreign_key(&mut fk(
                        "fk_notifications_contact_point",
                        (T::Notifications, T::ContactPointId),
                        (T::ContactPoints, T::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_notifications_user",
                        (T::Notifications, T::RecipientUserId),
                        (T::Users, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // The sender's scan: due PENDING emails, oldest first.
        manager
            .create_index(index(
                "idx_notifications_outbox",
                T::Notifications,
                &[T::Status, T::Channel, T::NextAttemptAt],
            ))
            .await?;
        // A user's in-app notices, newest first, and their unread count.
        manager
            .create_index(index(
                "idx_notifications_user",
                T::Notifications,
                &[T::RecipientUserId, T::CreatedAt],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_notifications_state",
                T::Notifications,
                &[T::StateCode, T::CreatedAt],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_notifications_created",
                T::Notifications,
                &[T::CreatedAt],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [Tables::Notifications, Tables::ContactPoints] {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Tables {
    ContactPoints,
    Notifications,
    States,
    Users,
    Id,
    Code,
    StateCode,
    Name,
    Function,
    Email,
    Language,
    Active,
    CreatedAt,
    UpdatedAt,
    DedupeKey,
    Reason,
    Channel,
    ContactPointId,
    RecipientUserId,
    Recipient,
    Subject,
    Body,
    BodyHtml,
    Status,
    Attempts,
    LastError,
    ObligationKind,
    ReportingYear,
    DueDate,
    Round,
    SubjectId,
    NextAttemptAt,
    SentAt,
    ReadAt,
}
