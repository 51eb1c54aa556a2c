//! Who reads a contact point (its email included) and a notification: the one rule of each,
//! applied by every read of this domain (by ID and `node`, in lists and their counts, nested
//! under States, in loaders). The API never decides this itself; it asks these functions.
//!
//! - A contact point, and so its email: ISU staff (ISU_STAFF, ISU_ADMIN) and the delegation
//!   of its State. Nobody else reads a contact point at all, so an email never reaches
//!   another State's delegation, a coordinator or an anonymous caller.
//! - A notification: ISU staff, every one. A user, the in-app notices addressed to them. A
//!   delegation, besides, the emails written to its own State's contact points (their
//!   address is its contact point's). Nobody reads another user's in-app notices but ISU
//!   staff, and nobody but ISU staff the copies sent to the ISU's own address.
//!
//! Each rule is a SQL condition, so that pages and counts filter in the database; the
//! contact points' rule is also a predicate, for a row already held.

use entity::enums::{NotificationChannel, UserRole};
use entity::{contact_point, notification};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition};

use crate::auth::Viewer;

/// A condition no row meets.
fn none() -> Condition {
    Condition::all().add(Expr::cust("1 = 0"))
}

/// The State whose delegation the viewer is, if it is one.
fn delegation_of(viewer: &Viewer) -> Option<&str> {
    viewer
        .principal()
        .filter(|p| p.role == UserRole::Delegation)
        .and_then(|p| p.state_code.as_deref())
}

/// Whether `viewer` reads the contact points of the State `state_code`, and their emails:
/// ISU staff and that State's delegation.
pub fn may_read_contacts(viewer: &Viewer, state_code: &str) -> bool {
    viewer.acts_for(state_code)
}

/// Whether `viewer` reads the email of `contact`: the rule of [`may_read_contacts`].
pub fn may_read_email(viewer: &Viewer, contact: &contact_point::Model) -> bool {
    may_read_contacts(viewer, &contact.state_code)
}

/// The contact points `viewer` reads, as a condition on `contact_points`: the same set as
/// [`may_read_contacts`].
pub fn contacts(viewer: &Viewer) -> Condition {
    if viewer.is_isu() {
        return Condition::all();
    }
    match delegation_of(viewer) {
        Some(code) => Condition::all().add(contact_point::Column::StateCode.eq(code)),
        None => none(),
    }
}

/// The notifications `viewer` reads, as a condition on `notifications`: ISU staff all; a
/// user the in-app notices addressed to them; a delegation also the emails to its State's
/// contact points.
pub fn notifications(viewer: &Viewer) -> Condition {
    if viewer.is_isu() {
        return Condition::all();
    }
    let Some(me) = viewer.principal() else {
        return none();
    };
    let own = Condition::all()
        .add(notification::Column::Channel.eq(NotificationChannel::InApp))
        .add(notification::Column::RecipientUserId.eq(me.user_id));
    let mut rule = Condition::any().add(own);
    if let Some(code) = delegation_of(viewer) {
        let its_contacts = Query::select()
            .column(contact_point::Column::Id)
            .from(contact_point::Entity)
            .and_where(contact_point::Column::StateCode.eq(code))
            .to_owned();
        rule = rule.add(
            Condition::all()
                .add(notification::Column::Channel.eq(NotificationChannel::Email))
                .add(notification::Column::ContactPointId.in_subquery(its_contacts)),
        );
    }
    rule
}
