//! The audit log: the Convention's institutional memory of who changed what, when.
//!
//! Every mutation that changes data runs in a [`crate::kernel::uow::Uow`], which writes the
//! entry in the transaction that makes the change, so the entry and the change commit or roll
//! back together, and a refused mutation (which writes nothing) leaves no entry, nor does an
//! update that changes nothing ([`crate::kernel::uow::unchanged`]). Each domain says how its
//! rows appear here by implementing [`crate::kernel::uow::Audited`]; an entry keeps the fields
//! that changed, long values cut to their length and digest ([`crate::kernel::audit_json`]).

pub mod service;
