//! What the CSV exports read: for ISU staff only.

use sea_orm::DatabaseConnection;

use super::{FinancialStatus, ISU, WorkplanView, financial_status, workplan_of_year};
use crate::auth::Viewer;
use crate::domain::budget::BudgetConfig;
use crate::kernel::error::ServiceError;

/// Lines of the workplan of `year` with their activities, for the CSV export. ISU staff.
pub async fn export_workplan(
    db: &DatabaseConnection,
    viewer: &Viewer,
    year: i32,
) -> Result<Option<WorkplanView>, ServiceError> {
    viewer.require_role(&ISU)?;
    workplan_of_year(db, viewer, year).await
}

/// The contributions of `year`, for the CSV export. ISU staff.
pub async fn export_contributions(
    db: &DatabaseConnection,
    cfg: &BudgetConfig,
    viewer: &Viewer,
    year: i32,
) -> Result<FinancialStatus, ServiceError> {
    viewer.require_role(&ISU)?;
    financial_status(db, cfg, viewer, year).await
}
