//! Suggesting experts for a need (docs/domain.md §13): who is eligible, factor scores with
//! configurable weights, a sentence per factor a coordinator can read aloud, the ranking, and
//! whether an expert's experience is South-South. No database, no GraphQL.
//!
//! - Eligible ([`eligible`]): the expert is active, is not a national of the needing State,
//!   is not unavailable for good (`available_until`, when given, is today or later), and works
//!   in the need's area or offers one of the kinds of help a person gives that the need asks
//!   for (technical expertise, training).
//! - Factors ([`score`]), each 0 to 1, summed with [`Weights`]: the area (1 or 0); the
//!   assistance type (the share of the need's technical expertise and training the expert
//!   offers); the language (1 when the expert speaks one of the needing State's working
//!   languages, [`languages::working`], 0 otherwise, 0.5 when none is known); the region (1
//!   when the expert has worked in the needing State's regional group, 0 otherwise, 0.5 when
//!   the State has none); the availability (with a need period, both ends given: the share of
//!   its days the expert's window covers, open ends covering; otherwise 1 when available
//!   today, 0.5 when only later, 0 when no longer); South-South (1 or 0, [`south_south`]).
//! - Ranking ([`rank`]): eligible experts only, best score first, ties by expert id
//!   ascending, the `first` of them; nobody when the need asks for no person
//!   ([`wants_experts`]).

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::kernel::vocabulary::{AssistanceType, Language, RegionalGroup, ThematicArea};
use crate::rules::matching::{area_name, region_name};

pub mod languages;
#[cfg(test)]
mod tests;

/// The factors of a suggestion's score, in the contract's order (`ExpertMatchFactor`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Factor {
    Area,
    AssistanceType,
    Language,
    Region,
    Availability,
    SouthSouth,
}

/// Weights of the factors; they sum to 1. Configurable (`ISU_EXPERT_WEIGHTS`), defaults in
/// docs/domain.md §13.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub area: f64,
    pub assistance_type: f64,
    pub language: f64,
    pub region: f64,
    pub availability: f64,
    pub south_south: f64,
}

/// What the rules need to know of a State: for South-South and for the needing State.
#[derive(Clone, Debug, PartialEq)]
pub struct StateFacts {
    pub code: String,
    pub name: String,
    pub region: Option<RegionalGroup>,
    pub contaminated: bool,
    pub holds_stockpiles: bool,
    pub has_victims: bool,
    pub stockpile_destruction_completed: bool,
    pub clearance_completed: bool,
}

/// Where a needing State's working languages come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LanguageSource {
    /// The languages of its active contact points.
    ContactPoints,
    /// The table of official languages ([`languages::official`]), when it has no contact
    /// point.
    Official,
}

/// What the suggestion needs to know about a need.
#[derive(Clone, Debug)]
pub struct NeedFacts {
    pub state: StateFacts,
    pub area: ThematicArea,
    pub types: Vec<AssistanceType>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The needing State's working languages, and where they come from.
    pub languages: Vec<Language>,
    pub language_source: LanguageSource,
}

/// What the suggestion needs to know about an expert.
#[derive(Clone, Debug)]
pub struct ExpertFacts {
    pub id: Uuid,
    /// The code of the expert's State.
    pub nationality: Option<String>,
    /// The name of the expert's State, for the South-South sentence (the code stands in
    /// when it is missing).
    pub nationality_name: Option<String>,
    pub areas: Vec<ThematicArea>,
    pub types: Vec<AssistanceType>,
    pub languages: Vec<Language>,
    pub regions: Vec<RegionalGroup>,
    pub available_from: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    /// [`south_south`] of the expert's State and areas.
    pub south_south: bool,
    pub active: bool,
}

/// One factor's contribution, with a sentence a coordinator can read aloud.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub factor: Factor,
    /// This factor's own score, 0 to 1.
    pub score: f64,
    pub explanation: String,
}

/// A ranked expert: the weighted sum of the reasons (0 to 1), reasons in [`Factor`] order.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub expert: Uuid,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            area: 0.30,
            assistance_type: 0.20,
            language: 0.20,
            region: 0.10,
            availability: 0.10,
            south_south: 0.10,
        }
    }
}

/// Whether a need with these types is met by a person: it asks for technical expertise or
/// training.
pub fn wants_experts(types: &[AssistanceType]) -> bool {
    types.iter().any(|t| {
        matches!(
            t,
            AssistanceType::TechnicalExpertise | AssistanceType::Training
        )
    })
}

/// Whether an expert from `state`, working in `areas`, brings South-South experience: the
/// State is contaminated, holds or held stockpiles, or has victims, or it has completed
/// clearance and the expert works in clearance. (An expert without a nationality has none:
/// the caller has no `state` to give.)
pub fn south_south(state: &StateFacts, areas: &[ThematicArea]) -> bool {
    state.contaminated
        || state.holds_stockpiles
        || state.stockpile_destruction_completed
        || state.has_victims
        || (state.clearance_completed && areas.contains(&ThematicArea::Clearance))
}

/// Whether `t` is help a person gives: technical expertise or training.
fn personal(t: AssistanceType) -> bool {
    matches!(
        t,
        AssistanceType::TechnicalExpertise | AssistanceType::Training
    )
}

/// The kinds of help a person gives that the need asks for, each once, in the need's order.
fn person_types(need: &NeedFacts) -> Vec<AssistanceType> {
    let mut out = Vec::with_capacity(2);
    for t in need.types.iter().copied().filter(|t| personal(*t)) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Whether `expert` may be suggested for `need` at all.
pub fn eligible(need: &NeedFacts, expert: &ExpertFacts, today: NaiveDate) -> bool {
    expert.active
        && expert.nationality.as_deref() != Some(need.state.code.as_str())
        && expert.available_until.is_none_or(|until| until >= today)
        && (expert.areas.contains(&need.area)
            || need
                .types
                .iter()
                .any(|t| personal(*t) && expert.types.contains(t)))
}

/// The score of an eligible expert for `need`, with a reason per factor.
pub fn score(
    need: &NeedFacts,
    expert: &ExpertFacts,
    weights: &Weights,
    today: NaiveDate,
) -> Candidate {
    let reasons = reasons(need, expert, today, Say::Explain);
    Candidate {
        expert: expert.id,
        score: total(weights, &reasons),
        reasons: reasons.into(),
    }
}

/// The `first` best eligible experts for `need`, best first; ties by expert id ascending.
/// Nobody when the need asks for neither technical expertise nor training.
///
/// Every eligible expert is scored without the sentences (no text is built for a roster of
/// thousands); only the `first` chosen are scored again with them, to the same score.
pub fn rank(
    need: &NeedFacts,
    experts: &[ExpertFacts],
    weights: &Weights,
    today: NaiveDate,
    first: usize,
) -> Vec<Candidate> {
    if first == 0 || !wants_experts(&need.types) {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &ExpertFacts)> = experts
        .iter()
        .filter(|e| eligible(need, e, today))
        .map(|e| (total(weights, &reasons(need, e, today, Say::Nothing)), e))
        .collect();
    let order = |a: &(f64, &ExpertFacts), b: &(f64, &ExpertFacts)| {
        b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id))
    };
    if scored.len() > first {
        scored.select_nth_unstable_by(first - 1, order);
        scored.truncate(first);
    }
    scored.sort_unstable_by(order);
    scored
        .into_iter()
        .map(|(_, e)| score(need, e, weights, today))
        .collect()
}

/// Whether a factor writes its sentence, or only computes its score.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Say {
    Explain,
    Nothing,
}

impl Say {
    /// The sentence `text` writes, when it is wanted.
    fn text(self, text: impl FnOnce() -> String) -> String {
        match self {
            Say::Explain => text(),
            Say::Nothing => String::new(),
        }
    }
}

/// The six reasons, in [`Factor`] order.
fn reasons(need: &NeedFacts, expert: &ExpertFacts, today: NaiveDate, say: Say) -> [Reason; 6] {
    [
        area(need, expert, say),
        assistance_type(need, expert, say),
        language(need, expert, say),
        region(need, expert, say),
        availability(need, expert, today, say),
        south_south_reason(expert, say),
    ]
}

/// The weighted sum of `reasons`.
fn total(w: &Weights, reasons: &[Reason]) -> f64 {
    reasons.iter().map(|r| weight(w, r.factor) * r.score).sum()
}

fn weight(w: &Weights, factor: Factor) -> f64 {
    match factor {
        Factor::Area => w.area,
        Factor::AssistanceType => w.assistance_type,
        Factor::Language => w.language,
        Factor::Region => w.region,
        Factor::Availability => w.availability,
        Factor::SouthSouth => w.south_south,
    }
}

fn reason(factor: Factor, score: f64, explanation: String) -> Reason {
    Reason {
        factor,
        score,
        explanation,
    }
}

fn area(need: &NeedFacts, expert: &ExpertFacts, say: Say) -> Reason {
    let name = area_name(need.area);
    if expert.areas.contains(&need.area) {
        reason(
            Factor::Area,
            1.0,
            say.text(|| format!("Works in {name}, the area of the need.")),
        )
    } else {
        reason(
            Factor::Area,
            0.0,
            say.text(|| format!("Does not work in {name}, the area of the need.")),
        )
    }
}

fn assistance_type(need: &NeedFacts, expert: &ExpertFacts, say: Say) -> Reason {
    // At most two kinds: counted without building lists unless a sentence is wanted.
    let (mut asked, mut offered) = (0u8, 0u8);
    let mut seen: [Option<AssistanceType>; 2] = [None, None];
    for t in need.types.iter().copied().filter(|t| personal(*t)) {
        if seen.contains(&Some(t)) {
            continue;
        }
        seen[usize::from(asked.min(1))] = Some(t);
        asked += 1;
        if expert.types.contains(&t) {
            offered += 1;
        }
    }
    if asked == 0 {
        return reason(
            Factor::AssistanceType,
            0.0,
            say.text(|| "The need asks for neither technical expertise nor training.".to_owned()),
        );
    }
    let share = f64::from(offered) / f64::from(asked);
    let explanation = say.text(|| {
        let (offered, missing): (Vec<AssistanceType>, Vec<AssistanceType>) = person_types(need)
            .iter()
            .partition(|t| expert.types.contains(t));
        let names = |ts: &[AssistanceType]| ts.iter().map(|t| type_name(*t)).collect::<Vec<_>>();
        if missing.is_empty() {
            format!(
                "Offers {}, as the need asks.",
                list(&names(&offered), "and")
            )
        } else if offered.is_empty() {
            format!(
                "Does not offer {}, which the need asks for.",
                list(&names(&missing), "or")
            )
        } else {
            format!(
                "Offers {} but not {}, which the need also asks for.",
                list(&names(&offered), "and"),
                list(&names(&missing), "or")
            )
        }
    });
    reason(Factor::AssistanceType, share, explanation)
}

fn language(need: &NeedFacts, expert: &ExpertFacts, say: Say) -> Reason {
    let state = &need.state.name;
    if need.languages.is_empty() {
        return reason(
            Factor::Language,
            0.5,
            say.text(|| format!("No working language of {state} is known.")),
        );
    }
    let speaks = need.languages.iter().any(|l| expert.languages.contains(l));
    let explanation = say.text(|| {
        let spoken: Vec<&str> = need
            .languages
            .iter()
            .filter(|l| expert.languages.contains(l))
            .map(|l| language_name(*l))
            .collect();
        let one = need.languages.len() == 1;
        let whose = match need.language_source {
            LanguageSource::ContactPoints => format!("of {} contact points", possessive(state)),
            LanguageSource::Official => format!("of {state}"),
        };
        let official = need.language_source == LanguageSource::Official;
        if spoken.is_empty() {
            let all: Vec<&str> = need.languages.iter().map(|l| language_name(*l)).collect();
            let what = match (official, one) {
                (true, true) => "an official language",
                (true, false) => "the official languages",
                (false, true) => "the language",
                (false, false) => "the languages",
            };
            return format!("Does not speak {}, {what} {whose}.", list(&all, "or"));
        }
        let what = match (official, one, spoken.len() == 1) {
            (true, _, true) => "an official language",
            (true, _, false) => "official languages",
            (false, true, _) => "the language",
            (false, false, true) => "a language",
            (false, false, false) => "languages",
        };
        format!("Speaks {}, {what} {whose}.", list(&spoken, "and"))
    });
    reason(
        Factor::Language,
        if speaks { 1.0 } else { 0.0 },
        explanation,
    )
}

fn region(need: &NeedFacts, expert: &ExpertFacts, say: Say) -> Reason {
    let state = &need.state.name;
    match need.state.region {
        None => reason(
            Factor::Region,
            0.5,
            say.text(|| format!("{state} belongs to no regional group.")),
        ),
        Some(r) if expert.regions.contains(&r) => reason(
            Factor::Region,
            1.0,
            say.text(|| {
                format!(
                    "Has worked in {}, {} region.",
                    region_name(r),
                    possessive(state)
                )
            }),
        ),
        Some(r) => reason(
            Factor::Region,
            0.0,
            say.text(|| {
                format!(
                    "Has not worked in {}, {} region.",
                    region_name(r),
                    possessive(state)
                )
            }),
        ),
    }
}

/// Days from `a` to `b`, both counted.
fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days() + 1
}

fn availability(need: &NeedFacts, expert: &ExpertFacts, today: NaiveDate, say: Say) -> Reason {
    let (from, until) = (expert.available_from, expert.available_until);
    if let (Some(start), Some(end)) = (need.period_start, need.period_end)
        && start <= end
    {
        let lo = from.map_or(start, |f| f.max(start));
        let hi = until.map_or(end, |u| u.min(end));
        let total = days(start, end);
        let covered = if hi < lo { 0 } else { days(lo, hi) };
        let share = covered as f64 / total as f64;
        let explanation = say.text(|| {
            let period = format!("the need's period ({})", span(start, end));
            if covered == total {
                format!("Available for the whole of {period}.")
            } else if covered == 0 {
                format!("Not available during {period}.")
            } else {
                format!("Available for {covered} of the {total} days of {period}.")
            }
        });
        return reason(Factor::Availability, share, explanation);
    }
    if until.is_some_and(|u| u < today) {
        return reason(
            Factor::Availability,
            0.0,
            say.text(|| "No longer available.".to_owned()),
        );
    }
    match (from, until) {
        (Some(f), _) if f > today => reason(
            Factor::Availability,
            0.5,
            say.text(|| format!("Available only from {}, not now.", date(f))),
        ),
        (_, Some(u)) => reason(
            Factor::Availability,
            1.0,
            say.text(|| format!("Available now, until {}.", date(u))),
        ),
        (_, None) => reason(
            Factor::Availability,
            1.0,
            say.text(|| "Available now.".to_owned()),
        ),
    }
}

fn south_south_reason(expert: &ExpertFacts, say: Say) -> Reason {
    let from = expert
        .nationality_name
        .as_deref()
        .or(expert.nationality.as_deref());
    match from {
        None => reason(
            Factor::SouthSouth,
            0.0,
            say.text(|| "Has no nationality on record.".to_owned()),
        ),
        Some(name) if expert.south_south => reason(
            Factor::SouthSouth,
            1.0,
            say.text(|| format!("Comes from {name}, itself affected: South-South cooperation.")),
        ),
        Some(name) => reason(
            Factor::SouthSouth,
            0.0,
            say.text(|| format!("Comes from {name}, which is not itself affected.")),
        ),
    }
}

/// A day as it is read aloud: "1 March 2027".
fn date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A period as it is read aloud: "1 March to 30 June 2027", "1 to 30 June 2027",
/// "1 December 2026 to 31 January 2027", or one day.
fn span(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        date(start)
    } else if start.year() != end.year() {
        format!("{} to {}", date(start), date(end))
    } else if start.month() != end.month() {
        format!("{} to {}", start.format("%-d %B"), date(end))
    } else {
        format!("{} to {}", start.day(), date(end))
    }
}

/// "A", "A and B", "A, B and C".
fn list(items: &[&str], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// "Benin's", "Philippines'".
fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

fn type_name(t: AssistanceType) -> &'static str {
    match t {
        AssistanceType::Financial => "financial assistance",
        AssistanceType::TechnicalExpertise => "technical expertise",
        AssistanceType::Equipment => "equipment",
        AssistanceType::Training => "training",
    }
}

/// The English name of a UN language.
pub fn language_name(l: Language) -> &'static str {
    match l {
        Language::Ar => "Arabic",
        Language::En => "English",
        Language::Es => "Spanish",
        Language::Fr => "French",
        Language::Ru => "Russian",
        Language::Zh => "Chinese",
    }
}
