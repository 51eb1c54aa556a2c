//! The registry as a server keeps it between requests: every State, the facts of its
//! submitted and published reports, its extensions and where its records begin, which is all
//! its obligations are computed from. Read in five statements when the `registry` stamp
//! moves (a State, a report's status or submission, an extension, a records start changed:
//! see [`crate::kernel::stamps`]), and otherwise served from memory, so that a delegation's
//! deadlines or a State's profile cost no statement for the registry. A few hundred rows:
//! 125 States and about ten reports each.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use entity::{deadline_extension, state};
use sea_orm::{DatabaseConnection, DbErr};

use super::obligations::{extensions, report_facts};
use super::records::{self, StateRecords};
use crate::kernel::stamps::{RequestStamps, Stamped};
use crate::rules::obligations::ReportFact;

/// The name of the registry's counter in `cache_stamps`.
pub const STAMP: &str = "registry";

/// The registry as read under one stamp.
#[derive(Debug, Default)]
pub struct Registry {
    /// By code, in code order.
    states: BTreeMap<String, state::Model>,
    reports: HashMap<String, Vec<ReportFact>>,
    extensions: HashMap<String, Vec<deadline_extension::Model>>,
    records: HashMap<String, StateRecords>,
}

impl Registry {
    /// Reads the whole registry (five statements).
    pub async fn load(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let states: BTreeMap<String, state::Model> =
            super::service::all_by_code(db).await?.into_iter().collect();
        let codes: Vec<&str> = states.keys().map(String::as_str).collect();
        let records = records::of_states(db, &codes).await?;
        Ok(Self {
            reports: report_facts(db, None).await?,
            extensions: extensions(db, None).await?,
            records,
            states,
        })
    }

    /// The State of `code` (upper case), when the registry has it.
    pub fn state(&self, code: &str) -> Option<&state::Model> {
        self.states.get(code)
    }

    /// Every State, in code order.
    pub fn states(&self) -> impl Iterator<Item = &state::Model> {
        self.states.values()
    }

    /// The facts of a State's submitted and published reports.
    pub fn report_facts(&self, code: &str) -> &[ReportFact] {
        self.reports
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The extensions granted to a State, oldest deadline first.
    pub fn extensions(&self, code: &str) -> &[deadline_extension::Model] {
        self.extensions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Where a State's records begin.
    pub fn records(&self, code: &str) -> StateRecords {
        self.records.get(code).copied().unwrap_or_default()
    }
}

/// The registry a server holds, under the stamp it was read under. One per server.
#[derive(Default)]
pub struct RegistryCache(Stamped<Registry>);

impl RegistryCache {
    /// The registry as of the request's reading of the stamps: from memory when nothing
    /// changed since it was read, else read again.
    pub async fn get(
        &self,
        db: &DatabaseConnection,
        stamps: &RequestStamps,
    ) -> Result<Arc<Registry>, DbErr> {
        self.0
            .get_named(db, stamps, STAMP, Registry::load(db))
            .await
    }
}
