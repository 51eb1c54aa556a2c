//! Extension requests (docs/domain.md §3a): a State that cannot destroy its stockpiles
//! (Article 3) or clear its land (Article 4) by its deadline asks a Meeting of States Parties
//! or Review Conference for more time. This domain keeps the request from the first draft to
//! the meeting's decision, and says, years ahead, who will have to ask and by when.
//!
//! - [`visibility`]: who reads a request, the one rule every path applies.
//! - [`service`]: the reads, and what the writes share (the row for a write, its elements,
//!   its `submitBy`, its audit JSON).
//! - [`lifecycle`]: open, update, submit, withdraw: the State's delegation and ISU staff.
//! - [`analysis`]: the analysis group's questions (ISU staff), the State's answers, and the
//!   meeting's decision (ISU staff), whose grant is a deadline extension written in the same
//!   unit of work.
//! - [`milestones`]: every open Article 3 and 4 deadline ahead, the meeting that would have
//!   to extend it and the last day to ask, with the request under way.
//!
//! The dates and the elements are the pure rules of
//! [`crate::rules::obligations::milestones`].

pub mod analysis;
pub mod lifecycle;
pub mod milestones;
pub mod service;
pub mod visibility;
