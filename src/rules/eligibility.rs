//! Who may be sponsored (docs/domain.md §6): a pure policy over a State's facts, with the
//! reasons an ISU officer can read. No database, no GraphQL.
//!
//! Default policy: the State is a State party, a signatory, or a non-party invited for
//! universalization; and at least one of: its World Bank income group is LOW or
//! LOWER_MIDDLE, it has a pending Article 3 or 4 obligation, or it has cluster munition
//! victims. The income groups and the invited non-parties are configurable.

use crate::kernel::vocabulary::{IncomeGroup, StateStatus};
use chrono::NaiveDate;

/// The configurable part of the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Income groups that qualify a State on their own.
    pub income_groups: Vec<IncomeGroup>,
    /// Non-parties (and withdrawn States) invited for universalization, by ISO alpha-3.
    pub invited_non_parties: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            income_groups: vec![IncomeGroup::Low, IncomeGroup::LowerMiddle],
            invited_non_parties: vec![],
        }
    }
}

/// A pending treaty obligation that makes a State "affected".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pending {
    /// Article 3: stockpile destruction, with its deadline in force.
    StockpileDestruction(NaiveDate),
    /// Article 4: clearance, with its deadline in force.
    Clearance(NaiveDate),
}

/// What eligibility depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateFacts {
    pub code: String,
    pub name: String,
    pub status: StateStatus,
    pub income: Option<IncomeGroup>,
    /// Open Article 3 and 4 obligations.
    pub pending: Vec<Pending>,
    pub has_victims: bool,
}

/// The verdict and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Eligibility {
    pub eligible: bool,
    /// A pending Article 3 or 4 obligation, or victims: the suggestion prefers such States.
    pub affected: bool,
    /// One sentence per criterion, met or not, in the policy's order.
    pub reasons: Vec<String>,
}

fn income_name(g: IncomeGroup) -> &'static str {
    match g {
        IncomeGroup::Low => "low income",
        IncomeGroup::LowerMiddle => "lower-middle income",
        IncomeGroup::UpperMiddle => "upper-middle income",
        IncomeGroup::High => "high income",
    }
}

/// Applies the policy to one State.
pub fn assess(s: &StateFacts, policy: &Policy) -> Eligibility {
    let mut reasons = Vec::new();
    let invited = policy
        .invited_non_parties
        .iter()
        .any(|c| c.eq_ignore_ascii_case(&s.code));
    let standing = match s.status {
        StateStatus::StateParty => {
            reasons.push(format!("{} is a State party.", s.name));
            true
        }
        StateStatus::Signatory => {
            reasons.push(format!("{} is a signatory.", s.name));
            true
        }
        StateStatus::NotParty | StateStatus::Withdrawn if invited => {
            reasons.push(format!(
                "{} is not a State party but is invited for universalization.",
                s.name
            ));
            true
        }
        StateStatus::NotParty | StateStatus::Withdrawn => {
            reasons.push(format!(
                "{} is neither a State party nor a signatory, and is not invited for universalization.",
                s.name
            ));
            false
        }
    };

    let by_income = s.income.is_some_and(|g| policy.income_groups.contains(&g));
    match s.income {
        Some(g) if by_income => reasons.push(format!(
            "Its World Bank income group is {}, which qualifies.",
            income_name(g)
        )),
        Some(g) => reasons.push(format!(
            "Its World Bank income group is {}, which does not qualify on its own.",
            income_name(g)
        )),
        None => reasons.push("It has no World Bank income group.".into()),
    }

    let mut pending = s.pending.clone();
    pending.sort_by_key(|p| match p {
        Pending::StockpileDestruction(d) | Pending::Clearance(d) => *d,
    });
    for p in &pending {
        reasons.push(match p {
            Pending::StockpileDestruction(d) => {
                format!("It has a pending Article 3 obligation: stockpile destruction due {d}.")
            }
            Pending::Clearance(d) => {
                format!("It has a pending Article 4 obligation: clearance due {d}.")
            }
        });
    }
    if pending.is_empty() {
        reasons.push("It has no pending Article 3 or 4 obligation.".into());
    }
    if s.has_victims {
        reasons.push("It has cluster munition victims.".into());
    } else {
        reasons.push("It reports no cluster munition victims.".into());
    }
    let affected = !pending.is_empty() || s.has_victims;
    let eligible = standing && (by_income || affected);
    reasons.push(if eligible {
        "Eligible for sponsorship.".into()
    } else if !standing {
        "Not eligible: the State's relation to the Convention does not qualify.".into()
    } else {
        "Not eligible: it meets none of the income, obligation or victim criteria.".into()
    });
    Eligibility {
        eligible,
        affected,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: StateStatus, income: Option<IncomeGroup>) -> StateFacts {
        StateFacts {
            code: "XYZ".into(),
            name: "Xyzland".into(),
            status,
            income,
            pending: vec![],
            has_victims: false,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn income_obligations_or_victims_each_qualify_a_state_party() {
        let p = Policy::default();
        let high = state(StateStatus::StateParty, Some(IncomeGroup::High));
        assert!(!assess(&high, &p).eligible);
        for income in [IncomeGroup::Low, IncomeGroup::LowerMiddle] {
            let e = assess(&state(StateStatus::StateParty, Some(income)), &p);
            assert!(e.eligible && !e.affected, "{income:?}");
        }
        assert!(
            !assess(
                &state(StateStatus::StateParty, Some(IncomeGroup::UpperMiddle)),
                &p
            )
            .eligible
        );
        let mut cleared = high.clone();
        cleared.pending = vec![Pending::Clearance(d(2026, 8, 1))];
        let e = assess(&cleared, &p);
        assert!(e.eligible && e.affected);
        assert!(
            e.reasons.contains(
                &"It has a pending Article 4 obligation: clearance due 2026-08-01.".into()
            ),
            "{:?}",
            e.reasons
        );
        let mut victims = high.clone();
        victims.has_victims = true;
        assert!(assess(&victims, &p).eligible && assess(&victims, &p).affected);
        let mut stockpiles = high;
        stockpiles.pending = vec![Pending::StockpileDestruction(d(2027, 3, 1))];
        assert!(assess(&stockpiles, &p).eligible);
    }

    #[test]
    fn non_parties_qualify_only_when_invited() {
        let mut p = Policy::default();
        let low = |status| state(status, Some(IncomeGroup::Low));
        assert!(assess(&low(StateStatus::Signatory), &p).eligible);
        assert!(!assess(&low(StateStatus::NotParty), &p).eligible);
        assert!(!assess(&low(StateStatus::Withdrawn), &p).eligible);
        p.invited_non_parties = vec!["xyz".into()];
        let e = assess(&low(StateStatus::NotParty), &p);
        assert!(e.eligible);
        assert_eq!(
            e.reasons[0],
            "Xyzland is not a State party but is invited for universalization."
        );
        // Invitation does not replace the need criteria.
        assert!(!assess(&state(StateStatus::NotParty, Some(IncomeGroup::High)), &p).eligible);
    }

    #[test]
    fn the_income_groups_are_configurable() {
        let p = Policy {
            income_groups: vec![IncomeGroup::Low],
            invited_non_parties: vec![],
        };
        assert!(
            !assess(
                &state(StateStatus::StateParty, Some(IncomeGroup::LowerMiddle)),
                &p
            )
            .eligible
        );
        assert!(assess(&state(StateStatus::StateParty, Some(IncomeGroup::Low)), &p).eligible);
        assert!(!assess(&state(StateStatus::StateParty, None), &p).eligible);
    }

    #[test]
    fn every_criterion_gives_a_reason_and_the_verdict_comes_last() {
        let e = assess(
            &state(StateStatus::StateParty, Some(IncomeGroup::High)),
            &Policy::default(),
        );
        assert_eq!(
            e.reasons,
            vec![
                "Xyzland is a State party.",
                "Its World Bank income group is high income, which does not qualify on its own.",
                "It has no pending Article 3 or 4 obligation.",
                "It reports no cluster munition victims.",
                "Not eligible: it meets none of the income, obligation or victim criteria.",
            ]
        );
    }
}
