//! The content of an Article 7 report, Article 7(1)(a) to (n), as typed values.
//!
//! Stored as JSON with a format version (`{"format": 1, ...}`), so that the 2022 template can
//! come as format 2 without rewriting old reports. Validated here, at the boundary.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::kernel::error::{Code, Refusals};
use crate::kernel::money::Money;
use crate::kernel::validate::{self, ENTRY_TEXT, LONG_TEXT, Lines};

/// The current storage format.
pub const FORMAT: u32 = 1;
/// Most entries in one list section.
pub const MAX_ENTRIES: usize = 1_000;

/// Article 7(1)(b), (e), (f): stockpiles and their destruction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockpileEntry {
    pub munition_type: String,
    pub munitions: i64,
    pub submunitions: i64,
    pub retained: i64,
    pub destroyed_this_period: i64,
}

/// Article 7(1)(h): size and location of contaminated areas.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContaminatedArea {
    pub location: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub area_square_metres: Decimal,
    pub remnant_types: Option<String>,
}

/// Article 7(1)(i): clearance progress.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClearanceEntry {
    pub location: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub area_cleared_square_metres: Decimal,
    pub remnants_destroyed: i64,
}

/// Article 7(1)(n): cooperation and assistance provided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssistanceProvided {
    pub recipient: String,
    /// Stored as the contract's enum name, e.g. "CLEARANCE".
    pub thematic_area: entity::enums::ThematicArea,
    pub amount: Option<Money>,
    pub description: Option<String>,
}

/// Every section of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Sections {
    /// (a) national implementation measures.
    pub national_implementation_measures: Option<String>,
    /// (b), (e), (f).
    pub stockpiles: Vec<StockpileEntry>,
    /// (c), (d) technical characteristics and conversion of production facilities.
    pub production_facilities: Option<String>,
    /// (h).
    pub contaminated_areas: Vec<ContaminatedArea>,
    /// (i).
    pub clearance: Vec<ClearanceEntry>,
    /// (j).
    pub risk_reduction_education: Option<String>,
    /// (k).
    pub victim_assistance: Option<String>,
    /// (l).
    pub national_contact: Option<String>,
    /// (m).
    pub national_resources: Option<Money>,
    /// (n).
    pub cooperation_provided: Vec<AssistanceProvided>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    #[serde(flatten)]
    sections: Sections,
}

impl Sections {
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Stored {
            format: FORMAT,
            sections: self.clone(),
        })
        .unwrap_or_else(|_| "{}".into())
    }

    /// Reads any stored format; an empty or unknown document reads as empty sections.
    pub fn from_json(text: &str) -> Result<Self, String> {
        if text.trim().is_empty() || text.trim() == "{}" {
            return Ok(Self::default());
        }
        let stored: Stored = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match stored.format {
            FORMAT => Ok(stored.sections),
            other => Err(format!("unknown report format {other}")),
        }
    }
}

/// Changes to sections: a given field replaces the stored one, lists as a whole.
#[derive(Clone, Debug, Default)]
pub struct SectionsPatch {
    pub national_implementation_measures: Option<String>,
    pub stockpiles: Option<Vec<StockpileEntry>>,
    pub production_facilities: Option<String>,
    pub contaminated_areas: Option<Vec<ContaminatedArea>>,
    pub clearance: Option<Vec<ClearanceEntry>>,
    pub risk_reduction_education: Option<String>,
    pub victim_assistance: Option<String>,
    pub national_contact: Option<String>,
    pub national_resources: Option<Money>,
    pub cooperation_provided: Option<Vec<AssistanceProvided>>,
}

impl SectionsPatch {
    pub fn apply(self, s: &mut Sections) {
        fn set<T>(target: &mut T, v: Option<T>) {
            if let Some(v) = v {
                *target = v;
            }
        }
        fn set_opt<T>(target: &mut Option<T>, v: Option<T>) {
            if let Some(v) = v {
                *target = Some(v);
            }
        }
        set_opt(
            &mut s.national_implementation_measures,
            self.national_implementation_measures,
        );
        set(&mut s.stockpiles, self.stockpiles);
        set_opt(&mut s.production_facilities, self.production_facilities);
        set(&mut s.contaminated_areas, self.contaminated_areas);
        set(&mut s.clearance, self.clearance);
        set_opt(
            &mut s.risk_reduction_education,
            self.risk_reduction_education,
        );
        set_opt(&mut s.victim_assistance, self.victim_assistance);
        set_opt(&mut s.national_contact, self.national_contact);
        set_opt(&mut s.national_resources, self.national_resources);
        set(&mut s.cooperation_provided, self.cooperation_provided);
    }
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

fn refs(p: &[String]) -> Vec<&str> {
    p.iter().map(String::as_str).collect()
}

fn push(r: &mut Refusals, p: Vec<String>, message: impl Into<String>) {
    r.push(Code::InvalidInput, &refs(&p), message);
}

/// An entry's short text: a location, a type of munition, a recipient.
fn short(r: &mut Refusals, p: Vec<String>, text: &str) {
    validate::required(r, &refs(&p), text, ENTRY_TEXT, Lines::One);
}

/// A section's free text, or an entry's description.
fn long(r: &mut Refusals, p: Vec<String>, text: Option<&str>) {
    validate::optional(r, &refs(&p), text, LONG_TEXT, Lines::Many);
}

fn area_ok(a: &Decimal) -> Result<(), &'static str> {
    if a.is_sign_negative() && !a.is_zero() {
        Err("An area must not be negative.")
    } else if a.normalize().scale() > 2 {
        Err("An area has at most 2 decimals.")
    } else {
        Ok(())
    }
}

/// Checks every section; refusals name the input path, e.g.
/// `["input", "sections", "stockpiles", "2", "munitions"]`.
pub fn validate(s: &Sections, refusals: &mut Refusals) {
    let base = ["input", "sections"];
    let at = |rest: &[&str]| {
        let mut p = path(&base);
        p.extend(rest.iter().map(|x| (*x).to_owned()));
        p
    };
    for (name, text) in [
        (
            "nationalImplementationMeasures",
            &s.national_implementation_measures,
        ),
        ("productionFacilities", &s.production_facilities),
        ("riskReductionEducation", &s.risk_reduction_education),
        ("victimAssistance", &s.victim_assistance),
        ("nationalContact", &s.national_contact),
    ] {
        long(refusals, at(&[name]), text.as_deref());
    }
    for (name, len) in [
        ("stockpiles", s.stockpiles.len()),
        ("contaminatedAreas", s.contaminated_areas.len()),
        ("clearance", s.clearance.len()),
        ("cooperationProvided", s.cooperation_provided.len()),
    ] {
        if len > MAX_ENTRIES {
            push(
                refusals,
                at(&[name]),
                format!("At most {MAX_ENTRIES} entries."),
            );
        }
    }
    for (i, e) in s.stockpiles.iter().enumerate() {
        let i = i.to_string();
        short(
            refusals,
            at(&["stockpiles", &i, "munitionType"]),
            &e.munition_type,
        );
        for (f, v) in [
            ("munitions", e.munitions),
            ("submunitions", e.submunitions),
            ("retained", e.retained),
            ("destroyedThisPeriod", e.destroyed_this_period),
        ] {
            if v < 0 {
                push(
                    refusals,
                    at(&["stockpiles", &i, f]),
                    "A quantity must not be negative.",
                );
            }
        }
    }
    for (i, a) in s.contaminated_areas.iter().enumerate() {
        let i = i.to_string();
        short(
            refusals,
            at(&["contaminatedAreas", &i, "location"]),
            &a.location,
        );
        if let Err(m) = area_ok(&a.area_square_metres) {
            push(
                refusals,
                at(&["contaminatedAreas", &i, "areaSquareMetres"]),
                m,
            );
        }
    }
    for (i, c) in s.clearance.iter().enumerate() {
        let i = i.to_string();
        short(refusals, at(&["clearance", &i, "location"]), &c.location);
        if let Err(m) = area_ok(&c.area_cleared_square_metres) {
            push(
                refusals,
                at(&["clearance", &i, "areaClearedSquareMetres"]),
                m,
            );
        }
        if c.remnants_destroyed < 0 {
            push(
                refusals,
                at(&["clearance", &i, "remnantsDestroyed"]),
                "A quantity must not be negative.",
            );
        }
    }
    if let Some(m) = &s.national_resources {
        validate::money(refusals, &refs(&at(&["nationalResources"])), m, true);
    }
    for (i, c) in s.cooperation_provided.iter().enumerate() {
        let i = i.to_string();
        short(
            refusals,
            at(&["cooperationProvided", &i, "recipient"]),
            &c.recipient,
        );
        if let Some(m) = &c.amount {
            let p = at(&["cooperationProvided", &i, "amount"]);
            validate::money(refusals, &refs(&p), m, true);
        }
        long(
            refusals,
            at(&["cooperationProvided", &i, "description"]),
            c.description.as_deref(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn sections_round_trip_through_versioned_json() {
        let s = Sections {
            national_implementation_measures: Some("Law 12/2011".into()),
            stockpiles: vec![StockpileEntry {
                munition_type: "BLU-26".into(),
                munitions: 10,
                submunitions: 6_000,
                retained: 0,
                destroyed_this_period: 10,
            }],
            contaminated_areas: vec![ContaminatedArea {
                location: "Xieng Khouang".into(),
                area_square_metres: dec("12500.50"),
                remnant_types: None,
            }],
            national_resources: Some(Money::new(dec("250000"), "LAK")),
            ..Default::default()
        };
        let json = s.to_json();
        assert!(json.contains("\"format\":1"));
        assert_eq!(Sections::from_json(&json), Ok(s));
        assert_eq!(Sections::from_json("{}"), Ok(Sections::default()));
        assert!(Sections::from_json(r#"{"format": 9}"#).is_err());
    }

    #[test]
    fn negative_quantities_fine_areas_and_bad_currencies_are_refused_with_their_path() {
        let s = Sections {
            stockpiles: vec![StockpileEntry {
                munition_type: "M26".into(),
                munitions: -1,
                ..Default::default()
            }],
            contaminated_areas: vec![ContaminatedArea {
                location: "A".into(),
                area_square_metres: dec("1.005"),
                remnant_types: None,
            }],
            clearance: vec![ClearanceEntry {
                location: " ".into(),
                area_cleared_square_metres: dec("-3"),
                remnants_destroyed: 0,
            }],
            national_resources: Some(Money::new(dec("1"), "ZZZ")),
            ..Default::default()
        };
        let mut r = Refusals::default();
        validate(&s, &mut r);
        let Err(crate::kernel::error::ServiceError::Refused(list)) = r.finish() else {
            panic!("refused");
        };
        let paths: Vec<String> = list
            .iter()
            .map(|r| r.field.clone().unwrap_or_default().join("."))
            .collect();
        assert!(
            paths.contains(&"input.sections.stockpiles.0.munitions".to_owned()),
            "{paths:?}"
        );
        assert!(paths.contains(&"input.sections.contaminatedAreas.0.areaSquareMetres".to_owned()));
        assert!(paths.contains(&"input.sections.clearance.0.location".to_owned()));
        assert!(paths.contains(&"input.sections.clearance.0.areaClearedSquareMetres".to_owned()));
        assert!(paths.contains(&"input.sections.nationalResources".to_owned()));
        assert_eq!(list.len(), 5);
    }

    #[test]
    fn a_patch_replaces_only_the_fields_it_gives() {
        let mut s = Sections {
            victim_assistance: Some("old".into()),
            national_contact: Some("MoFA".into()),
            ..Default::default()
        };
        SectionsPatch {
            victim_assistance: Some("new".into()),
            ..Default::default()
        }
        .apply(&mut s);
        assert_eq!(s.victim_assistance.as_deref(), Some("new"));
        assert_eq!(s.national_contact.as_deref(), Some("MoFA"));
    }
}
