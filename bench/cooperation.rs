//! Benchmarks of matching and allocation (not timed tests): `cargo bench --bench cooperation`
//! runs the default sizes; `-- --full` adds 10 000 × 10 000. Synthetic data: 7 thematic
//! areas, 5 regions, about 50 eligible offers per need, amounts in cents.

#![allow(clippy::print_stdout)] // A benchmark reports on standard output.

use std::time::{Duration, Instant};

use ccm_isu::rules::allocation::{self, Pair};
use ccm_isu::rules::matching::{self, NeedFacts, OfferFacts, Weights};
use chrono::NaiveDate;
use entity::enums::{AssistanceType, RegionalGroup, ThematicArea};
use uuid::Uuid;

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

const AREAS: [ThematicArea; 7] = [
    ThematicArea::Clearance,
    ThematicArea::RiskReductionEducation,
    ThematicArea::StockpileDestruction,
    ThematicArea::VictimAssistance,
    ThematicArea::NationalImplementation,
    ThematicArea::TransparencyReporting,
    ThematicArea::Universalization,
];
const REGIONS: [RegionalGroup; 5] = [
    RegionalGroup::Africa,
    RegionalGroup::AsiaPacific,
    RegionalGroup::EasternEurope,
    RegionalGroup::LatinAmericaCaribbean,
    RegionalGroup::WesternEuropeOthers,
];
const TYPES: [AssistanceType; 4] = [
    AssistanceType::Financial,
    AssistanceType::TechnicalExpertise,
    AssistanceType::Equipment,
    AssistanceType::Training,
];

fn date(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn offers(rng: &mut Lcg, n: usize) -> Vec<OfferFacts> {
    (0..n)
        .map(|i| OfferFacts {
            id: Uuid::from_u128(i as u128 + 1),
            provider_state: Some(format!("P{:02}", rng.below(40))),
            provider_name: format!("Provider {i}"),
            areas: vec![AREAS[rng.below(7) as usize], AREAS[rng.below(7) as usize]],
            types: vec![TYPES[rng.below(4) as usize], TYPES[rng.below(4) as usize]],
            remaining: Some(1_000_000 + rng.below(50_000_000) as i64),
            target_regions: if rng.below(3) == 0 {
                vec![]
            } else {
                vec![REGIONS[rng.below(5) as usize]]
            },
            target_states: vec![],
            period_start: date(2026, 1 + rng.below(6) as u32),
            period_end: date(2027, 1 + rng.below(12) as u32),
            open: true,
        })
        .collect()
}

fn needs(rng: &mut Lcg, n: usize) -> Vec<NeedFacts> {
    (0..n)
        .map(|i| NeedFacts {
            id: Uuid::from_u128(1_000_000 + i as u128),
            state_code: format!("S{:03}", rng.below(120)),
            state_name: format!("State {i}"),
            region: Some(REGIONS[rng.below(5) as usize]),
            area: AREAS[rng.below(7) as usize],
            types: vec![TYPES[rng.below(4) as usize], TYPES[rng.below(4) as usize]],
            remaining: Some(500_000 + rng.below(30_000_000) as i64),
            period_start: date(2026, 1 + rng.below(12) as u32),
            period_end: date(2027, 1 + rng.below(12) as u32),
            open: true,
            deadline_days: if rng.below(2) == 0 {
                None
            } else {
                Some(rng.below(3000) as i64 - 200)
            },
        })
        .collect()
}

fn time<T>(label: &str, runs: u32, mut f: impl FnMut() -> T) -> T {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        out = Some(r);
    }
    println!("{label}: best of {runs}: {best:?}");
    out.unwrap_or_else(f)
}

/// About `per_need` eligible pairs per need, chosen among offers of the need's area, the way
/// real declarations cluster by theme.
fn pairs(rng: &mut Lcg, needs: &[NeedFacts], offers: &[OfferFacts], per_need: usize) -> Vec<Pair> {
    let w = Weights::default();
    let mut by_area: Vec<Vec<usize>> = vec![Vec::new(); 7];
    for (j, o) in offers.iter().enumerate() {
        for a in &o.areas {
            if let Some(k) = AREAS.iter().position(|x| x == a) {
                by_area[k].push(j);
            }
        }
    }
    let mut out = Vec::new();
    for (i, n) in needs.iter().enumerate() {
        let k = AREAS.iter().position(|x| *x == n.area).unwrap_or(0);
        let pool = &by_area[k];
        if pool.is_empty() {
            continue;
        }
        let mut chosen = std::collections::BTreeSet::new();
        for _ in 0..per_need {
            chosen.insert(pool[rng.below(pool.len() as u64) as usize]);
        }
        for j in chosen {
            out.push(Pair {
                need: i,
                offer: j,
                score: matching::score(n, &offers[j], &w).score,
            });
        }
    }
    out
}

fn main() {
    let full = std::env::args().any(|a| a == "--full");
    let mut rng = Lcg(2026);
    let w = Weights::default();

    let many_offers = offers(&mut rng, 10_000);
    let one_need = needs(&mut rng, 1);
    let ranked = time("rank one need against 10 000 offers", 20, || {
        matching::rank_offers(&one_need[0], &many_offers, &w).len()
    });
    println!("  eligible offers: {ranked}");

    let mut sizes = vec![1_000usize, 5_000];
    if full {
        sizes.push(10_000);
    }
    for size in sizes {
        let o = offers(&mut rng, size);
        let n = needs(&mut rng, size);
        let p = pairs(&mut rng, &n, &o, 50);
        let need_caps: Vec<i64> = n.iter().map(|x| x.remaining.unwrap_or(0)).collect();
        let offered: Vec<i64> = o.iter().map(|x| x.remaining.unwrap_or(0)).collect();
        let runs = if size <= 1_000 { 5 } else { 1 };
        // Abundant as generated (more offered than needed), then scarce: every offer cut so
        // that the total offered is 30 % of the total needed.
        let needed: i64 = need_caps.iter().sum();
        let scarce_factor = 0.3 * needed as f64 / offered.iter().sum::<i64>() as f64;
        let scarce: Vec<i64> = offered
            .iter()
            .map(|c| (*c as f64 * scarce_factor) as i64)
            .collect();
        for (supply, offer_caps) in [("abundant", &offered), ("scarce", &scarce)] {
            let result = time(
                &format!(
                    "allocate {size} needs × {size} offers ({} eligible pairs), {supply} supply \
                     ({} % of the need offered)",
                    p.len(),
                    offer_caps.iter().sum::<i64>() * 100 / needed
                ),
                runs,
                || allocation::allocate(&need_caps, offer_caps, &p),
            );
            let (total, _) = allocation::objective(&p, &result);
            println!("  allocated {total} of {needed} requested cents");
        }
    }
}
