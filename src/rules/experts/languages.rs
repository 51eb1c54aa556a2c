//! The UN languages each State works in, for suggesting experts who speak them: a small
//! table (docs/domain.md §13).
//!
//! The rule: a needing State works in the languages of its active contact points when it has
//! any ([`LanguageSource::ContactPoints`]); otherwise in the languages of [`OFFICIAL`], the
//! table below of the States whose UN working language is not English only (French, Spanish,
//! Arabic, Russian, Chinese, or several for a few, e.g. Cameroon and Canada, English and
//! French), and English for every State the table does not name
//! ([`LanguageSource::Official`]).
//!
//! The regional group is not used as a fallback: it would be wrong too often (English in
//! most of the Caribbean, Portuguese-speaking Africa, French and English in Africa), and a
//! State missing from the table is better served by English than by a guess.

use super::LanguageSource;
use crate::kernel::vocabulary::{Language, RegionalGroup};

use Language::{Ar, En, Es, Fr, Ru, Zh};

/// The States whose UN working language is not English only, by ISO 3166-1 alpha-3 code,
/// sorted by code; each with its languages, the first the most used.
pub const OFFICIAL: &[(&str, &[Language])] = &[
    ("AND", &[Es, Fr]),
    ("ARE", &[Ar]),
    ("ARG", &[Es]),
    ("BDI", &[Fr, En]),
    ("BEL", &[Fr]),
    ("BEN", &[Fr]),
    ("BFA", &[Fr]),
    ("BHR", &[Ar]),
    ("BLR", &[Ru]),
    ("BOL", &[Es]),
    ("CAF", &[Fr]),
    ("CAN", &[En, Fr]),
    ("CHE", &[Fr]),
    ("CHL", &[Es]),
    ("CHN", &[Zh]),
    ("CIV", &[Fr]),
    ("CMR", &[Fr, En]),
    ("COD", &[Fr]),
    ("COG", &[Fr]),
    ("COL", &[Es]),
    ("COM", &[Fr, Ar]),
    ("CRI", &[Es]),
    ("CUB", &[Es]),
    ("DJI", &[Fr, Ar]),
    ("DOM", &[Es]),
    ("DZA", &[Ar, Fr]),
    ("ECU", &[Es]),
    ("EGY", &[Ar]),
    ("ESP", &[Es]),
    ("FRA", &[Fr]),
    ("GAB", &[Fr]),
    ("GIN", &[Fr]),
    ("GNQ", &[Es, Fr]),
    ("GTM", &[Es]),
    ("HND", &[Es]),
    ("HTI", &[Fr]),
    ("IRQ", &[Ar]),
    ("JOR", &[Ar]),
    ("KAZ", &[Ru]),
    ("KGZ", &[Ru]),
    ("KWT", &[Ar]),
    ("LBN", &[Ar, Fr]),
    ("LBY", &[Ar]),
    ("LUX", &[Fr]),
    ("MAR", &[Ar, Fr]),
    ("MCO", &[Fr]),
    ("MDG", &[Fr, En]),
    ("MEX", &[Es]),
    ("MLI", &[Fr]),
    ("MRT", &[Ar, Fr]),
    ("MUS", &[En, Fr]),
    ("NER", &[Fr]),
    ("NIC", &[Es]),
    ("OMN", &[Ar]),
    ("PAN", &[Es]),
    ("PER", &[Es]),
    ("PRY", &[Es]),
    ("PSE", &[Ar]),
    ("QAT", &[Ar]),
    ("RUS", &[Ru]),
    ("RWA", &[Fr, En]),
    ("SAU", &[Ar]),
    ("SDN", &[Ar]),
    ("SEN", &[Fr]),
    ("SLV", &[Es]),
    ("SOM", &[Ar, En]),
    ("SYC", &[En, Fr]),
    ("SYR", &[Ar]),
    ("TCD", &[Fr, Ar]),
    ("TGO", &[Fr]),
    ("TJK", &[Ru]),
    ("TUN", &[Ar, Fr]),
    ("URY", &[Es]),
    ("VEN", &[Es]),
    ("VUT", &[En, Fr]),
    ("YEM", &[Ar]),
];

/// The UN languages `code` (ISO 3166-1 alpha-3) officially works in: its row of
/// [`OFFICIAL`], English when it has none.
pub fn official(code: &str) -> &'static [Language] {
    match OFFICIAL.binary_search_by(|(c, _)| (*c).cmp(code)) {
        Ok(i) => OFFICIAL[i].1,
        Err(_) => &[En],
    }
}

/// The needing State's working languages: its active contact points' languages (each once,
/// in their order) when it has any, else [`official`]. The regional group is not used (see
/// the module's documentation); the parameter stays for callers that have it.
pub fn working(
    code: &str,
    _region: Option<RegionalGroup>,
    contact_languages: &[Language],
) -> (Vec<Language>, LanguageSource) {
    if contact_languages.is_empty() {
        return (official(code).to_vec(), LanguageSource::Official);
    }
    let mut out = Vec::with_capacity(contact_languages.len());
    for l in contact_languages {
        if !out.contains(l) {
            out.push(*l);
        }
    }
    (out, LanguageSource::ContactPoints)
}
