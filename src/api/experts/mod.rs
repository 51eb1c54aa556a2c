//! The resource base of technical expertise and good practice: experts (`types`, `query`,
//! `mutation`), good practices (`practices`) and expert suggestions for needs
//! (`suggestions`, resolved under `AssistanceNeed`). Thin wrappers over
//! `domain::experts`, which applies who reads what.

pub mod mutation;
pub mod practices;
pub mod query;
pub mod suggestions;
pub mod types;
