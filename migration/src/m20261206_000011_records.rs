//! Meetings' records: documents, decisions and their follow-up; an extension names the
//! decision that granted it.

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Tables as T;
        manager
            .create_table(
                Table::create()
                    .table(T::MeetingDocuments)
                    .col(uuid(T::Id).primary_key())
                    .col(uuid(T::MeetingId))
                    .col(string_len(T::Kind, 32))
                    .col(string_len_null(T::Symbol, 100))
                    .col(string(T::Title))
                    .col(string_len(T::Language, 2))
                    .col(date_null(T::PublishedOn))
                    .col(string_len(T::Access, 16))
                    .col(string_len_null(T::SubmittedBy, 3))
                    .col(text_null(T::Text))
                    .col(string_len_null(T::MediaType, 100))
                    .col(big_integer_null(T::ByteSize))
                    .col(string_len_null(T::Sha256, 64))
                    .col(uuid_null(T::BlobId))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_meeting_documents_meeting",
                        (T::MeetingDocuments, T::MeetingId),
                        (T::Meetings, T::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_meeting_documents_state",
                        (T::MeetingDocuments, T::SubmittedBy),
                        (T::States, T::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_meeting_documents_symbol_language")
                    .table(T::MeetingDocuments)
                    .col(T::Symbol)
                    .col(T::Language)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_documents_meeting")
                    .table(T::MeetingDocuments)
                    .col(T::MeetingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::Decisions)
                    .col(uuid(T::Id).primary_key())
                    .col(uuid(T::MeetingId))
                    .col(string_len(T::Kind, 16))
                    .col(string(T::Reference))
                    .col(text(T::Text))
                    .col(string_len(T::Access, 16))
                    .col(string(T::Responsible))
                    .col(string_len_null(T::ResponsibleState, 3))
                    .col(date_null(T::DueOn))
                    .col(string_len(T::Status, 32))
                    .col(text_null(T::ManagementResponse))
                    .col(text(T::ActionPlanActions))
                    .col(uuid_null(T::SupersededBy))
                    .col(integer(T::Version))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_decisions_meeting",
                        (T::Decisions, T::MeetingId),
                        (T::Meetings, T::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_decisions_state",
                        (T::Decisions, T::ResponsibleState),
                        (T::States, T::Code),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_decisions_meeting")
                    .table(T::Decisions)
                    .col(T::MeetingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::DecisionUpdates)
                    .col(uuid(T::Id).primary_key())
                    .col(uuid(T::DecisionId))
                    .col(timestamp_with_time_zone(T::At))
                    .col(uuid_null(T::ByUser))
                    .col(string_len(T::Status, 32))
                    .col(text_null(T::Comment))
                    .col(uuid_null(T::EvidenceDocumentId))
                    .foreign_key(&mut fk(
                        "fk_decision_updates_decision",
                        (T::DecisionUpdates, T::DecisionId),
                        (T::Decisions, T::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_decision_updates_evidence",
                        (T::DecisionUpdates, T::EvidenceDocumentId),
                        (T::MeetingDocuments, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_decision_updates_decision")
                    .table(T::DecisionUpdates)
                    .col(T::DecisionId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(T::DeadlineExtensions)
                    .add_column(uuid_null(T::DecisionId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Tables as T;
        manager
            .alter_table(
                Table::alter()
                    .table(T::DeadlineExtensions)
                    .drop_column(T::DecisionId)
                    .to_owned(),
            )
            .await?;
        for t in [T::DecisionUpdates, T::Decisions, T::MeetingDocuments] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Tables {
    States,
    Code,
    Meetings,
    DeadlineExtensions,
    MeetingDocuments,
    Decisions,
    DecisionUpdates,
    Id,
    MeetingId,
    Kind,
    Symbol,
    Title,
    Language,
    PublishedOn,
    Access,
    SubmittedBy,
    Text,
    MediaType,
    ByteSize,
    Sha256,
    BlobId,
    CreatedAt,
    UpdatedAt,
    Reference,
    Responsible,
    ResponsibleState,
    DueOn,
    Status,
    ManagementResponse,
    ActionPlanActions,
    SupersededBy,
    Version,
    DecisionId,
    At,
    ByUser,
    Comment,
    EvidenceDocumentId,
}
