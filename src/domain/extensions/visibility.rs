//! Who reads an extension request: the one rule of this domain, applied by every read (by ID
//! and `node`, the list and its count, under a State and a meeting, in milestones, the
//! export, the reports). The API never decides this itself.
//!
//! - A DRAFT: ISU staff (ISU_STAFF, ISU_ADMIN) and the delegation of the requesting State,
//!   who prepare it together.
//! - SUBMITTED and later (UNDER_ANALYSIS, DECIDED, and WITHDRAWN once submitted): every
//!   signed-in user, for requests are published to the States parties. A request withdrawn
//!   while still a draft stays with those who drafted it.
//! - Anonymous callers: none.
//!
//! A request's elements, questions and answers are read by whoever reads the request; its
//! documents by the records' own rule as well.

use entity::extension_request::{self, Column};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition};

use crate::auth::Viewer;

/// The condition on the requests table that keeps what `viewer` may read.
pub fn readable(viewer: &Viewer) -> Condition {
    let Some(p) = viewer.principal() else {
        return Condition::all().add(Expr::cust("1 = 0"));
    };
    if viewer.is_isu() {
        return Condition::all();
    }
    let published = Condition::all().add(Column::SubmittedOn.is_not_null());
    match (&p.role, &p.state_code) {
        (entity::enums::UserRole::Delegation, Some(code)) => Condition::any()
            .add(published)
            .add(Column::StateCode.eq(code.clone())),
        _ => published,
    }
}

/// Whether `viewer` may read `row` (already held): the same rule as [`readable`].
pub fn may_read(viewer: &Viewer, row: &extension_request::Model) -> bool {
    viewer.principal().is_some() && (published(row) || viewer.acts_for(&row.state_code))
}

/// Submitted once (`submitted_on` is set by submission and only by it): read by every
/// signed-in user from then on, whatever happens next.
pub fn published(row: &extension_request::Model) -> bool {
    row.submitted_on.is_some()
}
