//! Offers of assistance, proposals that match offers to needs, and the ISU's exchange
//! rates. Amounts are integer cents; rates are exact decimal strings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // What AGREED and DELIVERED proposals cover, kept with the need so that a
        // conditional update can refuse to cover more than the amount.
        manager
            .alter_table(
                Table::alter()
                    .table(AssistanceNeeds::Table)
                    .add_column(big_integer(AssistanceNeeds::CoveredCents).default(0))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AssistanceOffers::Table)
                    .col(uuid(AssistanceOffers::Id).primary_key())
                    .col(string_len_null(AssistanceOffers::ProviderStateCode, 3))
                    .col(string_null(AssistanceOffers::ProviderOrganization))
                    .col(string(AssistanceOffers::ThematicAreas))
                    .col(string(AssistanceOffers::AssistanceTypes))
                    .col(string(AssistanceOffers::Title))
                    .col(text_null(AssistanceOffers::Description))
                    .col(big_integer_null(AssistanceOffers::AmountCents))
                    .col(string_len_null(AssistanceOffers::Currency, 3))
                    .col(big_integer(AssistanceOffers::CommittedCents).default(0))
                    .col(string(AssistanceOffers::TargetRegions))
                    .col(text(AssistanceOffers::TargetStateCodes))
                    .col(date_null(AssistanceOffers::PeriodStart))
                    .col(date_null(AssistanceOffers::PeriodEnd))
                    .col(string_len(AssistanceOffers::Status, 24))
                    .col(timestamp_with_time_zone(AssistanceOffers::CreatedAt))
                    .col(timestamp_with_time_zone(AssistanceOffers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assistance_offers_provider_state")
                            .from(AssistanceOffers::Table, AssistanceOffers::ProviderStateCode)
                            .to(States::Table, States::Code)
                            .on_update(ForeignKeyAction::Cascade)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MatchProposals::Table)
                    .col(uuid(MatchProposals::Id).primary_key())
                    .col(uuid(MatchProposals::NeedId))
                    .col(uuid(MatchProposals::OfferId))
                    .col(big_integer_null(MatchProposals::AmountCents))
                    .col(string_len_null(MatchProposals::Currency, 3))
                    .col(big_integer_null(MatchProposals::OfferAmountCents))
                    .col(string_len(MatchProposals::Status, 16))
                    .col(text_null(MatchProposals::Note))
                    .col(timestamp_with_time_zone(MatchProposals::CreatedAt))
                    .col(timestamp_with_time_zone(MatchProposals::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_match_proposals_need")
                            .from(MatchProposals::Table, MatchProposals::NeedId)
                            .to(AssistanceNeeds::Table, AssistanceNeeds::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_match_proposals_offer")
                            .from(MatchProposals::Table, MatchProposals::OfferId)
                            .to(AssistanceOffers::Table, AssistanceOffers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_match_proposals_need", MatchProposals::NeedId),
            ("idx_match_proposals_offer", MatchProposals::OfferId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(MatchProposals::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ExchangeRates::Table)
                    .col(uuid(ExchangeRates::Id).primary_key())
                    .col(string_len(ExchangeRates::Currency, 3))
                    .col(string_len(ExchangeRates::RateToBase, 40))
                    .col(date(ExchangeRates::ValidFrom))
                    .col(timestamp_with_time_zone(ExchangeRates::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_exchange_rates_currency_valid_from")
                    .table(ExchangeRates::Table)
                    .col(ExchangeRates::Currency)
                    .col(ExchangeRates::ValidFrom)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ExchangeRates::Table.into_iden(),
            MatchProposals::Table.into_iden(),
            AssistanceOffers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(AssistanceNeeds::Table)
                    .drop_column(AssistanceNeeds::CoveredCents)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum States {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum AssistanceNeeds {
    Table,
    Id,
    CoveredCents,
}

#[derive(DeriveIden)]
enum AssistanceOffers {
    Table,
    Id,
    ProviderStateCode,
    ProviderOrganization,
    ThematicAreas,
    AssistanceTypes,
    Title,
    Description,
    AmountCents,
    Currency,
    CommittedCents,
    TargetRegions,
    TargetStateCodes,
    PeriodStart,
    PeriodEnd,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MatchProposals {
    Table,
    Id,
    NeedId,
    OfferId,
    AmountCents,
    Currency,
    OfferAmountCents,
    Status,
    Note,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ExchangeRates {
    Table,
    Id,
    Currency,
    RateToBase,
    ValidFrom,
    CreatedAt,
}
