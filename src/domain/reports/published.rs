//! The published reports as a server keeps them between requests: every column but the
//! sections ([`super::service::SECTIONS_NOT_READ`]), by State, newest first. Read in one
//! statement when the `published_reports` stamp moves (a report published, or a published
//! report changed or deleted, through the services or not: see [`crate::kernel::stamps`]),
//! and otherwise served from memory, so that a State's public page of reports costs no
//! statement. Published reports are public: what is kept here is what anybody may read.

use std::collections::HashMap;
use std::sync::Arc;

use entity::enums::ReportStatus;
use entity::transparency_report;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, QueryFilter, QueryOrder};

use super::service::listed;
use crate::kernel::error::ServiceError;
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::stamps::{RequestStamps, Stamped};

/// The name of the published reports' counter in `cache_stamps`.
pub const STAMP: &str = "published_reports";

/// The published reports as read under one stamp, by State code, newest (greatest ID) first.
#[derive(Debug, Default)]
pub struct Published(HashMap<String, Vec<transparency_report::Model>>);

impl Published {
    /// Reads every published report, without its sections (one statement).
    pub async fn load(db: &DatabaseConnection) -> Result<Self, DbErr> {
        use transparency_report::Column as C;
        let rows = listed()
            .filter(C::Status.eq(ReportStatus::Published))
            .order_by_desc(C::Id)
            .all(db)
            .await?;
        let mut by_state: HashMap<String, Vec<transparency_report::Model>> = HashMap::new();
        for r in rows {
            by_state.entry(r.state_code.clone()).or_default().push(r);
        }
        // The order pages are cut in, whatever order the database compared IDs in.
        for reports in by_state.values_mut() {
            reports.sort_unstable_by_key(|r| std::cmp::Reverse(r.id));
        }
        Ok(Self(by_state))
    }

    /// A State's published reports, newest first.
    pub fn of(&self, code: &str) -> &[transparency_report::Model] {
        self.0.get(code).map(Vec::as_slice).unwrap_or_default()
    }

    /// One page of a State's published reports, newest first: what
    /// [`super::service::for_states`] answers a viewer who may read only those.
    pub fn page_of(
        &self,
        code: &str,
        page: &PageRequest,
    ) -> Result<Page<transparency_report::Model>, ServiceError> {
        let after = page.after_id()?;
        Ok(pagination::slice(
            self.of(code),
            |r| &r.id,
            Direction::Descending,
            after.as_ref(),
            page.limit,
        )
        .map(Clone::clone))
    }
}

/// The published reports a server holds, under the stamp they were read under. One per
/// server.
#[derive(Default)]
pub struct PublishedCache(Stamped<Published>);

impl PublishedCache {
    /// The published reports as of the request's reading of the stamps: from memory when
    /// nothing changed since they were read, else read again.
    pub async fn get(
        &self,
        db: &DatabaseConnection,
        stamps: &RequestStamps,
    ) -> Result<Arc<Published>, DbErr> {
        self.0
            .get_named(db, stamps, STAMP, Published::load(db))
            .await
    }
}
