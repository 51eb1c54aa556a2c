//! Action plans: their numbered actions in sections, the actions' indicators, and the
//! values the ISU records for indicators it does not compute. Each year belongs to at most
//! one plan: `action_plan_years` has a row per year a plan covers, keyed by the year, so
//! that two plans that overlap cannot both be written, however close together.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(name: &str, from: (Tables, Tables), to: (Tables, Tables)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_update(ForeignKeyAction::Cascade)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn unique(name: &str, table: Tables, cols: [Tables; 2]) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(table)
        .col(cols[0])
        .col(cols[1])
        .unique()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Tables as T;
        manager
            .create_table(
                Table::create()
                    .table(T::ActionPlans)
                    .col(uuid(T::Id).primary_key())
                    .col(string(T::Title))
                    .col(uuid_null(T::AdoptedAtMeetingId))
                    .col(integer(T::FirstYear))
                    .col(integer(T::LastYear))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .col(timestamp_with_time_zone(T::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_action_plans_meeting",
                        (T::ActionPlans, T::AdoptedAtMeetingId),
                        (T::Meetings, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::ActionPlanYears)
                    .col(integer(T::Year).primary_key())
                    .col(uuid(T::PlanId))
                    .foreign_key(&mut fk(
                        "fk_action_plan_years_plan",
                        (T::ActionPlanYears, T::PlanId),
                        (T::ActionPlans, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::PlanActions)
                    .col(uuid(T::Id).primary_key())
                    .col(uuid(T::PlanId))
                    .col(integer(T::Number))
                    .col(string(T::Section))
                    .col(text(T::Text))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_plan_actions_plan",
                        (T::PlanActions, T::PlanId),
                        (T::ActionPlans, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique(
                "uq_plan_actions_number",
                T::PlanActions,
                [T::PlanId, T::Number],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::ActionIndicators)
                    .col(uuid(T::Id).primary_key())
                    .col(uuid(T::PlanId))
                    .col(uuid(T::ActionId))
                    .col(string_len(T::Code, 32))
                    .col(text(T::Text))
                    .col(string_len(T::Unit, 16))
                    .col(string_len(T::Computation, 48))
                    .col(string_null(T::Population))
                    .col(integer_null(T::BaselineYear))
                    .col(big_integer_null(T::BaselineTenths))
                    .col(big_integer_null(T::TargetTenths))
                    .col(timestamp_with_time_zone(T::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_action_indicators_plan",
                        (T::ActionIndicators, T::PlanId),
                        (T::ActionPlans, T::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_action_indicators_action",
                        (T::ActionIndicators, T::ActionId),
                        (T::PlanActions, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique(
                "uq_action_indicators_code",
                T::ActionIndicators,
                [T::PlanId, T::Code],
            ))
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_action_indicators_action")
                    .table(T::ActionIndicators)
                    .col(T::ActionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(T::IndicatorValues)
                    .col(uuid(T::Id).primary_key())
                    .col(uuid(T::IndicatorId))
                    .col(integer(T::Year))
                    .col(integer(T::Numerator))
                    .col(integer_null(T::Denominator))
                    .col(text(T::StateCodes))
                    .col(text_null(T::Note))
                    .col(uuid_null(T::RecordedBy))
                    .col(timestamp_with_time_zone(T::RecordedAt))
                    .foreign_key(&mut fk(
                        "fk_indicator_values_indicator",
                        (T::IndicatorValues, T::IndicatorId),
                        (T::ActionIndicators, T::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique(
                "uq_indicator_values_year",
                T::IndicatorValues,
                [T::IndicatorId, T::Year],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Tables as T;
        for t in [
            T::IndicatorValues,
            T::ActionIndicators,
            T::PlanActions,
            T::ActionPlanYears,
            T::ActionPlans,
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Tables {
    Meetings,
    ActionPlans,
    ActionPlanYears,
    PlanActions,
    ActionIndicators,
    IndicatorValues,
    Id,
    Title,
    AdoptedAtMeetingId,
    FirstYear,
    LastYear,
    CreatedAt,
    UpdatedAt,
    PlanId,
    Number,
    Section,
    Text,
    ActionId,
    Code,
    Unit,
    Computation,
    Population,
    BaselineYear,
    BaselineTenths,
    TargetTenths,
    IndicatorId,
    Year,
    Numerator,
    Denominator,
    StateCodes,
    Note,
    RecordedBy,
    RecordedAt,
}
