//! Needs, offers, matching and allocation over the database. No GraphQL types here.
//!
//! The parts, one file each:
//! - `reads`: needs and offers by ID, by report, by State and in filtered pages, as the
//!   viewer may see them.
//! - `needs`: declaring a need and withdrawing it.
//! - `offers`: making an offer and withdrawing it.
//! - `matches`: the matching context (States, rates, deadlines), the ranked matches each
//!   way, and the allocation over needs and offers with amounts.

mod matches;
mod needs;
mod offers;
mod reads;

pub use matches::{
    AllocationFilter, AllocationResult, Assigned, MatchContext, OffersForNeeds, allocation,
    matches_for_offers, provider_name,
};
pub use needs::{NewNeed, create_need, need_json, withdraw_need};
pub use offers::{NewOffer, create_offer, offer_json, withdraw_offer};
pub use reads::{
    NeedFilter, OfferFilter, get_need, get_needs, get_offer, get_offers, list_needs, list_offers,
    needs_of_reports, needs_of_states, offers_of_states,
};

use chrono::NaiveDate;

use super::rates::Rates;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::money::Money;
use crate::kernel::validate::{self, LONG_TEXT, Lines, SHORT_TEXT};

/// A money input checked for cooperation: as `validate::amount` wants it, > 0, and a rate on
/// `today`. Returns cents and the currency.
fn checked_amount(
    m: &Money,
    rates: &Rates,
    today: NaiveDate,
    field: &[&str],
    r: &mut Refusals,
) -> Option<(i64, String)> {
    let cents = validate::amount(r, field, m, false)?;
    if rates.rate_on(&m.currency, today).is_none() {
        r.push(
            Code::InvalidInput,
            field,
            format!(
                "No exchange rate for {} is valid on {today}: ask an ISU administrator to set one.",
                m.currency
            ),
        );
        return None;
    }
    Some((cents, m.currency.clone()))
}

/// A need's or an offer's title and description.
fn check_text(r: &mut Refusals, title: &str, description: Option<&str>) {
    validate::required(r, &["input", "title"], title, SHORT_TEXT, Lines::One);
    validate::optional(
        r,
        &["input", "description"],
        description,
        LONG_TEXT,
        Lines::Many,
    );
}

fn check_period(r: &mut Refusals, start: Option<NaiveDate>, end: Option<NaiveDate>) {
    validate::period(
        r,
        &["input", "periodStart"],
        &["input", "periodEnd"],
        start,
        end,
    );
}

fn not_found(what: &str) -> ServiceError {
    ServiceError::refused(Code::NotFound, &["input", "id"], format!("No such {what}."))
}
