//! Extension requests (Articles 3(3)-(5) and 4(5)-(8)): a State's request for more time to
//! destroy its stockpiles or clear its land, from the first draft to the meeting's decision.
//! A request names the deadline in force when it was opened, the deadline it asks for and the
//! meeting asked to decide; its elements (the text for each provision the article lists), the
//! analysis group's numbered questions with the State's answers, and the meeting documents
//! attached to it are rows of their own. At most one request per State and kind is under way
//! (DRAFT, SUBMITTED or UNDER_ANALYSIS): a partial unique index says so on both databases.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (Tables, Tables),
    to: (Tables, Tables),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_update(ForeignKeyAction::Cascade)
        .on_delete(on_delete)
        .to_owned()
}

/// The same statement on SQLite and PostgreSQL: both have partial indexes.
const ONE_UNDER_WAY: &str = "CREATE UNIQUE INDEX idx_extension_requests_under_way
    ON extension_requests (state_code, kind)
    WHERE status IN ('DRAFT', 'SUBMITTED', 'UNDER_ANALYSIS')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        use Tables as T;
        manager
            .create_table(
                Table::create()
                    .table(T::ExtensionRequests)
                    .col(uuid(T::Id).primary_key())
                    .col(string_len(T::StateCode, 3))
                    .col(string_len(T::Kind, 32))
                    .col(date(T::CurrentDeadline))
                    .col(date(T::RequestedDeadline))
                    .col(uuid(T::MeetingId))
                    .col(boolean(T::ExtendedBefore))
                    .col(string_len(T::Status, 16))
                    .col(date_null(T::SubmittedOn))
                    .col(string_len_null(T::Outcome, 16))
                    .col(date_null(T::GrantedDeadline))
                    .col(date_null(T::DecidedOn))
                    .col(uuid_null(T::DecisionId))
                    .col(uuid_null(T::ExtensionId))
                    .col(uuid_null(T::PreviousId))
                    .col(date_null(T::WithdrawnOn))
                    .col(text_null(T::WithdrawalReason))
                    .col(integer(T::Version))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_extension_requests_state",
                        (T::ExtensionRequests, T::StateCode),
                        (T::States, T::Code),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_extension_requests_meeting",
                        (T::ExtensionRequests, T::MeetingId),
                        (T::Meetings, T::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_extension_requests_decision",
                        (T::ExtensionRequests, T::DecisionId),
                        (T::Decisions, T::Id),
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "fk_extension_requests_extension",
                        (T::ExtensionRequests, T::ExtensionId),
                        (T::DeadlineExtensions, T::Id),
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "fk_extension_requests_previous",
                        (T::ExtensionRequests, T::PreviousId),
                        (T::ExtensionRequests, T::Id),
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_extension_requests_state",
                &[T::StateCode, T::Kind, T::Id][..],
            ),
            ("idx_extension_requests_meeting", &[T::MeetingId, T::Id][..]),
            ("idx_extension_requests_status", &[T::Status, T::Id][..]),
        ] {
            let mut i = Index::create()
                .name(name)
                .table(T::ExtensionRequests)
                .to_owned();
            for c in cols {
                i.col(*c);
            }
            manager.create_index(i).await?;
        }
        manager
            .get_connection()
            .execute_unprepared(ONE_UNDER_WAY)
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::ExtensionRequestElements)
                    .col(uuid(T::RequestId))
                    .col(string_len(T::Provision, 24))
                    .col(text(T::Text))
                    .primary_key(Index::create().col(T::RequestId).col(T::Provision))
                    .foreign_key(&mut fk(
                        "fk_extension_request_elements_request",
                        (T::ExtensionRequestElements, T::RequestId),
                        (T::ExtensionRequests, T::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::ExtensionRequestQuestions)
                    .col(uuid(T::RequestId))
                    .col(integer(T::Number))
                    .col(date(T::AskedOn))
                    .col(text(T::Question))
                    .col(text_null(T::Answer))
                    .col(date_null(T::AnsweredOn))
                    .primary_key(Index::create().col(T::RequestId).col(T::Number))
                    .foreign_key(&mut fk(
                        "fk_extension_request_questions_request",
                        (T::ExtensionRequestQuestions, T::RequestId),
                        (T::ExtensionRequests, T::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::ExtensionRequestDocuments)
                    .col(uuid(T::RequestId))
                    .col(uuid(T::DocumentId))
                    .primary_key(Index::create().col(T::RequestId).col(T::DocumentId))
                    .foreign_key(&mut fk(
                        "fk_extension_request_documents_request",
                        (T::ExtensionRequestDocuments, T::RequestId),
                        (T::ExtensionRequests, T::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_extension_request_documents_document",
                        (T::ExtensionRequestDocuments, T::DocumentId),
                        (T::MeetingDocuments, T::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_extension_request_documents_document")
                    .table(T::ExtensionRequestDocuments)
                    .col(T::DocumentId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Tables::ExtensionRequestDocuments,
            Tables::ExtensionRequestQuestions,
            Tables::ExtensionRequestElements,
            Tables::ExtensionRequests,
        ] {
            manager
                .drop_table(Table::drop().table(t).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Tables {
    ExtensionRequests,
    ExtensionRequestElements,
    ExtensionRequestQuestions,
    ExtensionRequestDocuments,
    States,
    Meetings,
    Decisions,
    DeadlineExtensions,
    MeetingDocuments,
    Id,
    Code,
    StateCode,
    Kind,
    CurrentDeadline,
    RequestedDeadline,
    MeetingId,
    ExtendedBefore,
    Status,
    SubmittedOn,
    Outcome,
    GrantedDeadline,
    DecidedOn,
    DecisionId,
    ExtensionId,
    PreviousId,
    WithdrawnOn,
    WithdrawalReason,
    Version,
    CreatedAt,
    UpdatedAt,
    RequestId,
    Provision,
    Text,
    Number,
    AskedOn,
    Question,
    Answer,
    AnsweredOn,
    DocumentId,
}
