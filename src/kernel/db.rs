//! The connection pool. sea-orm sets no timeouts by default; every one is set here.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

use crate::kernel::config::Settings;

/// True for SQLite databases that live in memory: every pooled connection would open a
/// different, empty database, so such a pool must hold exactly one connection.
pub fn is_in_memory_sqlite(url: &str) -> bool {
    url.starts_with("sqlite") && (url.contains(":memory:") || url.contains("mode=memory"))
}

/// The pool's size: as configured, but one for an in-memory SQLite database.
pub fn max_connections(settings: &Settings) -> u32 {
    if is_in_memory_sqlite(settings.database_url.expose()) {
        1
    } else {
        settings.db_max_connections.max(1)
    }
}

pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    let url = settings.database_url.expose();
    let mut opts = ConnectOptions::new(url.to_owned());
    let max = max_connections(settings);
    opts.max_connections(max)
        .min_connections(if is_in_memory_sqlite(url) { 1 } else { 0 })
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(settings.db_acquire_timeout_secs))
        .idle_timeout(if is_in_memory_sqlite(url) {
            // Closing the only connection would drop the whole database.
            Duration::from_secs(u32::MAX.into())
        } else {
            Duration::from_secs(600)
        })
        .max_lifetime(if is_in_memory_sqlite(url) {
            Duration::from_secs(u32::MAX.into())
        } else {
            Duration::from_secs(1800)
        })
        .sqlx_logging(false);
    // A statement ends half a second before the request that runs it would time out, so
    // PostgreSQL cancels it and the request answers a coded error rather than a bare 408.
    let statement_timeout = format!(
        "{}ms",
        (settings.request_timeout_secs.max(1) * 1000)
            .saturating_sub(500)
            .max(500)
    );
    opts.map_sqlx_postgres_opts(move |o| {
        o.options([("statement_timeout", statement_timeout.as_str())])
    });
    Database::connect(opts).await
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), waiting up to the busy timeout for another writer to finish: a deferred
/// transaction that reads and then writes is refused at once ("database is locked") when
/// another connection wrote in between, because SQLite cannot move a stale read snapshot
/// forward into a write. PostgreSQL ignores the mode.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

#[cfg(test)]
mod tests {
    use super::is_in_memory_sqlite;

    #[test]
    fn recognises_in_memory_sqlite_urls() {
        assert!(is_in_memory_sqlite("sqlite::memory:"));
        assert!(is_in_memory_sqlite(
            "sqlite://file?mode=memory&cache=shared"
        ));
        assert!(!is_in_memory_sqlite("sqlite://ccm-isu.db?mode=rwc"));
        assert!(!is_in_memory_sqlite("postgres://postgres@localhost/x"));
    }
}
