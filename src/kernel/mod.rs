//! The toolkit at the bottom: knows no domain.

pub mod audit_json;
pub mod blobs;
pub mod charts;
pub mod clock;
pub mod config;
pub mod csv_lines;
pub mod db;
pub mod email;
pub mod error;
pub mod extract;
pub mod figures;
pub mod idempotency;
pub mod ids;
pub mod money;
pub mod pagination;
pub mod stamps;
pub mod telemetry;
pub mod typeset;
pub mod uow;
pub mod validate;
pub mod vocabulary;
