//! Matching offers of assistance to needs (docs/domain.md §5): pure eligibility rules, factor
//! scores with weights, reasons a coordinator can read, and rankings. No database, no
//! GraphQL.

use crate::kernel::vocabulary::{AssistanceType, RegionalGroup, ThematicArea};
use chrono::NaiveDate;
use uuid::Uuid;

#[cfg(test)]
mod tests;

/// The factors of a score, in the contract's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Factor {
    ThematicArea,
    AssistanceType,
    Geography,
    Amount,
    Period,
    Urgency,
}

/// Weights of the factors; they sum to 1. Configurable, defaults from docs/domain.md §5.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub thematic_area: f64,
    pub assistance_type: f64,
    pub geography: f64,
    pub amount: f64,
    pub period: f64,
    pub urgency: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            thematic_area: 0.30,
            assistance_type: 0.20,
            geography: 0.15,
            amount: 0.15,
            period: 0.10,
            urgency: 0.10,
        }
    }
}

/// What matching needs to know about a need.
#[derive(Clone, Debug)]
pub struct NeedFacts {
    pub id: Uuid,
    pub state_code: String,
    pub state_name: String,
    pub region: Option<RegionalGroup>,
    pub area: ThematicArea,
    pub types: Vec<AssistanceType>,
    /// Remaining amount in base-currency cents; None when the need states no amount.
    pub remaining: Option<i64>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// Neither withdrawn nor met.
    pub open: bool,
    /// Days to the State's open treaty deadline for this area (negative when overdue);
    /// None when the area has no treaty deadline or the State has none open.
    pub deadline_days: Option<i64>,
}

/// What matching needs to know about an offer.
#[derive(Clone, Debug)]
pub struct OfferFacts {
    pub id: Uuid,
    pub provider_state: Option<String>,
    pub provider_name: String,
    pub areas: Vec<ThematicArea>,
    pub types: Vec<AssistanceType>,
    /// Remaining amount in base-currency cents; None when the offer states no amount.
    pub remaining: Option<i64>,
    pub target_regions: Vec<RegionalGroup>,
    pub target_states: Vec<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// Neither withdrawn nor exhausted.
    pub open: bool,
}

/// One factor's contribution, with a sentence a coordinator can read.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub factor: Factor,
    /// This factor's own score, 0 to 1.
    pub score: f64,
    pub weight: f64,
    pub explanation: String,
}

/// The score of an eligible pair: the weighted sum of its reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

pub fn area_name(a: ThematicArea) -> &'static str {
    match a {
        ThematicArea::Clearance => "clearance",
        ThematicArea::RiskReductionEducation => "risk reduction education",
        ThematicArea::StockpileDestruction => "stockpile destruction",
        ThematicArea::VictimAssistance => "victim assistance",
        ThematicArea::NationalImplementation => "national implementation",
        ThematicArea::TransparencyReporting => "transparency reporting",
        ThematicArea::Universalization => "universalization",
    }
}

pub fn region_name(r: RegionalGroup) -> &'static str {
    match r {
        RegionalGroup::Africa => "Africa",
        RegionalGroup::AsiaPacific => "Asia-Pacific",
        RegionalGroup::EasternEurope => "Eastern Europe",
        RegionalGroup::LatinAmericaCaribbean => "Latin America and the Caribbean",
        RegionalGroup::WesternEuropeOthers => "Western Europe and others",
    }
}

fn type_name(t: AssistanceType) -> &'static str {
    match t {
        AssistanceType::Financial => "financial",
        AssistanceType::TechnicalExpertise => "technical expertise",
        AssistanceType::Equipment => "equipment",
        AssistanceType::Training => "training",
    }
}

fn overlap(
    a: (Option<NaiveDate>, Option<NaiveDate>),
    b: (Option<NaiveDate>, Option<NaiveDate>),
) -> bool {
    // Where both give a period, they must overlap; an open end never excludes.
    let starts_before_end = |start: Option<NaiveDate>, end: Option<NaiveDate>| match (start, end) {
        (Some(s), Some(e)) => s <= e,
        _ => true,
    };
    starts_before_end(a.0, b.1) && starts_before_end(b.0, a.1)
}

/// Why an offer cannot serve a need: one sentence per broken hard rule; empty when eligible.
pub fn ineligibility(need: &NeedFacts, offer: &OfferFacts) -> Vec<String> {
    let mut why = Vec::new();
    if !offer.areas.contains(&need.area) {
        why.push(format!(
            "The offer does not cover {}.",
            area_name(need.area)
        ));
    }
    if !need.types.iter().any(|t| offer.types.contains(t)) {
        why.push("The offer gives none of the kinds of assistance the need asks for.".to_owned());
    }
    let targeted = offer.target_states.is_empty() && offer.target_regions.is_empty()
        || offer.target_states.contains(&need.state_code)
        || need
            .region
            .is_some_and(|r| offer.target_regions.contains(&r));
    if !targeted {
        let regions: Vec<&str> = offer
            .target_regions
            .iter()
            .map(|r| region_name(*r))
            .collect();
        why.push(if regions.is_empty() {
            format!("The offer targets other States, not {}.", need.state_name)
        } else {
            format!(
                "The offer targets {}, not {}.",
                regions.join(" and "),
                need.state_name
            )
        });
    }
    if offer.provider_state.as_deref() == Some(need.state_code.as_str()) {
        why.push(format!("{} cannot assist itself.", need.state_name));
    }
    if !need.open {
        why.push("The need is no longer open.".to_owned());
    }
    if !offer.open {
        why.push("The offer is no longer open.".to_owned());
    }
    if !overlap(
        (need.period_start, need.period_end),
        (offer.period_start, offer.period_end),
    ) {
        why.push("Their periods do not overlap.".to_owned());
    }
    why
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days() + 1
}

/// Scores an eligible pair (call [`ineligibility`] first).
pub fn score(need: &NeedFacts, offer: &OfferFacts, w: &Weights) -> Scored {
    let mut reasons = Vec::with_capacity(6);
    reasons.push(Reason {
        factor: Factor::ThematicArea,
        score: 1.0,
        weight: w.thematic_area,
        explanation: format!("The offer covers {}.", area_name(need.area)),
    });

    let covered: Vec<&str> = need
        .types
        .iter()
        .filter(|t| offer.types.contains(t))
        .map(|t| type_name(*t))
        .collect();
    let type_share = if need.types.is_empty() {
        0.0
    } else {
        covered.len() as f64 / need.types.len() as f64
    };
    reasons.push(Reason {
        factor: Factor::AssistanceType,
        score: type_share,
        weight: w.assistance_type,
        explanation: format!(
            "The offer gives {} of the {} kinds of assistance asked for ({}).",
            covered.len(),
            need.types.len(),
            covered.join(", ")
        ),
    });

    let (geo, geo_text) = if offer.target_states.contains(&need.state_code) {
        (1.0, format!("The offer names {}.", need.state_name))
    } else if let Some(r) = need.region.filter(|r| offer.target_regions.contains(r)) {
        (
            0.8,
            format!(
                "The offer targets {}; {} is in {}.",
                region_name(r),
                need.state_name,
                region_name(r)
            ),
        )
    } else {
        (0.6, "The offer is open to any State.".to_owned())
    };
    reasons.push(Reason {
        factor: Factor::Geography,
        score: geo,
        weight: w.geography,
        explanation: geo_text,
    });

    let (amount, amount_text) = match (need.remaining, offer.remaining) {
        (Some(n), Some(o)) if n > 0 => {
            let ratio = (o as f64 / n as f64).min(1.0);
            (
                ratio,
                format!(
                    "The offer's remaining amount covers {:.0}% of what the need still lacks.",
                    ratio * 100.0
                ),
            )
        }
        (Some(_), Some(_)) => (1.0, "The need is already covered in full.".to_owned()),
        _ => (0.5, "The need or the offer states no amount.".to_owned()),
    };
    reasons.push(Reason {
        factor: Factor::Amount,
        score: amount,
        weight: w.amount,
        explanation: amount_text,
    });

    let (period, period_text) = match (
        need.period_start,
        need.period_end,
        offer.period_start,
        offer.period_end,
    ) {
        (Some(ns), Some(ne), Some(os), Some(oe)) => {
            let from = ns.max(os);
            let to = ne.min(oe);
            let share = if to < from {
                0.0
            } else {
                days(from, to) as f64 / days(ns, ne) as f64
            };
            (
                share,
                format!(
                    "The offer's period covers {:.0}% of the need's.",
                    share * 100.0
                ),
            )
        }
        _ => (
            0.5,
            "The need or the offer has an open-ended period.".to_owned(),
        ),
    };
    reasons.push(Reason {
        factor: Factor::Period,
        score: period,
        weight: w.period,
        explanation: period_text,
    });

    let (urgency, urgency_text) = match need.deadline_days {
        Some(d) if d <= 365 => (
            1.0,
            if d < 0 {
                format!(
                    "{}'s treaty deadline for {} is overdue.",
                    need.state_name,
                    area_name(need.area)
                )
            } else {
                format!(
                    "{}'s treaty deadline for {} falls within a year.",
                    need.state_name,
                    area_name(need.area)
                )
            },
        ),
        Some(d) if d >= 5 * 365 => (
            0.0,
            format!(
                "{}'s treaty deadline is five years away or more.",
                need.state_name
            ),
        ),
        Some(d) => {
            let u = 1.0 - (d - 365) as f64 / (4.0 * 365.0);
            (
                u,
                format!(
                    "{}'s treaty deadline for {} is {} days away.",
                    need.state_name,
                    area_name(need.area),
                    d
                ),
            )
        }
        None => (
            0.3,
            format!(
                "No treaty deadline applies to {} here.",
                area_name(need.area)
            ),
        ),
    };
    reasons.push(Reason {
        factor: Factor::Urgency,
        score: urgency,
        weight: w.urgency,
        explanation: urgency_text,
    });

    let total = reasons.iter().map(|r| r.score * r.weight).sum::<f64>();
    Scored {
        score: total.clamp(0.0, 1.0),
        reasons,
    }
}

/// The eligible offers for a need, best first; ties broken by offer ID.
pub fn rank_offers<'a>(
    need: &NeedFacts,
    offers: &'a [OfferFacts],
    w: &Weights,
) -> Vec<(&'a OfferFacts, Scored)> {
    let mut ranked: Vec<_> = offers
        .iter()
        .filter(|o| ineligibility(need, o).is_empty())
        .map(|o| (o, score(need, o, w)))
        .collect();
    ranked.sort_by(|(a, x), (b, y)| y.score.total_cmp(&x.score).then(a.id.cmp(&b.id)));
    ranked
}

/// The needs an offer can serve, best first; ties broken by need ID.
pub fn rank_needs<'a>(
    offer: &OfferFacts,
    needs: &'a [NeedFacts],
    w: &Weights,
) -> Vec<(&'a NeedFacts, Scored)> {
    let mut ranked: Vec<_> = needs
        .iter()
        .filter(|n| ineligibility(n, offer).is_empty())
        .map(|n| (n, score(n, offer, w)))
        .collect();
    ranked.sort_by(|(a, x), (b, y)| y.score.total_cmp(&x.score).then(a.id.cmp(&b.id)));
    ranked
}

/// Why no offer fits a need, in a coordinator's words; empty when some offer fits.
pub fn why_unmatched(need: &NeedFacts, offers: &[OfferFacts]) -> Vec<String> {
    if offers.iter().any(|o| ineligibility(need, o).is_empty()) {
        return Vec::new();
    }
    let in_area: Vec<&OfferFacts> = offers
        .iter()
        .filter(|o| o.open && o.areas.contains(&need.area))
        .collect();
    if in_area.is_empty() {
        return vec![format!("No open offer covers {}.", area_name(need.area))];
    }
    in_area
        .iter()
        .take(5)
        .map(|o| {
            let why = ineligibility(need, o);
            format!("\"{}\" ({}): {}", o.provider_name, o.id, why.join(" "))
        })
        .collect()
}
