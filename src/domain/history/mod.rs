//! The history before the system (docs/domain.md §3, "Not recorded", and §9): reports
//! submitted, extensions granted and completions declared before the ISU used it, and from
//! when each State's records are complete. Depends on `states` and `reports`.
//!
//! - [`file`](mod@file): the CSV format, parsed and checked line by line (pure).
//! - [`import`]: the checks against what is recorded, and the one transaction that writes
//!   a file; the shipped `data/history.csv`.

pub mod file;
pub mod import;
