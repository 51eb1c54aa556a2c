//! Reminders and notifications: a State's contact point, the reminder policy, the outbox's
//! notifications, a user's in-app notices and a FAILED email put back, as the frontends send
//! them. The notifications are written straight into the outbox (the planner and the events
//! have their own tests).

use entity::enums::{NotificationReason, NotificationStatus};

use super::super::*;
use crate::notifications::{email_row, enqueue, in_app_row, set_status, uuid_of};

/// Returns a contact point's and a notification's IDs.
pub(super) async fn run(app: &TestApp, admin: String) -> [Value; 2] {
    let ops = operations("reminders.graphql");
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let body = run_op(
        app,
        &ops,
        "AddContactPoint",
        Some(lao.clone()),
        json!({"input": {"stateCode": "LAO", "name": "Article 7 focal point",
                         "function": "ARTICLE_7_FOCAL_POINT",
                         "email": "focal.point@MOFA.gov.la", "language": "FR"}}),
    )
    .await;
    let contact = body["data"]["addContactPoint"]["contactPoint"].clone();
    assert_eq!(contact["email"], "focal.point@mofa.gov.la", "{body}");
    assert_eq!(contact["state"]["code"], "LAO", "{body}");
    assert_eq!(contact["active"], true, "{body}");
    let body = run_op(
        app,
        &ops,
        "UpdateContactPoint",
        Some(admin.clone()),
        json!({"input": {"id": contact["id"], "language": "EN", "name": "Focal point, MOFA"}}),
    )
    .await;
    let updated = &body["data"]["updateContactPoint"]["contactPoint"];
    assert_eq!(updated["language"], "EN", "{body}");
    assert_eq!(updated["function"], "ARTICLE_7_FOCAL_POINT", "{body}");

    let body = run_op(
        app,
        &ops,
        "SetReminderPolicy",
        Some(admin.clone()),
        json!({"input": {"leadDays": [7, 60, 30], "overdueEveryDays": 14,
                         "kinds": ["ANNUAL_TRANSPARENCY_REPORT", "INITIAL_TRANSPARENCY_REPORT"],
                         "escalateToIsu": true}}),
    )
    .await;
    let policy = &body["data"]["setReminderPolicy"]["policy"];
    assert_eq!(policy["leadDays"], json!([60, 30, 7]), "{body}");
    let body = run_op(app, &ops, "ReminderPolicy", Some(lao.clone()), json!({})).await;
    assert_eq!(body["data"]["reminderPolicy"]["overdueEveryDays"], 14);
    assert_eq!(
        body["data"]["reminderPolicy"]["kinds"],
        json!(["INITIAL_TRANSPARENCY_REPORT", "ANNUAL_TRANSPARENCY_REPORT"])
    );

    // An email to the contact point (later FAILED), and an in-app notice for the delegate.
    let me = app.graphql_as(&lao, "{ me { id email } }", json!({})).await;
    let user = uuid_of(&me["data"]["me"]["id"]);
    let contact_id = uuid_of(&contact["id"]);
    enqueue(
        app,
        vec![
            email_row(
                "contract|email",
                NotificationReason::ReportSubmitted,
                "LAO",
                contact_id,
                "focal.point@mofa.gov.la",
            ),
            in_app_row(
                "contract|in-app",
                Some("LAO"),
                user,
                me["data"]["me"]["email"].as_str().expect("email"),
            ),
        ],
    )
    .await;
    set_status(app, "contract|email", NotificationStatus::Failed, 8).await;

    let body = run_op(
        app,
        &ops,
        "StateContacts",
        Some(lao.clone()),
        json!({"code": "LAO"}),
    )
    .await;
    let state = &body["data"]["stateParty"];
    assert_eq!(
        state["contactPoints"][0]["email"], "focal.point@mofa.gov.la",
        "{body}"
    );
    assert!(
        state["notifications"]["totalCount"].as_i64() >= Some(2),
        "{body}"
    );
    let body = run_op(
        app,
        &ops,
        "Notifications",
        Some(admin.clone()),
        json!({"first": 10, "filter": {"status": ["FAILED"], "channel": "EMAIL", "stateCode": "LAO"}}),
    )
    .await;
    let failed = body["data"]["notifications"]["edges"][0]["node"].clone();
    assert_eq!(failed["status"], "FAILED", "{body}");
    assert_eq!(failed["attempts"], 8, "{body}");
    assert_eq!(failed["state"]["code"], "LAO", "{body}");
    let body = run_op(
        app,
        &ops,
        "MyNotifications",
        Some(lao.clone()),
        json!({"first": 10, "unreadOnly": true}),
    )
    .await;
    assert_eq!(body["data"]["unreadNotificationCount"], 1, "{body}");
    let notice = body["data"]["myNotifications"]["edges"][0]["node"].clone();
    assert!(notice["readAt"].is_null(), "{body}");
    let body = run_op(
        app,
        &ops,
        "MarkNotificationsRead",
        Some(lao.clone()),
        json!({"input": {"ids": [notice["id"]]}}),
    )
    .await;
    assert_eq!(body["data"]["markNotificationsRead"]["marked"], 1, "{body}");
    let body = run_op(
        app,
        &ops,
        "RetryNotification",
        Some(admin),
        json!({"input": {"id": failed["id"]}}),
    )
    .await;
    let retried = &body["data"]["retryNotification"]["notification"];
    assert_eq!(retried["status"], "PENDING", "{body}");
    assert_eq!(retried["attempts"], 0, "{body}");
    [contact["id"].clone(), failed["id"].clone()]
}
