//! Reminders and notifications: contact points, the reminder policy, the outbox's
//! notifications and a user's in-app notices.

pub mod mutation;
pub mod query;
pub mod types;
