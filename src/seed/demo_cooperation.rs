//! The cooperation part of the demo: needs, offers and exchange rates.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Demo, DemoReport};
use crate::domain::cooperation::rates;
use crate::domain::cooperation::service::{NewNeed, NewOffer, create_need, create_offer};
use crate::kernel::error::ServiceError;

/// Needs and offers of the kinds States declare in their reports and extension requests,
/// with amounts in CHF, EUR and USD, and the exchange rates to compare them. Titles start
/// with "DEMO" so nobody takes them for real declarations. Rates are an administrator's
/// (the system's here); needs and offers are entered by ISU staff.
pub(super) async fn demo_cooperation(
    demo: &Demo<'_>,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{AssistanceType as T, RegionalGroup as R, ThematicArea as A};
    use entity::{assistance_need, assistance_offer, exchange_rate};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let (db, cfg, today) = (demo.db, &demo.cooperation, demo.today);
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    // The demo's rates are to CHF; another base gets the cross rates, and one they cannot
    // reach leaves its currencies without a rate, which the services then refuse.
    let to_chf = [
        ("CHF", Decimal::ONE),
        ("USD", Decimal::new(88, 2)),
        ("EUR", Decimal::new(94, 2)),
    ];
    let base = cfg.base_currency.as_str();
    let base_in_chf = to_chf.iter().find(|(c, _)| *c == base).map(|(_, r)| *r);
    for (currency, rate) in to_chf {
        let Some(base_in_chf) = base_in_chf.filter(|_| currency != base) else {
            continue;
        };
        let exists = exchange_rate::Entity::find()
            .filter(exchange_rate::Column::Currency.eq(currency))
            .count(db)
            .await?
            > 0;
        if !exists {
            let rate = (rate / base_in_chf).round_dp(6);
            let from = d(2024, 1, 1);
            rates::set_by(db, demo.system, "seedDemo", base, currency, rate, from).await?;
        }
    }
    let money = |amount: &str, currency: &str| -> Option<crate::kernel::money::Money> {
        Some(crate::kernel::money::Money::new(
            amount.parse().unwrap_or_default(),
            currency,
        ))
    };
    let needs = [
        (
            "LAO",
            A::Clearance,
            vec![T::Financial, T::Equipment],
            "DEMO Survey and clearance of cluster munition remnants in Xieng Khouang",
            money("2500000", "USD"),
        ),
        (
            "LAO",
            A::VictimAssistance,
            vec![T::Financial, T::Training],
            "DEMO Rehabilitation services for survivors in Savannakhet",
            money("400000", "USD"),
        ),
        (
            "IRQ",
            A::Clearance,
            vec![T::TechnicalExpertise, T::Equipment],
            "DEMO Non-technical survey in Basra governorate",
            money("1200000", "EUR"),
        ),
        (
            "AFG",
            A::RiskReductionEducation,
            vec![T::Training],
            "DEMO Risk education in schools of Kandahar",
            money("150000", "CHF"),
        ),
        (
            "TCD",
            A::NationalImplementation,
            vec![T::TechnicalExpertise],
            "DEMO Drafting national implementation legislation",
            None,
        ),
    ];
    let offers = [
        (
            Some("CHE"),
            None,
            vec![A::Clearance, A::RiskReductionEducation],
            vec![T::Financial, T::TechnicalExpertise],
            "DEMO Swiss support to land release",
            money("1500000", "CHF"),
            vec![R::AsiaPacific],
        ),
        (
            Some("DEU"),
            None,
            vec![A::Clearance],
            vec![T::Financial, T::Equipment],
            "DEMO German funding of clearance equipment",
            money("1000000", "EUR"),
            vec![],
        ),
        (
            None,
            Some("ICRC"),
            vec![A::VictimAssistance],
            vec![T::Training, T::TechnicalExpertise],
            "DEMO Physical rehabilitation training",
            money("300000", "CHF"),
            vec![],
        ),
        (
            Some("NZL"),
            None,
            vec![A::NationalImplementation, A::TransparencyReporting],
            vec![T::TechnicalExpertise],
            "DEMO Legal drafting support",
            None,
            vec![R::AsiaPacific, R::Africa],
        ),
    ];
    for (code, area, types, title, amount) in needs {
        let exists = assistance_need::Entity::find()
            .filter(assistance_need::Column::Title.eq(title))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let new = NewNeed {
            state_code: code.into(),
            area,
            types,
            title: title.into(),
            description: Some("DEMO DATA, not a real declaration.".into()),
            amount,
            period_start: Some(d(2026, 1, 1)),
            period_end: Some(d(2027, 12, 31)),
            source_report: None,
        };
        create_need(db, cfg, &demo.staff, new, today).await?;
        report.needs_created += 1;
    }
    for (state, org, areas, types, title, amount, regions) in offers {
        let exists = assistance_offer::Entity::find()
            .filter(assistance_offer::Column::Title.eq(title))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let new = NewOffer {
            provider_state_code: state.map(str::to_owned),
            provider_organization: org.map(str::to_owned),
            areas,
            types,
            title: title.into(),
            description: Some("DEMO DATA, not a real pledge.".into()),
            amount,
            target_regions: regions,
            target_state_codes: vec![],
            period_start: Some(d(2026, 1, 1)),
            period_end: None,
        };
        create_offer(db, cfg, &demo.staff, new, today).await?;
        report.offers_created += 1;
    }
    Ok(())
}
