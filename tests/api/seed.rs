//! The demo seed writes through the domain services, as the API's mutations do: so it can
//! never hold what the API would refuse.

use entity::{
    assistance_need, assistance_offer, audit_entry, budget_line, exchange_rate, expenditure,
    meeting, payment, sponsorship_application, transparency_report, user, workplan,
    workplan_activity,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use ccm_isu::kernel::config::Settings;
use ccm_isu::kernel::error::ServiceError;

use crate::helpers::*;

/// The demo seed in this process (the command line's `seed --demo` calls the same), with
/// the server's settings but for the base currency.
async fn seed_demo(app: &TestApp, base_currency: &str) -> Result<(), ServiceError> {
    let mut settings = Settings::for_database(&app.url);
    settings.base_currency = base_currency.into();
    ccm_isu::seed::demo(&app.db, &settings, PASSWORD)
        .await
        .map(|_| ())
}

/// How many audit entries `action` wrote, by `actor` (None: the system).
async fn entries(app: &TestApp, action: &str, actor: Option<uuid::Uuid>) -> u64 {
    let q = audit_entry::Entity::find().filter(audit_entry::Column::Action.eq(action));
    match actor {
        Some(id) => q.filter(audit_entry::Column::ActorId.eq(id)),
        None => q.filter(audit_entry::Column::ActorId.is_null()),
    }
    .count(&app.db)
    .await
    .expect("count")
}

#[tokio::test]
async fn every_demo_row_is_written_by_the_mutation_that_writes_it_through_the_api() {
    let app = spawn_app().await;
    seed_demo(&app, "CHF").await.expect("the demo loads");
    let staff = user::Entity::find()
        .filter(user::Column::Email.eq("isu.staff@demo.invalid"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo staff account")
        .id;
    let db = &app.db;
    let reports = transparency_report::Entity::find().count(db).await.unwrap();
    let published = transparency_report::Entity::find()
        .filter(transparency_report::Column::PublishedAt.is_not_null())
        .count(db)
        .await
        .unwrap();
    let decided = sponsorship_application::Entity::find()
        .filter(sponsorship_application::Column::DecidedAt.is_not_null())
        .count(db)
        .await
        .unwrap();
    let by_staff = [
        ("createTransparencyReport", reports),
        ("updateTransparencyReport", reports),
        ("submitTransparencyReport", reports),
        ("publishTransparencyReport", published),
        (
            "createAssistanceNeed",
            assistance_need::Entity::find().count(db).await.unwrap(),
        ),
        (
            "createAssistanceOffer",
            assistance_offer::Entity::find().count(db).await.unwrap(),
        ),
        (
            "createMeeting",
            meeting::Entity::find().count(db).await.unwrap(),
        ),
        (
            "applyForSponsorship",
            sponsorship_application::Entity::find()
                .count(db)
                .await
                .unwrap(),
        ),
        ("decideSponsorshipApplication", decided),
        (
            "createWorkplan",
            workplan::Entity::find().count(db).await.unwrap(),
        ),
        (
            "addWorkplanActivity",
            workplan_activity::Entity::find().count(db).await.unwrap(),
        ),
        (
            "addBudgetLine",
            budget_line::Entity::find().count(db).await.unwrap(),
        ),
        (
            "recordExpenditure",
            expenditure::Entity::find().count(db).await.unwrap(),
        ),
        (
            "recordPayment",
            payment::Entity::find().count(db).await.unwrap(),
        ),
        (
            "addMeetingDocument",
            entity::meeting_document::Entity::find()
                .count(db)
                .await
                .unwrap(),
        ),
        // One entry per decision, and one more for the decision a later one supersedes.
        (
            "recordDecision",
            entity::decision::Entity::find().count(db).await.unwrap()
                + entity::decision::Entity::find()
                    .filter(
                        entity::decision::Column::Status
                            .eq(entity::enums::ImplementationStatus::Superseded),
                    )
                    .count(db)
                    .await
                    .unwrap(),
        ),
        (
            "recordIndicatorValue",
            entity::indicator_value::Entity::find()
                .count(db)
                .await
                .unwrap(),
        ),
    ];
    for (action, rows) in by_staff {
        assert!(rows > 0, "the demo has rows for {action}");
        assert_eq!(entries(&app, action, Some(staff)).await, rows, "{action}");
    }
    // Who did what is on the rows too, as when ISU staff enter them.
    let recorded = expenditure::Entity::find()
        .filter(expenditure::Column::RecordedBy.eq(staff))
        .count(db)
        .await
        .unwrap();
    let applied = sponsorship_application::Entity::find()
        .filter(sponsorship_application::Column::AppliedBy.eq(staff))
        .count(db)
        .await
        .unwrap();
    assert_eq!(
        recorded,
        expenditure::Entity::find().count(db).await.unwrap()
    );
    assert_eq!(
        applied,
        sponsorship_application::Entity::find()
            .count(db)
            .await
            .unwrap()
    );
    // An administrator's acts are the system's, through the same services: four demo
    // accounts, four extensions, three State updates, two rates, two workplan steps and
    // the invoices.
    assert_eq!(entries(&app, "seedDemo", None).await, 16);
    // The demo action plan, imported from its file as the command line imports one: the
    // Lausanne Action Plan's 50 actions and 80 indicators, in one entry.
    assert_eq!(
        (
            entity::plan_action::Entity::find().count(db).await.unwrap(),
            entity::action_indicator::Entity::find()
                .count(db)
                .await
                .unwrap(),
            entries(&app, "importActionPlan", None).await,
        ),
        (50, 80, 1)
    );
    assert_eq!(exchange_rate::Entity::find().count(db).await.unwrap(), 2);
}

#[tokio::test]
async fn the_demo_seed_is_refused_what_the_api_refuses_and_resumes_once_fixed() {
    // In GBP the demo's CHF rates give no rate for its USD, EUR and CHF amounts: the
    // service refuses its needs, as it would refuse them to a delegation.
    let app = spawn_app_with(|s| s.base_currency = "GBP".into()).await;
    let refused = match seed_demo(&app, "GBP").await {
        Err(ServiceError::Refused(r)) => r,
        other => panic!("the GBP demo is refused: {other:?}"),
    };
    assert!(
        matches!(refused.as_slice(), [r] if r.message.starts_with("No exchange rate for USD")),
        "{refused:?}"
    );
    let needs = || assistance_need::Entity::find().count(&app.db);
    assert_eq!(needs().await.unwrap(), 0);
    let token = app.admin_token().await;
    for (currency, rate) in [("USD", "0.78"), ("EUR", "0.83"), ("CHF", "0.89")] {
        let body = app
            .graphql_as(
                &token,
                "mutation($input: SetExchangeRateInput!) { setExchangeRate(input: $input) { userErrors { code } } }",
                json!({ "input": { "currency": currency, "rateToBase": rate, "validFrom": "2024-01-01" } }),
            )
            .await;
        assert_eq!(
            body["data"]["setExchangeRate"]["userErrors"],
            json!([]),
            "{body}"
        );
    }
    let reports = transparency_report::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    seed_demo(&app, "GBP")
        .await
        .expect("the demo loads once the rates are set");
    assert_eq!(needs().await.unwrap(), 5);
    assert_eq!(
        transparency_report::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        reports,
        "the parts already loaded are left as they are"
    );
}
