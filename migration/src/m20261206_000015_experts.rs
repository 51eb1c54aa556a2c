//! The resource base: the roster of experts (listed with their consent; erased on request),
//! good practices, and which documents and experts each practice names. Good practices are
//! searchable by text with each database's own engine, as the records are: a generated
//! `tsvector` column with a GIN index on PostgreSQL, an FTS5 table kept by triggers on SQLite.

use sea_orm_migration::sea_orm::DatabaseBackend;
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

fn index(name: &str, table: Tables, cols: &[Tables]) -> IndexCreateStatement {
    let mut i = Index::create().name(name).table(table).to_owned();
    for c in cols {
        i.col(*c);
    }
    i
}

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE good_practices ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', summary), 'B')) STORED",
    "CREATE INDEX idx_good_practices_search ON good_practices USING GIN (search)",
];

/// `id` the practice's ID as text (unindexed); `title` and `summary` searched.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE good_practices_fts USING fts5(
        id UNINDEXED, title, summary, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER good_practices_fts_insert AFTER INSERT ON good_practices BEGIN
        INSERT INTO good_practices_fts (id, title, summary) VALUES (new.id, new.title, new.summary);
     END",
    "CREATE TRIGGER good_practices_fts_update AFTER UPDATE OF title, summary ON good_practices BEGIN
        DELETE FROM good_practices_fts WHERE id = old.id;
        INSERT INTO good_practices_fts (id, title, summary) VALUES (new.id, new.title, new.summary);
     END",
    "CREATE TRIGGER good_practices_fts_delete AFTER DELETE ON good_practices BEGIN
        DELETE FROM good_practices_fts WHERE id = old.id;
     END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS good_practices_fts_delete",
    "DROP TRIGGER IF EXISTS good_practices_fts_update",
    "DROP TRIGGER IF EXISTS good_practices_fts_insert",
    "DROP TABLE IF EXISTS good_practices_fts",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};
        use Tables as T;
        manager
            .create_table(
                Table::create()
                    .table(T::Experts)
                    .col(uuid(T::Id).primary_key())
                    .col(string_len(T::FullName, 200))
                    .col(string_len(T::Gender, 16))
                    .col(string_len_null(T::NationalityCode, 3))
                    .col(string_len_null(T::Organization, 200))
                    .col(string_len(T::Areas, 255))
                    .col(string_len(T::AssistanceTypes, 128))
                    .col(string_len(T::Languages, 32))
                    .col(string_len(T::Regions, 160))
                    .col(integer_null(T::YearsOfExperience))
                    .col(text_null(T::Biography))
                    .col(date_null(T::AvailableFrom))
                    .col(date_null(T::AvailableUntil))
                    .col(string_len_null(T::Email, 254))
                    .col(string_len_null(T::Phone, 40))
                    .col(date(T::ConsentGivenOn))
                    .col(boolean(T::Active))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_experts_nationality",
                        (T::Experts, T::NationalityCode),
                        (T::States, T::Code),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_experts_nationality",
                T::Experts,
                &[T::NationalityCode],
            ))
            .await?;
        manager
            .create_index(index("idx_experts_active", T::Experts, &[T::Active, T::Id]))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::GoodPractices)
                    .col(uuid(T::Id).primary_key())
                    .col(string_len(T::Title, 200))
                    .col(string_len(T::Area, 32))
                    .col(string_len_null(T::StateCode, 3))
                    .col(text(T::Summary))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_good_practices_state",
                        (T::GoodPractices, T::StateCode),
                        (T::States, T::Code),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_good_practices_area",
                T::GoodPractices,
                &[T::Area, T::Id],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::GoodPracticeDocuments)
                    .col(uuid(T::PracticeId))
                    .col(uuid(T::DocumentId))
                    .primary_key(Index::create().col(T::PracticeId).col(T::DocumentId))
                    .foreign_key(&mut fk(
                        "fk_good_practice_documents_practice",
                        (T::GoodPracticeDocuments, T::PracticeId),
                        (T::GoodPractices, T::Id),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_good_practice_documents_document",
                        (T::GoodPracticeDocuments, T::DocumentId),
                        (T::MeetingDocuments, T::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::GoodPracticeExperts)
                    .col(uuid(T::PracticeId))
                    .col(uuid(T::ExpertId))
                    .primary_key(Index::create().col(T::PracticeId).col(T::ExpertId))
                    .foreign_key(&mut fk(
                        "fk_good_practice_experts_practice",
                        (T::GoodPracticeExperts, T::PracticeId),
                        (T::GoodPractices, T::Id),
                        Cascade,
                    ))
                    // Erasing an expert takes their name off every practice.
                    .foreign_key(&mut fk(
                        "fk_good_practice_experts_expert",
                        (T::GoodPracticeExperts, T::ExpertId),
                        (T::Experts, T::Id),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_good_practice_experts_expert",
                T::GoodPracticeExperts,
                &[T::ExpertId],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_good_practice_documents_document",
                T::GoodPracticeDocuments,
                &[T::DocumentId],
            ))
            .await?;
        let conn = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_UP,
            DatabaseBackend::Sqlite => SQLITE_UP,
            _ => &[][..],
        };
        for s in statements {
            conn.execute_unprepared(s).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            for s in SQLITE_DOWN {
                manager.get_connection().execute_unprepared(s).await?;
            }
        }
        for t in [
            Tables::GoodPracticeExperts,
            Tables::GoodPracticeDocuments,
            Tables::GoodPractices,
            Tables::Experts,
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
    Experts,
    GoodPractices,
    GoodPracticeDocuments,
    GoodPracticeExperts,
    States,
    MeetingDocuments,
    Id,
    Code,
    FullName,
    Gender,
    NationalityCode,
    Organization,
    Areas,
    AssistanceTypes,
    Languages,
    Regions,
    YearsOfExperience,
    Biography,
    AvailableFrom,
    AvailableUntil,
    Email,
    Phone,
    ConsentGivenOn,
    Active,
    CreatedAt,
    UpdatedAt,
    Title,
    Area,
    StateCode,
    Summary,
    PracticeId,
    DocumentId,
    ExpertId,
}
