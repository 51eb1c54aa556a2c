//! One integration binary: every test starts the real server on a random port, with a fresh
//! database (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set), and talks HTTP.
//!
//! Tests may panic on what they did not expect: that is how they fail.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod helpers;

mod action_plan_export;
mod action_plan_import;
mod action_plans;
mod audit;
mod auth;
mod batching;
mod blobs;
mod browser;
mod budget;
mod caches;
mod charts;
mod cli;
mod cluster;
mod connections;
mod contract;
mod cooperation;
mod credentials;
mod deadlines;
mod document_files;
mod expert_suggestions;
mod experts;
mod exposure;
mod extensions;
mod good_practices;
mod history;
mod http;
mod http_semantics;
mod idempotency;
mod limits;
mod mail;
mod management_reports;
mod meeting_records;
mod money_inputs;
mod nodes;
mod notifications;
mod observability;
mod query_cost;
mod records_search;
mod reminders;
mod reports;
mod resilience;
mod scale_out;
mod schema;
mod seed;
mod sessions;
mod smtp_server;
mod sponsorship;
mod states;
mod strict_inputs;
mod throttle;
mod visibility;
mod writes;
