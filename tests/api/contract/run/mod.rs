//! Every required contract operation, run against the server, one part per area in the order a
//! user meets them; each part hands on the IDs the node checks need.

mod accounts;
mod action_plan;
mod budget;
mod cooperation;
mod experts;
mod extensions;
mod meetings;
mod nodes;
mod records;
mod reminders;
mod sponsorship;

use super::*;

/// Each required operation, exactly as the frontends send it, runs without errors.
#[tokio::test]
async fn required_contract_operations_run() {
    let app = spawn_app().await;
    let (admin, user_id) = accounts::run(&app).await;
    let report = records::run(&app, admin.clone()).await;
    let cooperation = cooperation::run(&app, admin.clone(), &report).await;
    let sponsorship = sponsorship::run(&app, admin.clone()).await;
    meetings::run(&app, admin.clone(), &sponsorship[0]).await;
    let action_plan = action_plan::run(&app, admin.clone(), &sponsorship[0]).await;
    let (this_year, budget) = budget::run(&app, admin.clone()).await;
    let reminders = reminders::run(&app, admin.clone()).await;
    let experts = experts::run(&app, admin.clone(), &sponsorship[0]).await;
    let extension_request = extensions::run(&app, admin.clone()).await;
    let created = nodes::Created {
        user_id,
        report,
        cooperation,
        sponsorship,
        this_year,
        budget,
        action_plan,
        reminders,
        experts,
        extension_request,
    };
    nodes::run(&app, admin, created).await;
}
