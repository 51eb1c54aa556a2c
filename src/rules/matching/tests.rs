use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn need() -> NeedFacts {
    NeedFacts {
        id: Uuid::from_u128(1),
        state_code: "LAO".into(),
        state_name: "Lao PDR".into(),
        region: Some(RegionalGroup::AsiaPacific),
        area: ThematicArea::Clearance,
        types: vec![AssistanceType::Financial, AssistanceType::Equipment],
        remaining: Some(100_000),
        period_start: Some(d("2026-01-01")),
        period_end: Some(d("2026-12-31")),
        open: true,
        deadline_days: Some(-10),
    }
}

fn offer(id: u128) -> OfferFacts {
    OfferFacts {
        id: Uuid::from_u128(id),
        provider_state: Some("CHE".into()),
        provider_name: "Switzerland".into(),
        areas: vec![ThematicArea::Clearance],
        types: vec![AssistanceType::Financial],
        remaining: Some(50_000),
        target_regions: vec![RegionalGroup::AsiaPacific],
        target_states: vec![],
        period_start: Some(d("2026-01-01")),
        period_end: Some(d("2026-06-30")),
        open: true,
    }
}

/// A change to an eligible offer that breaks one rule.
type Change = Box<dyn Fn(&mut OfferFacts)>;

#[test]
fn each_hard_rule_excludes_with_its_reason() {
    let n = need();
    assert!(ineligibility(&n, &offer(2)).is_empty());
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(|o| o.areas = vec![ThematicArea::VictimAssistance]),
            "does not cover clearance",
        ),
        (
            Box::new(|o| o.types = vec![AssistanceType::Training]),
            "none of the kinds",
        ),
        (
            Box::new(|o| o.target_regions = vec![RegionalGroup::Africa]),
            "targets Africa, not Lao PDR",
        ),
        (
            Box::new(|o| o.provider_state = Some("LAO".into())),
            "cannot assist itself",
        ),
        (Box::new(|o| o.open = false), "offer is no longer open"),
        (
            Box::new(|o| {
                o.period_start = Some(d("2027-01-01"));
                o.period_end = None;
            }),
            "periods do not overlap",
        ),
    ];
    for (change, text) in cases {
        let mut o = offer(2);
        change(&mut o);
        let why = ineligibility(&n, &o);
        assert_eq!(why.len(), 1, "{why:?}");
        assert!(why[0].contains(text), "{why:?} lacks {text}");
    }
    let mut closed = need();
    closed.open = false;
    assert!(!ineligibility(&closed, &offer(2)).is_empty());
}

#[test]
fn the_score_is_the_weighted_sum_of_six_explained_factors() {
    let s = score(&need(), &offer(2), &Weights::default());
    assert_eq!(s.reasons.len(), 6);
    let by = |f: Factor| {
        s.reasons
            .iter()
            .find(|r| r.factor == f)
            .expect("factor")
            .score
    };
    assert_eq!(by(Factor::ThematicArea), 1.0);
    assert_eq!(by(Factor::AssistanceType), 0.5);
    assert_eq!(by(Factor::Geography), 0.8);
    assert_eq!(by(Factor::Amount), 0.5);
    assert!((by(Factor::Period) - 181.0 / 365.0).abs() < 1e-9);
    assert_eq!(by(Factor::Urgency), 1.0);
    let expected = 0.30 + 0.20 * 0.5 + 0.15 * 0.8 + 0.15 * 0.5 + 0.10 * (181.0 / 365.0) + 0.10;
    assert!((s.score - expected).abs() < 1e-9);
    assert!(s.reasons.iter().any(|r| r.explanation == "The offer targets Asia-Pacific; Lao PDR is in Asia-Pacific."));
}

#[test]
fn geography_amount_period_and_urgency_follow_the_domain_table() {
    let w = Weights::default();
    let factor = |n: &NeedFacts, o: &OfferFacts, f: Factor| {
        score(n, o, &w)
            .reasons
            .into_iter()
            .find(|r| r.factor == f)
            .expect("f")
            .score
    };
    let mut named = offer(2);
    named.target_states = vec!["LAO".into()];
    assert_eq!(factor(&need(), &named, Factor::Geography), 1.0);
    let mut anyone = offer(2);
    anyone.target_regions.clear();
    assert_eq!(factor(&need(), &anyone, Factor::Geography), 0.6);
    let mut rich = offer(2);
    rich.remaining = Some(500_000);
    assert_eq!(factor(&need(), &rich, Factor::Amount), 1.0);
    rich.remaining = None;
    assert_eq!(factor(&need(), &rich, Factor::Amount), 0.5);
    let mut open_ended = offer(2);
    open_ended.period_end = None;
    assert_eq!(factor(&need(), &open_ended, Factor::Period), 0.5);
    let mut n = need();
    for (days, expected) in [
        (Some(300), 1.0),
        (Some(365 + 730), 0.5),
        (Some(5 * 365), 0.0),
        (Some(9000), 0.0),
        (None, 0.3),
    ] {
        n.deadline_days = days;
        assert!(
            (factor(&n, &offer(2), Factor::Urgency) - expected).abs() < 1e-9,
            "{days:?}"
        );
    }
}

#[test]
fn rankings_are_best_first_with_ties_broken_by_id() {
    let mut better = offer(9);
    better.types = vec![AssistanceType::Financial, AssistanceType::Equipment];
    let same_a = offer(5);
    let same_b = offer(3);
    let mut excluded = offer(1);
    excluded.areas = vec![ThematicArea::Universalization];
    let offers = vec![same_a, better, excluded, same_b];
    let ranked = rank_offers(&need(), &offers, &Weights::default());
    let ids: Vec<u128> = ranked.iter().map(|(o, _)| o.id.as_u128()).collect();
    assert_eq!(ids, vec![9, 3, 5]);
    let needs = vec![need()];
    assert_eq!(rank_needs(&offers[1], &needs, &Weights::default()).len(), 1);
}

#[test]
fn a_coordinator_learns_why_nothing_fits() {
    let mut va = need();
    va.area = ThematicArea::VictimAssistance;
    assert_eq!(
        why_unmatched(&va, &[offer(2)]),
        vec!["No open offer covers victim assistance.".to_owned()]
    );
    let mut africa = offer(2);
    africa.target_regions = vec![RegionalGroup::Africa];
    let why = why_unmatched(&need(), &[africa]);
    assert_eq!(why.len(), 1);
    assert!(why[0].contains("targets Africa"), "{why:?}");
    assert!(why_unmatched(&need(), &[offer(2)]).is_empty());
}
