//! The cooperation part of the demo: needs, offers and exchange rates.

use sea_orm::DatabaseConnection;

use chrono::NaiveDate;

use super::DemoReport;
use crate::kernel::error::ServiceError;
use crate::kernel::uow::Uow;

/// Needs and offers of the kinds States declare in their reports and extension requests,
/// with amounts in CHF, EUR and USD, and the exchange rates to compare them. Titles start
/// with "DEMO" so nobody takes them for real declarations.
pub(super) async fn demo_cooperation(
    db: &DatabaseConnection,
    report: &mut DemoReport,
) -> Result<(), ServiceError> {
    use entity::enums::{AssistanceType as T, RegionalGroup as R, ThematicArea as A};
    use entity::{assistance_need, assistance_offer, exchange_rate};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
    for (currency, rate) in [("USD", "0.8800"), ("EUR", "0.9400")] {
        let exists = exchange_rate::Entity::find()
            .filter(exchange_rate::Column::Currency.eq(currency))
            .count(db)
            .await?
            > 0;
        if !exists {
            exchange_rate::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                currency: Set(currency.into()),
                rate_to_base: Set(rate.into()),
                valid_from: Set(d(2024, 1, 1)),
                created_at: Set(crate::kernel::clock::now()),
            }
            .insert(db)
            .await?;
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
        let uow = Uow::begin(db, None, "seedDemo").await?;
        let t = crate::kernel::clock::now();
        let (cents, currency) = amount
            .map(|m| {
                (
                    (m.amount * rust_decimal::Decimal::from(100))
                        .trunc()
                        .mantissa() as i64,
                    m.currency,
                )
            })
            .unzip();
        let need = assistance_need::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            state_code: Set(code.into()),
            thematic_area: Set(area),
            assistance_types: Set(entity::enums::join_values(&types)),
            title: Set(title.into()),
            description: Set(Some("DEMO DATA, not a real declaration.".into())),
            amount_cents: Set(cents),
            currency: Set(currency),
            covered_cents: Set(0),
            period_start: Set(Some(d(2026, 1, 1))),
            period_end: Set(Some(d(2027, 12, 31))),
            status: Set(entity::enums::NeedStatus::Open),
            source_report_id: Set(None),
            created_at: Set(t),
            updated_at: Set(t),
        }
        .insert(uow.txn())
        .await?;
        uow.created(&need).await?;
        uow.commit().await?;
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
        let uow = Uow::begin(db, None, "seedDemo").await?;
        let t = crate::kernel::clock::now();
        let (cents, currency) = amount
            .map(|m| {
                (
                    (m.amount * rust_decimal::Decimal::from(100))
                        .trunc()
                        .mantissa() as i64,
                    m.currency,
                )
            })
            .unzip();
        let offer = assistance_offer::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            provider_state_code: Set(state.map(str::to_owned)),
            provider_organization: Set(org.map(str::to_owned)),
            thematic_areas: Set(entity::enums::join_values(&areas)),
            assistance_types: Set(entity::enums::join_values(&types)),
            title: Set(title.into()),
            description: Set(Some("DEMO DATA, not a real pledge.".into())),
            amount_cents: Set(cents),
            currency: Set(currency),
            committed_cents: Set(0),
            target_regions: Set(entity::enums::join_values(&regions)),
            target_state_codes: Set(String::new()),
            period_start: Set(Some(d(2026, 1, 1))),
            period_end: Set(None),
            status: Set(entity::enums::OfferStatus::Open),
            created_at: Set(t),
            updated_at: Set(t),
        }
        .insert(uow.txn())
        .await?;
        uow.created(&offer).await?;
        uow.commit().await?;
        report.offers_created += 1;
    }
    Ok(())
}
