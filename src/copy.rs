//! `ccm-isu db copy`: moves a deployment from one database to another (the embedded
//! SQLite file to PostgreSQL, typically), and proves the copy by row counts and checksums.
//!
//! The target is migrated, must be empty, and is written in one transaction: a failed copy
//! leaves it empty. Tables are copied in the order of the migrations, which is the order of
//! their foreign keys. A table's checksum is the SHA-256 of its rows' values, each row
//! rendered the same way whatever the database, sorted; it is taken from the source and
//! from the target after the commit.

use std::fmt::Debug;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryOrder,
};
use sha2::{Digest, Sha256};

/// Rows per INSERT: well under PostgreSQL's 65 535 parameters for the widest table.
const CHUNK: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("the source has migrations to apply: run `ccm-isu migrate` on it first")]
    SourceNotMigrated,
    #[error("the target is not empty: table {0} has rows")]
    TargetNotEmpty(&'static str),
    #[error(
        "table {table}: {source_rows} rows and checksum {source_sum} in the source, {target_rows} and {target_sum} in the target"
    )]
    Mismatch {
        table: &'static str,
        source_rows: u64,
        target_rows: u64,
        source_sum: String,
        target_sum: String,
    },
}

/// One table, copied and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    pub rows: u64,
    /// Hex SHA-256, equal in source and target.
    pub checksum: String,
}

/// Copies every table of `from` into the empty `to`, then checks each one.
pub async fn copy(
    from: &DatabaseConnection,
    to: &DatabaseConnection,
) -> Result<Vec<TableCopy>, CopyError> {
    if !Migrator::get_pending_migrations(from).await?.is_empty() {
        return Err(CopyError::SourceNotMigrated);
    }
    Migrator::up(to, None).await?;
    macro_rules! each_table {
        ($f:ident, $($arg:expr),*) => {{
            use entity::*;
            vec![
                $f::<state::Entity>("states", $($arg),*).await?,
                $f::<user::Entity>("users", $($arg),*).await?,
                $f::<refresh_token::Entity>("refresh_tokens", $($arg),*).await?,
                $f::<auth_throttle::Entity>("auth_throttles", $($arg),*).await?,
                $f::<audit_entry::Entity>("audit_entries", $($arg),*).await?,
                $f::<app_setting::Entity>("app_settings", $($arg),*).await?,
                $f::<deadline_extension::Entity>("deadline_extensions", $($arg),*).await?,
                $f::<transparency_report::Entity>("transparency_reports", $($arg),*).await?,
                $f::<records_begin::Entity>("records_begin", $($arg),*).await?,
                $f::<imported_completion::Entity>("imported_completions", $($arg),*).await?,
                $f::<assistance_need::Entity>("assistance_needs", $($arg),*).await?,
                $f::<assistance_offer::Entity>("assistance_offers", $($arg),*).await?,
                $f::<match_proposal::Entity>("match_proposals", $($arg),*).await?,
                $f::<exchange_rate::Entity>("exchange_rates", $($arg),*).await?,
                $f::<meeting::Entity>("meetings", $($arg),*).await?,
                $f::<meeting_document::Entity>("meeting_documents", $($arg),*).await?,
                $f::<decision::Entity>("decisions", $($arg),*).await?,
                $f::<decision_update::Entity>("decision_updates", $($arg),*).await?,
                $f::<action_plan::Entity>("action_plans", $($arg),*).await?,
                $f::<action_plan_year::Entity>("action_plan_years", $($arg),*).await?,
                $f::<plan_action::Entity>("plan_actions", $($arg),*).await?,
                $f::<action_indicator::Entity>("action_indicators", $($arg),*).await?,
                $f::<indicator_value::Entity>("indicator_values", $($arg),*).await?,
                $f::<sponsorship_application::Entity>("sponsorship_applications", $($arg),*).await?,
                $f::<workplan::Entity>("workplans", $($arg),*).await?,
                $f::<workplan_activity::Entity>("workplan_activities", $($arg),*).await?,
                $f::<budget_line::Entity>("budget_lines", $($arg),*).await?,
                $f::<expenditure::Entity>("expenditures", $($arg),*).await?,
                $f::<invoice::Entity>("invoices", $($arg),*).await?,
                $f::<payment::Entity>("payments", $($arg),*).await?,
                $f::<idempotency_key::Entity>("idempotency_keys", $($arg),*).await?,
                $f::<contact_point::Entity>("contact_points", $($arg),*).await?,
                $f::<notification::Entity>("notifications", $($arg),*).await?,
                $f::<expert::Entity>("experts", $($arg),*).await?,
                $f::<good_practice::Entity>("good_practices", $($arg),*).await?,
                $f::<good_practice_document::Entity>("good_practice_documents", $($arg),*).await?,
                $f::<good_practice_expert::Entity>("good_practice_experts", $($arg),*).await?,
                $f::<extension_request::Entity>("extension_requests", $($arg),*).await?,
                $f::<extension_request_element::Entity>("extension_request_elements", $($arg),*).await?,
                $f::<extension_request_question::Entity>("extension_request_questions", $($arg),*).await?,
                $f::<extension_request_document::Entity>("extension_request_documents", $($arg),*).await?,
            ]
        }};
    }
    let _: Vec<()> = each_table!(ensure_empty, to);
    ensure_empty::<entity::blob_chunk::Entity>("blob_chunks", to).await?;
    let txn = crate::kernel::db::begin_write(to).await?;
    let mut copied: Vec<TableCopy> = each_table!(copy_table, from, &txn);
    copied.push(blob_chunks(from, Some(&txn)).await?);
    txn.commit().await?;
    let mut checked: Vec<TableCopy> = each_table!(summarize, to);
    checked.push(blob_chunks(to, None).await?);
    for (s, t) in copied.iter().zip(&checked) {
        if s != t {
            return Err(CopyError::Mismatch {
                table: s.table,
                source_rows: s.rows,
                target_rows: t.rows,
                source_sum: s.checksum.clone(),
                target_sum: t.checksum.clone(),
            });
        }
    }
    Ok(copied)
}

/// Files' pieces, a page at a time in key order (never every file in memory): counted,
/// hashed, and copied to `to` when given.
async fn blob_chunks(
    from: &DatabaseConnection,
    to: Option<&DatabaseTransaction>,
) -> Result<TableCopy, CopyError> {
    use entity::blob_chunk::{Column, Entity};
    let mut pages = Entity::find()
        .order_by_asc(Column::Key)
        .order_by_asc(Column::Seq)
        .paginate(from, 16);
    let (mut rows, mut h) = (0u64, Sha256::new());
    while let Some(page) = pages.fetch_and_next().await? {
        for r in &page {
            h.update(r.key.as_bytes());
            h.update(r.seq.to_be_bytes());
            h.update((r.data.len() as u64).to_be_bytes());
            h.update(&r.data);
        }
        rows += page.len() as u64;
        if let Some(to) = to
            && !page.is_empty()
        {
            Entity::insert_many(page.into_iter().map(IntoActiveModel::into_active_model))
                .exec_without_returning(to)
                .await?;
        }
    }
    Ok(TableCopy {
        table: "blob_chunks",
        rows,
        checksum: h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    })
}

async fn ensure_empty<E: EntityTrait>(
    table: &'static str,
    to: &DatabaseConnection,
) -> Result<(), CopyError>
where
    E::Model: Sync,
{
    if E::find().count(to).await? > 0 {
        return Err(CopyError::TargetNotEmpty(table));
    }
    Ok(())
}

/// The count and checksum of rows read back in their Rust types, so that both databases
/// render a value alike.
fn summary<M: Debug>(table: &'static str, rows: &[M]) -> TableCopy {
    let mut lines: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
    lines.sort_unstable();
    let mut h = Sha256::new();
    for l in &lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    TableCopy {
        table,
        rows: rows.len() as u64,
        checksum: h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
    }
}

async fn summarize<E: EntityTrait>(
    table: &'static str,
    db: &DatabaseConnection,
) -> Result<TableCopy, CopyError>
where
    E::Model: Debug,
{
    Ok(summary(table, &E::find().all(db).await?))
}

async fn copy_table<E>(
    table: &'static str,
    from: &DatabaseConnection,
    to: &impl ConnectionTrait,
) -> Result<TableCopy, CopyError>
where
    E: EntityTrait,
    E::Model: Debug + Clone + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    // In key order: rows that point at an earlier row of their own table (an extension
    // request's `previous`, keys being time-ordered) come after it, whatever the batches.
    let rows = E::find().order_by_id_asc().all(from).await?;
    for chunk in rows.chunks(CHUNK) {
        E::insert_many(
            chunk
                .iter()
                .cloned()
                .map(IntoActiveModel::into_active_model),
        )
        .exec_without_returning(to)
        .await?;
    }
    Ok(summary(table, &rows))
}
