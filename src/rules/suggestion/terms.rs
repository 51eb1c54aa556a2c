//! The objective in points × 100, and the lattice of the scores a selection can have.

use crate::kernel::vocabulary::{IncomeGroup, RegionalGroup};

use super::{Approved, Candidate, MAX_WEIGHT, Policy};

/// The policy with every term in points × 100, clamped to the documented ranges.
#[derive(Clone, Copy, Debug)]
pub(super) struct Terms {
    delegate: i64,
    affected: i64,
    low_income: i64,
    lower_middle_income: i64,
    pub(super) first: i64,
    pub(super) region: i64,
    /// Per unit of `|100·F − T·N|`, which is already × 100.
    pub(super) gender: i64,
    /// `T`, in percent.
    pub(super) target: i64,
}

impl Terms {
    pub(super) fn new(policy: &Policy) -> Self {
        let w = policy.weights;
        let points = |x: i64| x.clamp(0, MAX_WEIGHT) * 100;
        Self {
            delegate: points(w.delegate),
            affected: points(w.affected),
            low_income: points(w.low_income),
            lower_middle_income: points(w.lower_middle_income),
            first: points(w.first_delegate_of_state),
            region: points(w.regional_group),
            gender: w.gender_per_person.clamp(0, MAX_WEIGHT),
            target: i64::from(policy.female_target_percent.min(100)),
        }
    }

    /// The points of one application on its own.
    pub(super) fn value(&self, c: &Candidate) -> i64 {
        let income = match c.income {
            Some(IncomeGroup::Low) => self.low_income,
            Some(IncomeGroup::LowerMiddle) => self.lower_middle_income,
            Some(IncomeGroup::UpperMiddle | IncomeGroup::High) | None => 0,
        };
        self.delegate + if c.affected { self.affected } else { 0 } + income
    }

    /// How one more delegate moves the balance `100·F − T·N`.
    pub(super) fn shift(&self, female: bool) -> i64 {
        if female {
            100 - self.target
        } else {
            -self.target
        }
    }

    /// The balance `100·F − T·N` of the approved delegates alone.
    pub(super) fn balance(&self, approved: &Approved) -> i64 {
        100 * i64::from(approved.female) - self.target * i64::from(approved.total)
    }
}

/// One bit per regional group, so coverage is a mask.
pub(super) fn region_bit(region: Option<RegionalGroup>) -> u8 {
    match region {
        None => 0,
        Some(RegionalGroup::Africa) => 1,
        Some(RegionalGroup::AsiaPacific) => 2,
        Some(RegionalGroup::EasternEurope) => 4,
        Some(RegionalGroup::LatinAmericaCaribbean) => 8,
        Some(RegionalGroup::WesternEuropeOthers) => 16,
    }
}

pub(super) fn region_mask(regions: &[RegionalGroup]) -> u8 {
    regions.iter().fold(0, |m, r| m | region_bit(Some(*r)))
}

/// The scores a selection can have are multiples of `modulus`: the linear terms are
/// multiples of the weights' gcd, and the balance `100·F − T·N` of the approved and of each
/// delegate is a multiple of `gcd(100, T)`. A bound rounds down to them, which cuts the
/// selections that could only tie on score.
#[derive(Clone, Copy, Debug)]
pub(super) struct Lattice {
    modulus: i128,
}

impl Lattice {
    pub(super) fn new(t: &Terms) -> Self {
        let linear = [
            t.delegate,
            t.affected,
            t.low_income,
            t.lower_middle_income,
            t.first,
            t.region,
        ]
        .into_iter()
        .fold(0, gcd);
        let step = gcd(100, t.target);
        Self {
            modulus: i128::from(gcd(linear, t.gender * step)),
        }
    }

    pub(super) fn round_down(&self, x: i128) -> i128 {
        if self.modulus <= 1 {
            x
        } else {
            x - x.rem_euclid(self.modulus)
        }
    }
}

pub(super) fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
