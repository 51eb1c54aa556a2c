//! Who reads a meeting's document or decision: PUBLIC ones everyone; RESTRICTED ones the ISU
//! (staff and administrators) only. Every path (lists, `node`, counts, search, downloads,
//! exports) applies [`readable`] to its query, or [`may_read`] to a row it holds.

use entity::enums::Access;
use sea_orm::{ColumnTrait, Condition};

use crate::auth::Viewer;

/// The condition on an `access` column that keeps what `viewer` may read.
pub fn readable(viewer: &Viewer, access: impl ColumnTrait) -> Condition {
    if viewer.is_isu() {
        Condition::all()
    } else {
        Condition::all().add(access.eq(Access::Public))
    }
}

/// Whether `viewer` may read a row with `access`.
pub fn may_read(viewer: &Viewer, access: Access) -> bool {
    access == Access::Public || viewer.is_isu()
}
