use chrono::NaiveDate;

use super::languages::{OFFICIAL, official, working};
use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

const TODAY: &str = "2027-01-15";

fn today() -> NaiveDate {
    d(TODAY)
}

fn state(code: &str, name: &str, region: Option<RegionalGroup>) -> StateFacts {
    StateFacts {
        code: code.into(),
        name: name.into(),
        region,
        contaminated: false,
        holds_stockpiles: false,
        has_victims: false,
        stockpile_destruction_completed: false,
        clearance_completed: false,
    }
}

/// Benin asks for technical expertise in clearance; it has no contact point.
fn need() -> NeedFacts {
    NeedFacts {
        state: state("BEN", "Benin", Some(RegionalGroup::Africa)),
        area: ThematicArea::Clearance,
        types: vec![AssistanceType::TechnicalExpertise],
        period_start: None,
        period_end: None,
        languages: vec![Language::Fr],
        language_source: LanguageSource::Official,
    }
}

/// A Lao clearance expert who speaks French, has worked in Africa and is available now.
fn expert(id: u128) -> ExpertFacts {
    ExpertFacts {
        id: Uuid::from_u128(id),
        nationality: Some("LAO".into()),
        nationality_name: Some("Lao People's Democratic Republic".into()),
        areas: vec![ThematicArea::Clearance],
        types: vec![AssistanceType::TechnicalExpertise],
        languages: vec![Language::En, Language::Fr],
        regions: vec![RegionalGroup::Africa, RegionalGroup::AsiaPacific],
        available_from: None,
        available_until: None,
        south_south: true,
        active: true,
    }
}

fn reason_of(c: &Candidate, f: Factor) -> &Reason {
    c.reasons
        .iter()
        .find(|r| r.factor == f)
        .expect("every factor has a reason")
}

fn factor(n: &NeedFacts, e: &ExpertFacts, f: Factor) -> (f64, String) {
    let c = score(n, e, &Weights::default(), today());
    let r = reason_of(&c, f);
    (r.score, r.explanation.clone())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// --- South-South ---------------------------------------------------------------------------

#[test]
fn south_south_takes_an_affected_state() {
    type Set = fn(&mut StateFacts);
    let clearance = [ThematicArea::Clearance];
    let other = [ThematicArea::VictimAssistance];
    let cases: Vec<(&str, Set, &[ThematicArea], bool)> = vec![
        ("unaffected", |_| {}, &clearance, false),
        ("contaminated", |s| s.contaminated = true, &other, true),
        (
            "holds stockpiles",
            |s| s.holds_stockpiles = true,
            &other,
            true,
        ),
        (
            "held stockpiles",
            |s| s.stockpile_destruction_completed = true,
            &other,
            true,
        ),
        ("has victims", |s| s.has_victims = true, &other, true),
        (
            "cleared, expert in clearance",
            |s| s.clearance_completed = true,
            &clearance,
            true,
        ),
        (
            "cleared, expert elsewhere",
            |s| s.clearance_completed = true,
            &other,
            false,
        ),
        (
            "cleared, no areas",
            |s| s.clearance_completed = true,
            &[],
            false,
        ),
    ];
    for (name, set, areas, want) in cases {
        let mut s = state("LAO", "Lao People's Democratic Republic", None);
        set(&mut s);
        assert_eq!(south_south(&s, areas), want, "{name}");
    }
}

#[test]
fn south_south_factor_names_the_state() {
    let n = need();
    let mut e = expert(1);
    assert_eq!(
        factor(&n, &e, Factor::SouthSouth),
        (
            1.0,
            "Comes from Lao People's Democratic Republic, itself affected: South-South cooperation."
                .to_owned()
        )
    );
    e.south_south = false;
    e.nationality_name = Some("Switzerland".into());
    assert_eq!(
        factor(&n, &e, Factor::SouthSouth),
        (
            0.0,
            "Comes from Switzerland, which is not itself affected.".to_owned()
        )
    );
    e.nationality_name = None;
    e.nationality = Some("CHE".into());
    assert_eq!(
        factor(&n, &e, Factor::SouthSouth).1,
        "Comes from CHE, which is not itself affected."
    );
    e.nationality = None;
    assert_eq!(
        factor(&n, &e, Factor::SouthSouth),
        (0.0, "Has no nationality on record.".to_owned())
    );
}

// --- Eligibility ---------------------------------------------------------------------------

#[test]
fn wants_experts_only_for_expertise_or_training() {
    use AssistanceType::*;
    assert!(wants_experts(&[TechnicalExpertise]));
    assert!(wants_experts(&[Financial, Training]));
    assert!(!wants_experts(&[Financial, Equipment]));
    assert!(!wants_experts(&[]));
}

#[test]
fn each_eligibility_rule_excludes() {
    type Change = fn(&mut NeedFacts, &mut ExpertFacts);
    let cases: Vec<(&str, Change, bool)> = vec![
        ("as built", |_, _| {}, true),
        ("inactive", |_, e| e.active = false, false),
        (
            "a national of the needing State",
            |_, e| e.nationality = Some("BEN".into()),
            false,
        ),
        ("no nationality", |_, e| e.nationality = None, true),
        (
            "unavailable since yesterday",
            |_, e| e.available_until = Some(d("2027-01-14")),
            false,
        ),
        (
            "available until today",
            |_, e| e.available_until = Some(d(TODAY)),
            true,
        ),
        (
            "available only later",
            |_, e| e.available_from = Some(d("2028-01-01")),
            true,
        ),
        (
            "another area, the type asked",
            |_, e| e.areas = vec![ThematicArea::VictimAssistance],
            true,
        ),
        (
            "the area, no type asked",
            |_, e| e.types = vec![AssistanceType::Training],
            true,
        ),
        (
            "neither the area nor a type asked",
            |_, e| {
                e.areas = vec![ThematicArea::VictimAssistance];
                e.types = vec![AssistanceType::Training];
            },
            false,
        ),
        (
            "another area, only a non-personal type in common",
            |n, e| {
                n.types = vec![AssistanceType::Financial];
                e.areas = vec![ThematicArea::VictimAssistance];
                e.types = vec![AssistanceType::Financial];
            },
            false,
        ),
        (
            "another area, training asked and offered",
            |n, e| {
                n.types = vec![AssistanceType::Equipment, AssistanceType::Training];
                e.areas = vec![ThematicArea::VictimAssistance];
                e.types = vec![AssistanceType::Training];
            },
            true,
        ),
    ];
    for (name, change, want) in cases {
        let (mut n, mut e) = (need(), expert(1));
        change(&mut n, &mut e);
        assert_eq!(eligible(&n, &e, today()), want, "{name}");
    }
}

// --- Factors -------------------------------------------------------------------------------

#[test]
fn area_factor() {
    let n = need();
    let mut e = expert(1);
    assert_eq!(
        factor(&n, &e, Factor::Area),
        (1.0, "Works in clearance, the area of the need.".to_owned())
    );
    e.areas = vec![ThematicArea::RiskReductionEducation];
    assert_eq!(
        factor(&n, &e, Factor::Area),
        (
            0.0,
            "Does not work in clearance, the area of the need.".to_owned()
        )
    );
}

#[test]
fn assistance_type_factor_is_the_share_of_personal_types() {
    use AssistanceType::*;
    let cases: Vec<(Vec<AssistanceType>, Vec<AssistanceType>, f64, &str)> = vec![
        (
            vec![TechnicalExpertise],
            vec![TechnicalExpertise],
            1.0,
            "Offers technical expertise, as the need asks.",
        ),
        (
            vec![Financial, TechnicalExpertise, Training],
            vec![Training, TechnicalExpertise],
            1.0,
            "Offers technical expertise and training, as the need asks.",
        ),
        (
            vec![TechnicalExpertise, Training, Equipment],
            vec![Training],
            0.5,
            "Offers training but not technical expertise, which the need also asks for.",
        ),
        (
            vec![TechnicalExpertise, Training, TechnicalExpertise],
            vec![TechnicalExpertise],
            0.5,
            "Offers technical expertise but not training, which the need also asks for.",
        ),
        (
            vec![TechnicalExpertise, Training],
            vec![],
            0.0,
            "Does not offer technical expertise or training, which the need asks for.",
        ),
        (
            vec![Financial],
            vec![TechnicalExpertise],
            0.0,
            "The need asks for neither technical expertise nor training.",
        ),
    ];
    for (asked, offered, want, text) in cases {
        let mut n = need();
        n.types = asked.clone();
        let mut e = expert(1);
        e.types = offered.clone();
        let (s, t) = factor(&n, &e, Factor::AssistanceType);
        assert!(close(s, want), "{asked:?} / {offered:?}: {s}");
        assert_eq!(t, text, "{asked:?} / {offered:?}");
    }
}

#[test]
fn language_factor_by_source() {
    use Language::*;
    // (the State's working languages, their source, the expert's, the score, the sentence)
    type Case = (
        Vec<Language>,
        LanguageSource,
        Vec<Language>,
        f64,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            vec![Fr],
            LanguageSource::ContactPoints,
            vec![En, Fr],
            1.0,
            "Speaks French, the language of Benin's contact points.",
        ),
        (
            vec![Fr],
            LanguageSource::Official,
            vec![Fr],
            1.0,
            "Speaks French, an official language of Benin.",
        ),
        (
            vec![Fr],
            LanguageSource::ContactPoints,
            vec![En],
            0.0,
            "Does not speak French, the language of Benin's contact points.",
        ),
        (
            vec![Fr],
            LanguageSource::Official,
            vec![Es],
            0.0,
            "Does not speak French, an official language of Benin.",
        ),
        (
            vec![Fr, En],
            LanguageSource::ContactPoints,
            vec![En],
            1.0,
            "Speaks English, a language of Benin's contact points.",
        ),
        (
            vec![Fr, En],
            LanguageSource::ContactPoints,
            vec![En, Fr],
            1.0,
            "Speaks French and English, languages of Benin's contact points.",
        ),
        (
            vec![Fr, En],
            LanguageSource::Official,
            vec![Fr, En],
            1.0,
            "Speaks French and English, official languages of Benin.",
        ),
        (
            vec![Fr, Ar],
            LanguageSource::Official,
            vec![Es, Ru],
            0.0,
            "Does not speak French or Arabic, the official languages of Benin.",
        ),
        (
            vec![Fr, Ar],
            LanguageSource::ContactPoints,
            vec![Zh],
            0.0,
            "Does not speak French or Arabic, the languages of Benin's contact points.",
        ),
        (
            vec![],
            LanguageSource::Official,
            vec![Fr],
            0.5,
            "No working language of Benin is known.",
        ),
    ];
    for (working, source, spoken, want, text) in cases {
        let mut n = need();
        n.languages = working.clone();
        n.language_source = source;
        let mut e = expert(1);
        e.languages = spoken.clone();
        let (s, t) = factor(&n, &e, Factor::Language);
        assert!(close(s, want), "{working:?} {spoken:?}: {s}");
        assert_eq!(t, text);
    }
}

#[test]
fn possessive_of_a_name_ending_in_s() {
    let mut n = need();
    n.state = state("PHL", "Philippines", Some(RegionalGroup::AsiaPacific));
    n.language_source = LanguageSource::ContactPoints;
    n.languages = vec![Language::En];
    let e = expert(1);
    assert_eq!(
        factor(&n, &e, Factor::Language).1,
        "Speaks English, the language of Philippines' contact points."
    );
    assert_eq!(
        factor(&n, &e, Factor::Region).1,
        "Has worked in Asia-Pacific, Philippines' region."
    );
}

#[test]
fn region_factor() {
    let mut n = need();
    let mut e = expert(1);
    assert_eq!(
        factor(&n, &e, Factor::Region),
        (1.0, "Has worked in Africa, Benin's region.".to_owned())
    );
    e.regions = vec![RegionalGroup::EasternEurope];
    assert_eq!(
        factor(&n, &e, Factor::Region),
        (0.0, "Has not worked in Africa, Benin's region.".to_owned())
    );
    e.regions.clear();
    assert_eq!(factor(&n, &e, Factor::Region).0, 0.0);
    n.state = state("VAT", "Holy See", None);
    assert_eq!(
        factor(&n, &e, Factor::Region),
        (0.5, "Holy See belongs to no regional group.".to_owned())
    );
}

#[test]
fn availability_over_the_need_period() {
    // (need start, need end, expert from, expert until, score numerator/denominator, text)
    type Case = (
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        (i64, i64),
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (
            "2027-03-01",
            "2027-06-30",
            None,
            None,
            (122, 122),
            "Available for the whole of the need's period (1 March to 30 June 2027).",
        ),
        (
            "2027-03-01",
            "2027-06-30",
            Some("2027-02-01"),
            Some("2027-06-30"),
            (122, 122),
            "Available for the whole of the need's period (1 March to 30 June 2027).",
        ),
        // April 30 + May 31 + June 30 days.
        (
            "2027-03-01",
            "2027-06-30",
            Some("2027-04-01"),
            None,
            (91, 122),
            "Available for 91 of the 122 days of the need's period (1 March to 30 June 2027).",
        ),
        (
            "2027-03-01",
            "2027-06-30",
            None,
            Some("2027-03-31"),
            (31, 122),
            "Available for 31 of the 122 days of the need's period (1 March to 30 June 2027).",
        ),
        (
            "2027-03-01",
            "2027-06-30",
            Some("2027-07-01"),
            None,
            (0, 122),
            "Not available during the need's period (1 March to 30 June 2027).",
        ),
        (
            "2027-03-01",
            "2027-06-30",
            None,
            Some("2027-02-28"),
            (0, 122),
            "Not available during the need's period (1 March to 30 June 2027).",
        ),
        // Both ends count: the window touches the period on its last day.
        (
            "2027-03-01",
            "2027-06-30",
            Some("2027-06-30"),
            None,
            (1, 122),
            "Available for 1 of the 122 days of the need's period (1 March to 30 June 2027).",
        ),
        // A leap February.
        (
            "2028-02-01",
            "2028-02-29",
            None,
            Some("2028-02-28"),
            (28, 29),
            "Available for 28 of the 29 days of the need's period (1 to 29 February 2028).",
        ),
        // Across a new year.
        (
            "2027-12-01",
            "2028-01-31",
            Some("2028-01-01"),
            None,
            (31, 62),
            "Available for 31 of the 62 days of the need's period (1 December 2027 to 31 January 2028).",
        ),
        (
            "2027-05-09",
            "2027-05-09",
            None,
            None,
            (1, 1),
            "Available for the whole of the need's period (9 May 2027).",
        ),
    ];
    for (start, end, from, until, (num, den), text) in cases {
        let mut n = need();
        n.period_start = Some(d(start));
        n.period_end = Some(d(end));
        let mut e = expert(1);
        e.available_from = from.map(d);
        e.available_until = until.map(d);
        let (s, t) = factor(&n, &e, Factor::Availability);
        assert!(
            close(s, num as f64 / den as f64),
            "{start}..{end} / {from:?}..{until:?}: {s}"
        );
        assert_eq!(t, text);
    }
}

#[test]
fn availability_without_a_need_period_looks_at_today() {
    type Case = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        f64,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        (None, None, None, None, 1.0, "Available now."),
        (None, None, Some(TODAY), None, 1.0, "Available now."),
        (
            None,
            None,
            Some("2026-01-01"),
            Some(TODAY),
            1.0,
            "Available now, until 15 January 2027.",
        ),
        (
            None,
            None,
            Some("2027-01-16"),
            None,
            0.5,
            "Available only from 16 January 2027, not now.",
        ),
        (
            None,
            None,
            None,
            Some("2027-01-14"),
            0.0,
            "No longer available.",
        ),
        // Half a period is no period: only its start, or only its end, or ends reversed.
        (
            Some("2027-03-01"),
            None,
            Some("2027-02-01"),
            None,
            0.5,
            "Available only from 1 February 2027, not now.",
        ),
        (None, Some("2027-03-01"), None, None, 1.0, "Available now."),
        (
            Some("2027-06-30"),
            Some("2027-03-01"),
            None,
            None,
            1.0,
            "Available now.",
        ),
    ];
    for (start, end, from, until, want, text) in cases {
        let mut n = need();
        n.period_start = start.map(d);
        n.period_end = end.map(d);
        let mut e = expert(1);
        e.available_from = from.map(d);
        e.available_until = until.map(d);
        let (s, t) = factor(&n, &e, Factor::Availability);
        assert!(close(s, want), "{from:?}..{until:?}: {s}");
        assert_eq!(t, text);
    }
}

// --- Score, weights, ranking ---------------------------------------------------------------

#[test]
fn default_weights_sum_to_one() {
    let w = Weights::default();
    let sum = w.area + w.assistance_type + w.language + w.region + w.availability + w.south_south;
    assert!(close(sum, 1.0), "{sum}");
}

#[test]
fn score_is_the_weighted_sum_in_factor_order() {
    let n = need();
    let mut e = expert(7);
    e.languages = vec![Language::En]; // language 0
    e.regions = vec![]; // region 0
    e.available_from = Some(d("2027-03-01")); // availability 0.5
    let c = score(&n, &e, &Weights::default(), today());
    assert_eq!(c.expert, Uuid::from_u128(7));
    let order: Vec<Factor> = c.reasons.iter().map(|r| r.factor).collect();
    assert_eq!(
        order,
        vec![
            Factor::Area,
            Factor::AssistanceType,
            Factor::Language,
            Factor::Region,
            Factor::Availability,
            Factor::SouthSouth
        ]
    );
    assert!(
        close(c.score, 0.30 + 0.20 + 0.0 + 0.0 + 0.05 + 0.10),
        "{}",
        c.score
    );

    let w = Weights {
        area: 0.0,
        assistance_type: 0.0,
        language: 0.0,
        region: 0.0,
        availability: 1.0,
        south_south: 0.0,
    };
    assert!(close(score(&n, &e, &w, today()).score, 0.5));
    let best = score(&n, &expert(1), &Weights::default(), today());
    assert!(close(best.score, 1.0), "{}", best.score);
}

#[test]
fn rank_orders_by_score_then_id_and_keeps_first() {
    let n = need();
    let mut roster = Vec::new();
    // 5: perfect. 3 and 4: tie (no French). 2: ineligible (a national). 1: no region.
    roster.push(expert(5));
    for id in [4, 3] {
        let mut e = expert(id);
        e.languages = vec![Language::En];
        roster.push(e);
    }
    let mut national = expert(2);
    national.nationality = Some("BEN".into());
    roster.push(national);
    let mut e = expert(1);
    e.regions = vec![];
    roster.push(e);

    let ids = |cs: &[Candidate]| cs.iter().map(|c| c.expert.as_u128()).collect::<Vec<_>>();
    let w = Weights::default();
    assert_eq!(ids(&rank(&n, &roster, &w, today(), 10)), vec![5, 1, 3, 4]);
    assert_eq!(ids(&rank(&n, &roster, &w, today(), 2)), vec![5, 1]);
    assert_eq!(ids(&rank(&n, &roster, &w, today(), 3)), vec![5, 1, 3]);
    assert!(rank(&n, &roster, &w, today(), 0).is_empty());

    // The same roster in another order ranks the same.
    let mut reversed = roster.clone();
    reversed.reverse();
    assert_eq!(ids(&rank(&n, &reversed, &w, today(), 10)), vec![5, 1, 3, 4]);

    // All the weight on the region: the one who has not worked in Africa comes last.
    let region_only = Weights {
        area: 0.0,
        assistance_type: 0.0,
        language: 0.0,
        region: 1.0,
        availability: 0.0,
        south_south: 0.0,
    };
    assert_eq!(
        ids(&rank(&n, &roster, &region_only, today(), 10)),
        vec![3, 4, 5, 1]
    );
}

#[test]
fn rank_gives_nobody_to_a_need_for_no_person() {
    let mut n = need();
    n.types = vec![AssistanceType::Financial, AssistanceType::Equipment];
    // The expert works in the need's area, so would be eligible by area alone.
    assert!(eligible(&n, &expert(1), today()));
    assert!(rank(&n, &[expert(1)], &Weights::default(), today(), 10).is_empty());
}

// --- Languages -----------------------------------------------------------------------------

#[test]
fn official_languages_table() {
    use Language::*;
    for w in OFFICIAL.windows(2) {
        assert!(w[0].0 < w[1].0, "sorted and unique: {} {}", w[0].0, w[1].0);
    }
    for (code, langs) in OFFICIAL {
        assert_eq!(code.len(), 3, "{code}");
        assert!(!langs.is_empty(), "{code}");
        assert_ne!(
            *langs,
            [En].as_slice(),
            "{code}: English alone is the default"
        );
    }
    let cases: Vec<(&str, &[Language])> = vec![
        ("BEN", &[Fr]),
        ("CMR", &[Fr, En]),
        ("CAN", &[En, Fr]),
        ("COL", &[Es]),
        ("IRQ", &[Ar]),
        ("LBN", &[Ar, Fr]),
        ("RUS", &[Ru]),
        ("CHN", &[Zh]),
        ("LAO", &[En]),
        ("GBR", &[En]),
        ("XXX", &[En]),
        ("", &[En]),
    ];
    for (code, want) in cases {
        assert_eq!(official(code), want, "{code}");
    }
}

#[test]
fn working_languages_prefer_contact_points() {
    use Language::*;
    assert_eq!(
        working("BEN", Some(RegionalGroup::Africa), &[]),
        (vec![Fr], LanguageSource::Official)
    );
    assert_eq!(
        working("COL", Some(RegionalGroup::LatinAmericaCaribbean), &[]),
        (vec![Es], LanguageSource::Official)
    );
    // The region does not stand in for the table: Jamaica works in English.
    assert_eq!(
        working("JAM", Some(RegionalGroup::LatinAmericaCaribbean), &[]),
        (vec![En], LanguageSource::Official)
    );
    // One contact point's language is enough, even one the table does not name.
    assert_eq!(
        working("COL", Some(RegionalGroup::LatinAmericaCaribbean), &[Fr]),
        (vec![Fr], LanguageSource::ContactPoints)
    );
    assert_eq!(
        working("BEN", Some(RegionalGroup::Africa), &[En, Fr, En]),
        (vec![En, Fr], LanguageSource::ContactPoints)
    );
}

#[test]
fn rank_equals_scoring_everyone_and_sorting() {
    use AssistanceType::*;
    // A varied roster with many ties, from a small deterministic generator.
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let roster: Vec<ExpertFacts> = (0..300)
        .map(|i| {
            let mut e = expert(1_000 - i);
            e.areas = match next(3) {
                0 => vec![ThematicArea::Clearance],
                1 => vec![ThematicArea::VictimAssistance],
                _ => vec![ThematicArea::Clearance, ThematicArea::Universalization],
            };
            e.types = [
                vec![TechnicalExpertise],
                vec![Training],
                vec![Training, TechnicalExpertise],
                vec![Equipment],
            ][next(4) as usize]
                .clone();
            e.languages = [
                vec![Language::En],
                vec![Language::Fr],
                vec![Language::Es, Language::Fr],
            ][next(3) as usize]
                .clone();
            e.regions = if next(2) == 0 {
                vec![RegionalGroup::Africa]
            } else {
                vec![]
            };
            e.available_from =
                [None, Some(d("2027-04-01")), Some(d("2026-01-01"))][next(3) as usize];
            e.available_until =
                [None, Some(d("2027-05-15")), Some(d("2027-01-01"))][next(3) as usize];
            e.south_south = next(2) == 0;
            e.active = next(10) > 0;
            e.nationality = if next(20) == 0 {
                Some("BEN".into())
            } else {
                e.nationality
            };
            e
        })
        .collect();
    let mut n = need();
    n.types = vec![TechnicalExpertise, Training];
    n.period_start = Some(d("2027-03-01"));
    n.period_end = Some(d("2027-06-30"));
    let w = Weights::default();
    let mut all: Vec<Candidate> = roster
        .iter()
        .filter(|e| eligible(&n, e, today()))
        .map(|e| score(&n, e, &w, today()))
        .collect();
    all.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.expert.cmp(&b.expert)));
    assert!(all.len() > 100, "{}", all.len());
    for first in [1, 2, 7, 50, all.len() - 1, all.len(), 1_000] {
        let want: Vec<Candidate> = all.iter().take(first).cloned().collect();
        assert_eq!(rank(&n, &roster, &w, today(), first), want, "first {first}");
    }
    assert!(
        all.iter()
            .all(|c| c.reasons.iter().all(|r| !r.explanation.is_empty()))
    );
}
