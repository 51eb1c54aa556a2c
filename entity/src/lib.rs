//! Database models of ccm-isu, one module per table.
//!
//! These are rows, not API types: nothing here derives GraphQL, so a column such as
//! `users.password_hash` can never reach the schema by accident. Enumerations are stored
//! as strings so that the same migrations run on SQLite and PostgreSQL.

pub mod action_indicator;
pub mod action_plan;
pub mod action_plan_year;
pub mod app_setting;
pub mod assistance_need;
pub mod assistance_offer;
pub mod audit_entry;
pub mod auth_throttle;
pub mod blob_chunk;
pub mod budget_line;
pub mod contact_point;
pub mod deadline_extension;
pub mod decision;
pub mod decision_update;
pub mod enums;
pub mod exchange_rate;
pub mod expenditure;
pub mod expert;
pub mod extension_request;
pub mod extension_request_document;
pub mod extension_request_element;
pub mod extension_request_question;
pub mod good_practice;
pub mod good_practice_document;
pub mod good_practice_expert;
pub mod idempotency_key;
pub mod imported_completion;
pub mod indicator_value;
pub mod invoice;
pub mod match_proposal;
pub mod meeting;
pub mod meeting_document;
pub mod notification;
pub mod payment;
pub mod plan_action;
pub mod records_begin;
pub mod refresh_token;
pub mod sponsorship_application;
pub mod state;
pub mod transparency_report;
pub mod user;
pub mod workplan;
pub mod workplan_activity;
