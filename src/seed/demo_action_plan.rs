//! The action plan part of the demo: the structure of the Lausanne Action Plan (2021–2026;
//! 50 actions in its eight sections, 80 indicators, computed and recorded) from
//! `data/demo-action-plan.csv`, whose texts are labelled SAMPLE (the adopted wording is the
//! ISU's to load), imported as `ccm-isu action-plan import` imports a file; then a few
//! values for 2022–2025 of recorded indicators, labelled DEMO, entered by the demo ISU staff
//! account as `recordIndicatorValue` does, so that progress shows both kinds.

use super::Demo;
use crate::domain::action_plan::import::{self, PlanHeading};
use crate::domain::action_plan::plans::{self, NewValue};
use crate::kernel::error::ServiceError;

/// The demo plan, built into the binary: nothing is read from disk.
const DEMO_PLAN: &str = include_str!("../../data/demo-action-plan.csv");
const TITLE: &str = "DEMO Lausanne Action Plan";
const FIRST_YEAR: i32 = 2021;
const LAST_YEAR: i32 = 2026;

/// A recorded value: year, numerator, denominator (for a PERCENT).
type Value = (i32, i32, Option<i32>);

/// Recorded values: the indicator's code, then its values from 2022.
const VALUES: [(&str, [Value; 4]); 5] = [
    (
        "1.1",
        [
            (2022, 14, Some(30)),
            (2023, 17, Some(30)),
            (2024, 20, Some(31)),
            (2025, 23, Some(31)),
        ],
    ),
    (
        "19.2",
        [
            (2022, 45, None),
            (2023, 52, None),
            (2024, 61, None),
            (2025, 58, None),
        ],
    ),
    (
        "25.2",
        [
            (2022, 280, None),
            (2023, 310, None),
            (2024, 335, None),
            (2025, 360, None),
        ],
    ),
    (
        "31.1",
        [
            (2022, 12, Some(15)),
            (2023, 13, Some(15)),
            (2024, 14, Some(15)),
            (2025, 14, Some(15)),
        ],
    ),
    (
        "41.2",
        [
            (2022, 2, None),
            (2023, 3, None),
            (2024, 4, None),
            (2025, 4, None),
        ],
    ),
];

pub(super) async fn demo_action_plan(demo: &Demo<'_>) -> Result<(), ServiceError> {
    let db = demo.db;
    // A second run changes nothing; nor does a run where a plan covers these years already.
    if plans::plan_for_year(db, FIRST_YEAR).await?.is_some() {
        return Ok(());
    }
    let heading = PlanHeading {
        title: TITLE.into(),
        first_year: FIRST_YEAR,
        last_year: LAST_YEAR,
    };
    let summary = import::import(
        db,
        demo.system,
        "importActionPlan",
        &heading,
        "data/demo-action-plan.csv",
        DEMO_PLAN,
    )
    .await?;
    let indicators = plans::indicators_of_plan(db, summary.plan_id).await?;
    for (code, values) in VALUES {
        let Some((_, indicator)) = indicators.iter().find(|(_, i)| i.code == code) else {
            return Err(ServiceError::Internal(format!(
                "the demo plan has no indicator {code}"
            )));
        };
        for (year, numerator, denominator) in values {
            plans::record_value(
                db,
                &demo.staff,
                NewValue {
                    indicator_id: indicator.id,
                    year,
                    numerator,
                    denominator,
                    state_codes: None,
                    note: Some("DEMO figure, not a reported one.".into()),
                },
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_plan_has_the_lausanne_structure_and_only_sample_texts() {
        let file = import::parse(DEMO_PLAN).expect("the demo plan parses");
        assert_eq!(file.actions.len(), 50);
        assert_eq!(file.indicators.len(), 80);
        let section = |n: i32| {
            file.actions
                .iter()
                .find(|a| a.number == n)
                .map(|a| a.section.as_str())
        };
        for (numbers, name) in [
            (1..=9, "Cross-cutting actions"),
            (10..=11, "Universalization"),
            (12..=17, "Stockpile destruction and retention"),
            (18..=30, "Clearance and risk reduction"),
            (31..=37, "Victim assistance"),
            (38..=42, "Cooperation and assistance"),
            (43..=46, "Transparency measures"),
            (47..=50, "National implementation measures"),
        ] {
            for n in numbers {
                assert_eq!(section(n), Some(name), "action {n}");
            }
        }
        assert!(
            file.actions
                .iter()
                .all(|a| a.text.starts_with("SAMPLE text"))
        );
        assert!(
            file.indicators
                .iter()
                .all(|i| i.text.starts_with("SAMPLE text"))
        );
        for (code, _) in VALUES {
            let i = file.indicators.iter().find(|i| i.code == code);
            assert!(
                i.is_some_and(|i| i.computation == entity::enums::IndicatorComputation::Recorded),
                "{code}"
            );
        }
    }
}
