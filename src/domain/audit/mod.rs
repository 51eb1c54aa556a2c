//! The audit log: the Convention's institutional memory of who changed what, when.
//!
//! Every mutation that changes data calls [`crate::kernel::uow::record`] on the transaction that
//! makes the change, so the entry and the change commit or roll back together, and a
//! refused mutation (which writes nothing) leaves no entry.

pub mod service;
