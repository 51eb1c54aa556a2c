//! The audit log: the Convention's institutional memory of who changed what, when.
//!
//! Every mutation that changes data runs in a [`crate::kernel::uow::Uow`], which writes the
//! entry in the transaction that makes the change, so the entry and the change commit or roll
//! back together, and a refused mutation (which writes nothing) leaves no entry. Each domain
//! says how its rows appear here by implementing [`crate::kernel::uow::Audited`].

pub mod service;
