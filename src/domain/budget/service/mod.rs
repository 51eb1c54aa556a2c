//! Workplans, budget lines, expenditure, invoices and payments over the database. No
//! GraphQL types here.
//!
//! Every amount is integer cents of the ISU's accounting currency; shares are computed in
//! `Decimal` by [`crate::rules::sharing`]. Two invariants are kept by conditional updates, so
//! they hold under concurrent requests: a line's spent amount never passes its budget,
//! and an invoice's received amount never passes its amount.
//!
//! The parts, one file each:
//! - `views`: a workplan with its activities and lines, a line with its activity and
//!   currency; by ID and in batches, for the readers and the loaders.
//! - `workplans`: the lifecycle, creating a workplan and moving it a step.
//! - `lines`: a DRAFT's activities and budget lines, and expenditure against an APPROVED
//!   plan's lines (the no-overspent-line invariant).
//! - `contributions`: the financial status of a year (contributions, the reserve) and
//!   payments (the no-over-paid-invoice invariant).
//! - `invoices`: issuing a year's invoices by the scale, and reissuing them until paid.
//! - `exports`: what the CSV exports read, for ISU staff.

mod contributions;
mod exports;
mod invoices;
mod lines;
mod views;
mod workplans;

pub use contributions::{
    Contribution, FinancialStatus, NewPayment, financial_status, record_payment,
};
pub use exports::{export_contributions, export_workplan};
pub use invoices::{NewInvoices, issue_invoices, issue_invoices_by};
pub use lines::{NewActivity, NewExpenditure, NewLine, add_activity, add_line, record_expenditure};
pub use views::{
    LineView, WorkplanView, activities_by_ids, activities_of_years, activity_by_id, line_by_id,
    lines_by_ids, workplan_by_id, workplan_of_year, workplans_by_ids,
};
pub use workplans::{
    NewWorkplan, Transition, admin_only, can_transition, create_workplan, transition,
    transition_by, workplan_json,
};

use entity::enums::UserRole;

use crate::auth::Viewer;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::{Money, from_cents};
use crate::kernel::validate;

const ISU: [UserRole; 2] = [UserRole::IsuAdmin, UserRole::IsuStaff];
fn refused(code: Code, field: &[&str], message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, field, message)
}

use crate::kernel::validate::trimmed;

/// A positive amount in `currency`, as cents.
fn checked_amount(m: &Money, currency: &str, field: &[&str], r: &mut Refusals) -> Option<i64> {
    let cents = validate::amount(r, field, m, false)?;
    if m.currency != currency {
        let mut f: Vec<&str> = field.to_vec();
        f.push("currency");
        r.push(
            Code::InvalidInput,
            &f,
            format!("The ISU keeps these accounts in {currency}."),
        );
        return None;
    }
    Some(cents)
}

fn money_text(cents: i64, currency: &str) -> String {
    format!("{} {currency}", from_cents(cents))
}

/// Workplans and financial figures are for logged-in users: the ISU, coordinators (read
/// only) and the delegations of the States parties that adopt and fund them.
fn require_reader(viewer: &Viewer) -> Result<(), ServiceError> {
    viewer.require().map(|_| ())
}
