//! Who reads an expert, and an expert's contact details: the one rule of each, applied by
//! every read of this domain (by ID and `node`, in lists and their counts, nested under good
//! practices, in suggestions, in the roster's export). The API never decides this itself.
//!
//! - An expert: ISU staff (ISU_STAFF, ISU_ADMIN) read every one; any other signed-in user
//!   (delegations, coordinators) the active ones, whom the ISU lists; anonymous callers none.
//! - An expert's `email` and `phone`: ISU staff only, everywhere.
//!
//! A good practice: every signed-in user; its documents by the records' own rule.

use entity::expert;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition};

use crate::auth::Viewer;

/// The condition on the experts table that keeps what `viewer` may read.
pub fn readable(viewer: &Viewer) -> Condition {
    if viewer.is_isu() {
        Condition::all()
    } else if viewer.principal().is_some() {
        Condition::all().add(expert::Column::Active.eq(true))
    } else {
        Condition::all().add(Expr::cust("1 = 0"))
    }
}

/// Whether `viewer` may read `row` (already held).
pub fn may_read(viewer: &Viewer, row: &expert::Model) -> bool {
    viewer.is_isu() || (viewer.principal().is_some() && row.active)
}

/// Whether `viewer` reads experts' email and phone: ISU staff only.
pub fn may_read_contact(viewer: &Viewer) -> bool {
    viewer.is_isu()
}

/// Whether `viewer` reads good practices: every signed-in user.
pub fn may_read_practices(viewer: &Viewer) -> bool {
    viewer.principal().is_some()
}
