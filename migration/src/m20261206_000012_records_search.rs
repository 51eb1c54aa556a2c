//! Full-text search over meetings' documents and decisions, with each database's own
//! engine: PostgreSQL `tsvector` columns generated from the rows, with GIN indexes; SQLite an
//! FTS5 table kept by triggers. Symbols, titles and references weigh more than body text.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE meeting_documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(symbol, '')), 'A') ||
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', coalesce(text, '')), 'C')) STORED",
    "CREATE INDEX idx_meeting_documents_search ON meeting_documents USING GIN (search)",
    "ALTER TABLE decisions ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', reference), 'A') ||
        setweight(to_tsvector('simple', text), 'B')) STORED",
    "CREATE INDEX idx_decisions_search ON decisions USING GIN (search)",
];

const POSTGRES_DOWN: &[&str] = &[
    "ALTER TABLE decisions DROP COLUMN search",
    "ALTER TABLE meeting_documents DROP COLUMN search",
];

/// `kind` is D (document) or R (decision, a record of the meeting); `id` the row's ID as
/// text; `access` and `language` filter; `heading` (symbol and title, or reference) and
/// `body` are searched.
///
/// The update triggers fire on the searched columns only. One that fired on any update
/// ran with every cascade from a State's code, and an update of a State met a locked
/// database with an immediate `SQLITE_BUSY` rather than waiting its turn.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE records_fts USING fts5(
        kind UNINDEXED, id UNINDEXED, access UNINDEXED, language UNINDEXED, heading, body,
        tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER meeting_documents_fts_insert AFTER INSERT ON meeting_documents BEGIN
        INSERT INTO records_fts (kind, id, access, language, heading, body)
        VALUES ('D', new.id, new.access, new.language,
                coalesce(new.symbol, '') || ' ' || new.title, coalesce(new.text, ''));
     END",
    "CREATE TRIGGER meeting_documents_fts_update
        AFTER UPDATE OF symbol, title, text, access, language ON meeting_documents BEGIN
        DELETE FROM records_fts WHERE kind = 'D' AND id = old.id;
        INSERT INTO records_fts (kind, id, access, language, heading, body)
        VALUES ('D', new.id, new.access, new.language,
                coalesce(new.symbol, '') || ' ' || new.title, coalesce(new.text, ''));
     END",
    "CREATE TRIGGER meeting_documents_fts_delete AFTER DELETE ON meeting_documents BEGIN
        DELETE FROM records_fts WHERE kind = 'D' AND id = old.id;
     END",
    "CREATE TRIGGER decisions_fts_insert AFTER INSERT ON decisions BEGIN
        INSERT INTO records_fts (kind, id, access, language, heading, body)
        VALUES ('R', new.id, new.access, NULL, new.reference, new.text);
     END",
    "CREATE TRIGGER decisions_fts_update AFTER UPDATE OF reference, text, access ON decisions BEGIN
        DELETE FROM records_fts WHERE kind = 'R' AND id = old.id;
        INSERT INTO records_fts (kind, id, access, language, heading, body)
        VALUES ('R', new.id, new.access, NULL, new.reference, new.text);
     END",
    "CREATE TRIGGER decisions_fts_delete AFTER DELETE ON decisions BEGIN
        DELETE FROM records_fts WHERE kind = 'R' AND id = old.id;
     END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER decisions_fts_delete",
    "DROP TRIGGER decisions_fts_update",
    "DROP TRIGGER decisions_fts_insert",
    "DROP TRIGGER meeting_documents_fts_delete",
    "DROP TRIGGER meeting_documents_fts_update",
    "DROP TRIGGER meeting_documents_fts_insert",
    "DROP TABLE records_fts",
];

async fn run(manager: &SchemaManager<'_>, postgres: &[&str], sqlite: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DatabaseBackend::Postgres => postgres,
        DatabaseBackend::Sqlite => sqlite,
        other => {
            return Err(DbErr::Migration(format!(
                "no full-text search for {other:?}"
            )));
        }
    };
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_UP, SQLITE_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, POSTGRES_DOWN, SQLITE_DOWN).await
    }
}
