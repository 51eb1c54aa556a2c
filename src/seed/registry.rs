//! Loading the States registry from the command line.

use sea_orm::DatabaseConnection;

use crate::domain::states::registry::{self, LoadReport};
use crate::kernel::error::ServiceError;

/// Loads (or reloads and updates) the registry from the embedded `data/states.csv`, or from
/// another file in the same format.
pub async fn states(
    db: &DatabaseConnection,
    csv_text: Option<&str>,
) -> Result<LoadReport, ServiceError> {
    let rows = registry::parse(csv_text.unwrap_or(registry::EMBEDDED_CSV))
        .map_err(ServiceError::Internal)?;
    registry::load(db, &rows).await
}
