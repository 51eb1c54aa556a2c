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
pub use invoices::{NewInvoices, issue_invoices};
pub use lines::{NewActivity, NewExpenditure, NewLine, add_activity, add_line, record_expenditure};
pub use views::{
    LineView, WorkplanView, activities_by_ids, activity_by_id, line_by_id, lines_by_ids,
    workplan_by_id, workplan_of_year, workplans_by_ids,
};
pub use workplans::{
    NewWorkplan, Transition, admin_only, can_transition, create_workplan, transition, workplan_json,
};

use entity::enums::UserRole;

use crate::auth::Viewer;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::{self, Money, from_cents, to_cents};

const ISU: [UserRole; 2] = [UserRole::IsuAdmin, UserRole::IsuStaff];
/// Longest title or description.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest output, indicator, target or note.
pub const MAX_TEXT: usize = 10_000;
/// Years a workplan or invoice may be for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2010..=2100;

fn refused(code: Code, field: &[&str], message: impl Into<String>) -> ServiceError {
    ServiceError::refused(code, field, message)
}

fn check_year(year: i32, field: &[&str]) -> Result<(), ServiceError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(refused(
            Code::InvalidInput,
            field,
            format!("Give a year from {} to {}.", YEARS.start(), YEARS.end()),
        ))
    }
}

fn check_text(r: &mut Refusals, text: &str, max: usize, field: &[&str], what: &str) {
    if text.trim().is_empty() || text.chars().count() > max {
        r.push(
            Code::InvalidInput,
            field,
            format!("Give {what} of 1 to {max} characters."),
        );
    }
}

fn check_optional(r: &mut Refusals, text: Option<&str>, max: usize, field: &[&str]) {
    if text.is_some_and(|t| t.chars().count() > max) {
        r.push(
            Code::InvalidInput,
            field,
            format!("At most {max} characters."),
        );
    }
}

fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A positive amount in `currency`, as cents.
fn checked_amount(m: &Money, currency: &str, field: &[&str], r: &mut Refusals) -> Option<i64> {
    if let Err(msg) = money::check(m, false) {
        r.push(Code::InvalidInput, field, msg);
        return None;
    }
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
    let cents = to_cents(m.amount);
    if cents.is_none() {
        r.push(Code::InvalidInput, field, "The amount is too large.");
    }
    cents
}

fn money_text(cents: i64, currency: &str) -> String {
    format!("{} {currency}", from_cents(cents))
}

/// Workplans and financial figures are for logged-in users: the ISU, coordinators (read
/// only) and the delegations of the States parties that adopt and fund them.
fn require_reader(viewer: &Viewer) -> Result<(), ServiceError> {
    viewer.require().map(|_| ())
}
