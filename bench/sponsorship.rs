//! Benchmark of the sponsorship suggestion (not a timed test): `cargo bench --bench
//! sponsorship`. Synthetic meetings of 20 to 200 pending applications from 60–100 States
//! in 5 regions, 40–60 % women, costs 1 500–8 000 CHF in cents, and a budget covering
//! 40–60 % of the demand.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::time::{Duration, Instant};

use ccm_isu::rules::suggestion::{self, Approved, Candidate, Policy};
use entity::enums::{IncomeGroup, RegionalGroup};

/// A small deterministic generator, so every run sees the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const REGIONS: [RegionalGroup; 5] = [
    RegionalGroup::Africa,
    RegionalGroup::AsiaPacific,
    RegionalGroup::EasternEurope,
    RegionalGroup::LatinAmericaCaribbean,
    RegionalGroup::WesternEuropeOthers,
];

/// A State that may apply: its region, income group and whether it is affected.
struct State {
    code: String,
    region: RegionalGroup,
    income: IncomeGroup,
    affected: bool,
}

/// One meeting: `n` pending applications, a few delegates already approved, and a budget.
struct Meeting {
    candidates: Vec<Candidate>,
    approved: Approved,
    budget: i64,
}

fn meeting(rng: &mut Lcg, n: usize) -> Meeting {
    let states: Vec<State> = (0..60 + rng.below(41))
        .map(|i| State {
            code: format!("S{i:03}"),
            region: REGIONS[rng.below(5) as usize],
            // Sponsored States are mostly low and lower-middle income.
            income: match rng.below(10) {
                0..=3 => IncomeGroup::Low,
                4..=7 => IncomeGroup::LowerMiddle,
                8 => IncomeGroup::UpperMiddle,
                _ => IncomeGroup::High,
            },
            affected: rng.below(10) < 3,
        })
        .collect();
    let women = 40 + rng.below(21);
    let candidates: Vec<Candidate> = (0..n)
        .map(|_| {
            let s = &states[rng.below(states.len() as u64) as usize];
            Candidate {
                state_code: s.code.clone(),
                region: Some(s.region),
                income: Some(s.income),
                affected: s.affected,
                female: rng.below(100) < women,
                cost_cents: 150_000 + rng.below(650_001) as i64,
            }
        })
        .collect();
    // About one State in ten has a delegate approved already (it may still apply again).
    let approved_states: Vec<&State> = states.iter().filter(|_| rng.below(10) == 0).collect();
    let approved = Approved {
        state_codes: approved_states.iter().map(|s| s.code.clone()).collect(),
        regions: approved_states.iter().map(|s| s.region).collect(),
        female: approved_states.iter().filter(|_| rng.below(2) == 0).count() as u32,
        total: approved_states.len() as u32,
    };
    let demand: i64 = candidates.iter().map(|c| c.cost_cents).sum();
    let budget = demand * (40 + rng.below(21) as i64) / 100;
    Meeting {
        candidates,
        approved,
        budget,
    }
}

fn main() {
    let mut rng = Lcg(2026);
    let policy = Policy::default();
    let meetings_per_size = 7;
    println!("size  median     worst      proven  chosen (median meeting)");
    for n in [20usize, 50, 100, 150, 200] {
        let mut times = Vec::new();
        let mut proven = 0;
        let mut chosen = Vec::new();
        for _ in 0..meetings_per_size {
            let m = meeting(&mut rng, n);
            let runs = if n <= 100 { 5 } else { 3 };
            let mut best = Duration::MAX;
            let mut out = None;
            for _ in 0..runs {
                let t = Instant::now();
                let s = suggestion::suggest(&m.candidates, &m.approved, m.budget, &policy);
                best = best.min(t.elapsed());
                out = Some(s);
            }
            if let Some(s) = out {
                proven += usize::from(s.proven_optimal);
                chosen.push(s.chosen.len());
            }
            times.push(best);
        }
        times.sort();
        chosen.sort_unstable();
        println!(
            "{n:>4}  {:>9.2?}  {:>9.2?}  {proven}/{meetings_per_size}     {}",
            times[times.len() / 2],
            times[times.len() - 1],
            chosen[chosen.len() / 2],
        );
    }
}
