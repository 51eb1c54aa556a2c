//! The resource base part of the demo: a roster of thirty invented experts (each one's
//! organization and biography say "invented"), two of them inactive, and five good
//! practices naming some of them and the demo's meeting documents. Written by the demo ISU
//! staff account through the services the mutations use; a second run changes nothing.
//!
//! The experts' availability is dated from the demo's today, so that the suggestions for the
//! demo needs (Iraq's technical expertise in clearance, Afghanistan's training in risk
//! education, Chad's legal drafting, the Lao survivors' training) show every case: available
//! now, only later, until a date; nationals of the needing State, never suggested; inactive
//! experts, never suggested.

use chrono::{Duration, NaiveDate};
use entity::enums::{
    AssistanceType as T, Gender as G, Language as L, RegionalGroup as R, ThematicArea as A,
};
use entity::{expert, good_practice, meeting_document};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::Demo;
use crate::domain::experts::practices::{self, NewPractice};
use crate::domain::experts::service::{self, ExpertInput};
use crate::kernel::error::ServiceError;

/// When an expert is available, in days from the demo's today.
#[derive(Clone, Copy)]
enum Window {
    /// No dates: available now, for as long as needed.
    Open,
    /// From a year ago to a year from now.
    ThisYear,
    /// Only from some days from now.
    From(i64),
    /// Until some days from now.
    Until(i64),
}

/// One invented expert of the roster.
struct Invented {
    name: &'static str,
    gender: G,
    nationality: &'static str,
    organization: &'static str,
    areas: &'static [A],
    types: &'static [T],
    languages: &'static [L],
    regions: &'static [R],
    years: i32,
    /// What the biography says the expert does, after "Invented for the demonstration:".
    work: &'static str,
    window: Window,
    /// Whether the ISU holds an email and a phone number.
    contact: bool,
    active: bool,
}

#[allow(clippy::too_many_arguments)]
const fn x(
    name: &'static str,
    gender: G,
    nationality: &'static str,
    organization: &'static str,
    areas: &'static [A],
    types: &'static [T],
    languages: &'static [L],
    regions: &'static [R],
    years: i32,
    work: &'static str,
    window: Window,
) -> Invented {
    Invented {
        name,
        gender,
        nationality,
        organization,
        areas,
        types,
        languages,
        regions,
        years,
        work,
        window,
        contact: true,
        active: true,
    }
}

const TE: &[T] = &[T::TechnicalExpertise];
const TR: &[T] = &[T::Training];
const BOTH: &[T] = &[T::TechnicalExpertise, T::Training];

/// The roster: invented people, organizations and careers.
fn roster() -> Vec<Invented> {
    use Window::*;
    let mut v = vec![
        x(
            "Souksavanh Phommachanh",
            G::Female,
            "LAO",
            "Provincial UXO Survey Office (invented)",
            &[A::Clearance, A::RiskReductionEducation],
            BOTH,
            &[L::En, L::Fr],
            &[R::AsiaPacific, R::Africa],
            18,
            "non-technical survey and land release in heavily contaminated provinces, and \
             the training of survey teams",
            ThisYear,
        ),
        x(
            "Hassan Al-Jubouri",
            G::Male,
            "IRQ",
            "Southern Mine Action Directorate (invented)",
            &[A::Clearance],
            TE,
            &[L::Ar, L::En],
            &[R::AsiaPacific],
            15,
            "battle area clearance and the survey of cluster munition strike sites",
            Open,
        ),
        x(
            "Amélie Kaboré",
            G::Female,
            "BFA",
            "Sahel Humanitarian Demining Institute (invented)",
            &[A::RiskReductionEducation, A::VictimAssistance],
            TR,
            &[L::Fr],
            &[R::Africa],
            9,
            "community-based risk education with volunteers from the villages concerned",
            From(60),
        ),
        x(
            "Mariana Quintero Rojas",
            G::Female,
            "COL",
            "Andean Centre for Survivors (invented)",
            &[A::VictimAssistance],
            BOTH,
            &[L::Es, L::En],
            &[R::LatinAmericaCaribbean, R::Africa],
            14,
            "physical rehabilitation and peer support for survivors in rural areas",
            ThisYear,
        ),
        x(
            "Lars Henriksen",
            G::Male,
            "NOR",
            "Nordic Explosive Ordnance Consultancy (invented)",
            &[A::Clearance, A::StockpileDestruction],
            TE,
            &[L::En],
            &[R::Africa, R::AsiaPacific, R::EasternEurope],
            22,
            "quality management of clearance operations and of stockpile destruction",
            Until(120),
        ),
        x(
            "Ana Dragović",
            G::Female,
            "BIH",
            "Balkan Mine Action Training Centre (invented)",
            &[A::Clearance, A::StockpileDestruction],
            BOTH,
            &[L::En, L::Ru],
            &[R::EasternEurope, R::AsiaPacific],
            20,
            "explosive ordnance disposal courses and the accreditation of operators",
            Open,
        ),
        x(
            "Jean-Baptiste Hounkpatin",
            G::Male,
            "BEN",
            "Centre for Post-Conflict Training (invented)",
            &[A::Clearance, A::RiskReductionEducation],
            TR,
            &[L::Fr, L::En],
            &[R::Africa],
            12,
            "training of trainers for demining and risk education teams in West Africa",
            ThisYear,
        ),
        x(
            "Fatima Zahra Ouali",
            G::Female,
            "TUN",
            "Maghreb Treaty Law Clinic (invented)",
            &[A::NationalImplementation, A::TransparencyReporting],
            TE,
            &[L::Ar, L::Fr, L::En],
            &[R::Africa, R::AsiaPacific],
            10,
            "drafting national implementation legislation and Article 7 reports",
            Open,
        ),
        x(
            "Nadia Haddad",
            G::Female,
            "LBN",
            "Levant Mine Action Centre (invented)",
            &[A::Clearance, A::VictimAssistance],
            BOTH,
            &[L::Ar, L::Fr, L::En],
            &[R::AsiaPacific, R::Africa],
            16,
            "clearance of cluster munition remnants in agricultural land and the referral \
             of survivors to services",
            From(30),
        ),
        x(
            "Peter Okello",
            G::Male,
            "UGA",
            "East African Survivors Network (invented)",
            &[A::VictimAssistance],
            TR,
            &[L::En],
            &[R::Africa],
            11,
            "peer support and the economic inclusion of survivors",
            Open,
        ),
        x(
            "Isabel Carvalho",
            G::Female,
            "MOZ",
            "Lusophone Mine Action Partnership (invented)",
            &[A::Clearance],
            TE,
            &[L::En, L::Es],
            &[R::Africa, R::LatinAmericaCaribbean],
            13,
            "completing clearance and declaring compliance with Article 4",
            ThisYear,
        ),
        x(
            "Tomás Ibarra",
            G::Male,
            "CHL",
            "Southern Cone Stockpile Services (invented)",
            &[A::StockpileDestruction],
            TE,
            &[L::Es, L::En],
            &[R::LatinAmericaCaribbean],
            19,
            "planning and auditing the destruction of stockpiled cluster munitions",
            Until(200),
        ),
        x(
            "Claire Dubois",
            G::Female,
            "FRA",
            "Institute of Humanitarian Law Studies (invented)",
            &[A::NationalImplementation, A::Universalization],
            TE,
            &[L::Fr, L::En],
            &[R::Africa, R::WesternEuropeOthers],
            17,
            "advising parliaments on implementing legislation and on accession",
            Open,
        ),
        x(
            "Markus Weber",
            G::Male,
            "DEU",
            "Federal Ammunition Safety Office (invented)",
            &[A::StockpileDestruction],
            BOTH,
            &[L::En, L::Ru],
            &[R::EasternEurope],
            25,
            "industrial demilitarisation of submunitions and the safety of storage sites",
            From(90),
        ),
        x(
            "Aiko Tanaka",
            G::Female,
            "JPN",
            "Asia-Pacific Transparency Desk (invented)",
            &[A::TransparencyReporting],
            TR,
            &[L::En],
            &[R::AsiaPacific],
            8,
            "workshops on the Article 7 transparency reports",
            Open,
        ),
        x(
            "Bounmy Keomany",
            G::Male,
            "LAO",
            "Survivors' Association of the Plain of Jars (invented)",
            &[A::VictimAssistance],
            TR,
            &[L::En],
            &[R::AsiaPacific],
            7,
            "vocational training for survivors and their families",
            Open,
        ),
        x(
            "Ahmad Wardak",
            G::Male,
            "AFG",
            "Risk Education Network of the South (invented)",
            &[A::RiskReductionEducation],
            TR,
            &[L::En, L::Ar],
            &[R::AsiaPacific],
            10,
            "school-based risk education and messages for returnees",
            ThisYear,
        ),
        x(
            "Grace Mensah",
            G::Female,
            "GHA",
            "West African Legal Drafting Clinic (invented)",
            &[A::NationalImplementation],
            TE,
            &[L::En, L::Fr],
            &[R::Africa],
            9,
            "model laws and the penal provisions of implementing legislation",
            Open,
        ),
        x(
            "Diego Fernández",
            G::Male,
            "ESP",
            "Iberian Mine Action Consultants (invented)",
            &[A::Clearance, A::RiskReductionEducation],
            TE,
            &[L::Es, L::Fr, L::En],
            &[R::LatinAmericaCaribbean, R::Africa],
            21,
            "information management for mine action and land release",
            Until(45),
        ),
        x(
            "Ion Rusu",
            G::Male,
            "MDA",
            "Ammunition Disposal Unit of the East (invented)",
            &[A::StockpileDestruction],
            TE,
            &[L::Ru, L::En],
            &[R::EasternEurope],
            14,
            "open burning and detonation under environmental safeguards",
            Open,
        ),
        x(
            "Sophie Van den Berg",
            G::Female,
            "NLD",
            "Low Countries Victim Assistance Forum (invented)",
            &[A::VictimAssistance, A::Universalization],
            TE,
            &[L::En, L::Fr],
            &[R::WesternEuropeOthers, R::Africa],
            12,
            "disability-inclusive victim assistance policies",
            ThisYear,
        ),
        x(
            "Abdi Warsame",
            G::Male,
            "SOM",
            "Horn of Africa Explosive Hazard Survey (invented)",
            &[A::Clearance],
            TE,
            &[L::Ar, L::En],
            &[R::Africa],
            11,
            "survey of explosive hazards in pastoral areas",
            Open,
        ),
        x(
            "Marie-Claire Nzeyimana",
            G::Female,
            "BDI",
            "Great Lakes Risk Education Collective (invented)",
            &[A::RiskReductionEducation],
            TR,
            &[L::Fr, L::En],
            &[R::Africa],
            6,
            "risk education through radio and theatre",
            From(20),
        ),
        x(
            "Rangi Parata",
            G::Male,
            "NZL",
            "Pacific Treaty Implementation Advisers (invented)",
            &[A::NationalImplementation, A::TransparencyReporting],
            TE,
            &[L::En],
            &[R::AsiaPacific, R::Africa],
            16,
            "implementing legislation for small island States",
            Open,
        ),
        x(
            "Beatrice Rossi",
            G::Female,
            "CHE",
            "Geneva Demining Knowledge Centre (invented)",
            &[A::Clearance, A::TransparencyReporting],
            BOTH,
            &[L::Fr, L::En, L::Es],
            &[R::Africa, R::AsiaPacific, R::LatinAmericaCaribbean],
            23,
            "national mine action standards and information management",
            ThisYear,
        ),
        x(
            "Youssef Khalil",
            G::Male,
            "PSE",
            "Explosive Remnants Coordination Office (invented)",
            &[A::Clearance, A::RiskReductionEducation],
            TR,
            &[L::Ar, L::En],
            &[R::AsiaPacific],
            8,
            "emergency risk education after conflict",
            Open,
        ),
        x(
            "Mamadou Diallo",
            G::Male,
            "SEN",
            "Casamance Mine Action Support (invented)",
            &[A::Clearance, A::VictimAssistance],
            TE,
            &[L::Fr],
            &[R::Africa],
            15,
            "clearance in forested areas and the return of land to communities",
            Until(300),
        ),
        x(
            "Carmen Reyes",
            G::Female,
            "MEX",
            "Latin American Universalization Network (invented)",
            &[A::Universalization, A::NationalImplementation],
            TE,
            &[L::Es, L::En],
            &[R::LatinAmericaCaribbean],
            10,
            "outreach to States not yet party and their ratification procedures",
            Open,
        ),
        x(
            "Moussa Abakar",
            G::Male,
            "TCD",
            "National Mine Action Commission (invented)",
            &[A::NationalImplementation, A::Clearance],
            TE,
            &[L::Fr, L::Ar],
            &[R::Africa],
            13,
            "the national mine action strategy and its legal framework",
            Open,
        ),
        x(
            "Elena Petrova",
            G::Female,
            "BGR",
            "Balkan Stockpile Destruction Consultancy (invented)",
            &[A::StockpileDestruction],
            TE,
            &[L::Ru, L::En],
            &[R::EasternEurope, R::AsiaPacific],
            18,
            "destruction of stockpiles and the retention of munitions for training",
            Open,
        ),
    ];
    // Some gave no contact details; two have asked to be left out of suggestions.
    for i in [5, 14, 22] {
        v[i].contact = false;
    }
    for i in [20, 29] {
        v[i].active = false;
    }
    v
}

/// The expert's input: every field as ISU staff would enter it.
fn input(e: &Invented, today: NaiveDate) -> ExpertInput {
    let days = |n: i64| today + Duration::days(n);
    let (from, until) = match e.window {
        Window::Open => (None, None),
        Window::ThisYear => (Some(days(-365)), Some(days(365))),
        Window::From(n) => (Some(days(n)), None),
        Window::Until(n) => (None, Some(days(n))),
    };
    let handle: String = e
        .name
        .split(' ')
        .map(|w| {
            w.chars()
                .map(|c| match c {
                    'á' => 'a',
                    'é' => 'e',
                    'ć' => 'c',
                    other => other,
                })
                .filter(char::is_ascii_alphabetic)
                .collect::<String>()
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join(".");
    ExpertInput {
        full_name: e.name.to_owned(),
        gender: e.gender,
        nationality_code: Some(e.nationality.to_owned()),
        organization: Some(e.organization.to_owned()),
        areas: e.areas.to_vec(),
        assistance_types: e.types.to_vec(),
        languages: e.languages.to_vec(),
        regions: e.regions.to_vec(),
        years_of_experience: Some(e.years),
        biography: Some(format!(
            "Invented for the demonstration: not a real person. {} years of experience in {}.",
            e.years, e.work
        )),
        available_from: from,
        available_until: until,
        email: e.contact.then(|| format!("{handle}@experts.demo.invalid")),
        phone: e
            .contact
            .then(|| format!("+41 22 555 {:02} {:02}", e.years, e.name.len())),
        // Consent given when they were listed, some months ago.
        consent_given_on: Some(days(-90 - i64::from(e.years))),
    }
}

/// A good practice of the demo: its experts by name, its documents by title.
struct Practice {
    title: &'static str,
    area: A,
    state: &'static str,
    summary: &'static str,
    documents: &'static [&'static str],
    experts: &'static [&'static str],
}

const PRACTICES: &[Practice] = &[
    Practice {
        title: "DEMO Land release through non-technical survey",
        area: A::Clearance,
        state: "LAO",
        summary: "Invented for the demonstration. Village interviews and evidence points \
                  cancelled most of the suspected hazardous areas before any technical \
                  survey, so that clearance teams worked only where remnants were found.",
        documents: &["Statement on clearance"],
        experts: &["Souksavanh Phommachanh", "Beatrice Rossi"],
    },
    Practice {
        title: "DEMO Risk education in schools with community volunteers",
        area: A::RiskReductionEducation,
        state: "AFG",
        summary: "Invented for the demonstration. Teachers and volunteers from each village \
                  gave risk education sessions adapted to the remnants found nearby, with \
                  messages for returning families.",
        documents: &[],
        experts: &["Ahmad Wardak", "Marie-Claire Nzeyimana"],
    },
    Practice {
        title: "DEMO Peer support for survivors in rural areas",
        area: A::VictimAssistance,
        state: "COL",
        summary: "Invented for the demonstration. Trained survivors visited new survivors \
                  and their families, referred them to rehabilitation and followed their \
                  return to work.",
        documents: &[],
        experts: &["Mariana Quintero Rojas", "Peter Okello"],
    },
    Practice {
        title: "DEMO Destroying stockpiles in-country under environmental safeguards",
        area: A::StockpileDestruction,
        state: "BIH",
        summary: "Invented for the demonstration. Submunitions were dismantled and their \
                  explosive content burned in a contained facility, with the emissions \
                  measured and published.",
        documents: &["Coordination Committee: summary of conclusions"],
        experts: &["Ana Dragović", "Markus Weber", "Elena Petrova"],
    },
    Practice {
        title: "DEMO A model law for national implementation",
        area: A::NationalImplementation,
        state: "BFA",
        summary: "Invented for the demonstration. A short implementing law, drafted from a \
                  model with penal provisions for every prohibition, was adopted within a \
                  year of ratification.",
        documents: &[],
        experts: &["Claire Dubois", "Grace Mensah"],
    },
];

/// Loads the roster and the good practices, each part once.
pub(super) async fn demo_experts(demo: &Demo<'_>) -> Result<(), ServiceError> {
    let db = demo.db;
    if expert::Entity::find().count(db).await? == 0 {
        for e in roster() {
            let added = service::add(db, &demo.staff, demo.today, input(&e, demo.today)).await?;
            if !e.active {
                service::update(
                    db,
                    &demo.staff,
                    demo.today,
                    added.id,
                    input(&e, demo.today),
                    Some(false),
                )
                .await?;
            }
        }
    }
    if good_practice::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    for p in PRACTICES {
        let experts = expert::Entity::find()
            .filter(expert::Column::FullName.is_in(p.experts.iter().copied()))
            .all(db)
            .await?;
        let documents = if p.documents.is_empty() {
            Vec::new()
        } else {
            meeting_document::Entity::find()
                .filter(meeting_document::Column::Title.is_in(p.documents.iter().copied()))
                .all(db)
                .await?
        };
        let new = NewPractice {
            title: p.title.to_owned(),
            area: p.area,
            state_code: Some(p.state.to_owned()),
            summary: p.summary.to_owned(),
            document_ids: documents.iter().map(|d| d.id).collect(),
            expert_ids: experts.iter().map(|e| e.id).collect(),
        };
        practices::add(db, &demo.staff, new).await?;
    }
    Ok(())
}
