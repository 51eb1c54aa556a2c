//! The sponsorship suggestion (domain.md §6): which pending eligible applications to fund
//! from the remaining budget. Pure: no database, no GraphQL.
//!
//! PLACEHOLDER: the helper replaces this file with the real solver; the types below are
//! the interface the service layer calls.

use entity::enums::{IncomeGroup, RegionalGroup};

/// One pending, eligible application, at its requested total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// ISO alpha-3 of the applying State.
    pub state_code: String,
    pub region: Option<RegionalGroup>,
    pub income: Option<IncomeGroup>,
    /// A pending Article 3 or 4 obligation, or cluster munition victims.
    pub affected: bool,
    pub female: bool,
    /// Requested total in cents of the meeting's currency; > 0.
    pub cost_cents: i64,
}

/// What is already approved for the meeting: counted for "one delegate per State first",
/// regional coverage and gender balance, but not chosen again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Approved {
    pub state_codes: Vec<String>,
    pub regions: Vec<RegionalGroup>,
    pub female: u32,
    pub total: u32,
}

/// The objective's points; see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights {
    pub delegate: i64,
    pub affected: i64,
    pub low_income: i64,
    pub lower_middle_income: i64,
    pub first_delegate_of_state: i64,
    pub regional_group: i64,
    pub gender_per_person: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            delegate: 100,
            affected: 60,
            low_income: 40,
            lower_middle_income: 20,
            first_delegate_of_state: 1000,
            regional_group: 300,
            gender_per_person: 150,
        }
    }
}

/// The balance target and the weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Target share of women among sponsored delegates, in percent (0..=100).
    pub female_target_percent: u32,
    pub weights: Weights,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            female_target_percent: 50,
            weights: Weights::default(),
        }
    }
}

/// The chosen applications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// Indices into the candidates, ascending.
    pub chosen: Vec<usize>,
    pub total_cents: i64,
    /// The objective's value, in points × 100.
    pub score: i64,
    /// True when the search proved this selection optimal.
    pub proven_optimal: bool,
}

/// The objective of a selection (indices into `candidates`), in points × 100.
pub fn score(
    candidates: &[Candidate],
    approved: &Approved,
    chosen: &[usize],
    policy: &Policy,
) -> i64 {
    let _ = (candidates, approved, chosen, policy);
    0
}

/// The best selection whose total fits `budget_cents`.
pub fn suggest(
    candidates: &[Candidate],
    approved: &Approved,
    budget_cents: i64,
    policy: &Policy,
) -> Suggestion {
    let _ = (candidates, approved, budget_cents, policy);
    Suggestion {
        chosen: vec![],
        total_cents: 0,
        score: 0,
        proven_optimal: true,
    }
}
