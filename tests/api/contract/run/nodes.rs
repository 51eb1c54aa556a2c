//! `node(id:)` and `nodes(ids:)` over one ID of every Node type the other parts created.

use super::super::*;

pub(super) struct Created {
    pub user_id: Value,
    pub report: Value,
    pub cooperation: [Value; 3],
    pub sponsorship: [Value; 2],
    pub this_year: i32,
    pub budget: [Value; 3],
    pub action_plan: [Value; 3],
    pub reminders: [Value; 2],
    pub experts: [Value; 2],
    pub extension_request: Value,
}

pub(super) async fn run(app: &TestApp, admin: String, created: Created) {
    let Created {
        user_id,
        report: id,
        cooperation: [need, offer, proposal],
        sponsorship: [meeting, application],
        this_year,
        budget: [workplan, activity, line],
        action_plan: [plan, action, indicator],
        reminders: [contact, notification],
        experts: [expert, practice],
        extension_request,
    } = created;
    // NodeById as the admin frontend sends it, then `node(id:)` for every Node type.
    let node = operations("node.graphql");
    let body = run_op(
        app,
        &node,
        "NodeById",
        Some(admin.clone()),
        json!({"id": workplan}),
    )
    .await;
    assert_eq!(body["data"]["node"]["year"], this_year);
    let lookups = app
        .graphql_as(
            &admin,
            "{ stateParty(code: \"LAO\") { id extensions { id } obligations { id } } auditLog(first: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    // A document and a decision of the meeting, for `node(id:)` (the records area's own
    // part recorded others).
    let records = app
        .graphql_as(
            &admin,
            "mutation($d: AddMeetingDocumentInput!, $r: RecordDecisionInput!) {
               addMeetingDocument(input: $d) { document { id } userErrors { message } }
               recordDecision(input: $r) { decision { id } userErrors { message } } }",
            json!({
                "d": {"meetingId": meeting, "kind": "AGENDA", "title": "Agenda", "language": "FR", "access": "PUBLIC"},
                "r": {"meetingId": meeting, "kind": "DECISION", "reference": "para. 1", "text": "To act.",
                      "access": "RESTRICTED", "responsible": "ISU"},
            }),
        )
        .await;
    let ids = [
        records["data"]["addMeetingDocument"]["document"]["id"].clone(),
        records["data"]["recordDecision"]["decision"]["id"].clone(),
        lookups["data"]["stateParty"]["id"].clone(),
        lookups["data"]["stateParty"]["obligations"][0]["id"].clone(),
        lookups["data"]["stateParty"]["extensions"][0]["id"].clone(),
        lookups["data"]["auditLog"]["edges"][0]["node"]["id"].clone(),
        user_id,
        id.clone(),
        need.clone(),
        offer,
        proposal,
        meeting.clone(),
        application,
        workplan,
        activity,
        line,
        plan,
        action,
        indicator,
        contact,
        notification,
        expert,
        practice,
        extension_request,
    ];
    let mut resolved = std::collections::BTreeSet::new();
    for node_id in ids {
        let body = app
            .graphql_as(
                &admin,
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({"id": node_id}),
            )
            .await;
        assert_eq!(body["data"]["node"]["id"], node_id, "{body}");
        resolved.insert(
            body["data"]["node"]["__typename"]
                .as_str()
                .expect("type")
                .to_owned(),
        );
    }
    assert_eq!(
        resolved,
        node_types(),
        "node(id:) resolves every type that implements Node"
    );

    // Nodes as the dashboard sends it: in the order asked, with the fields of each type.
    let pinned = json!([
        lookups["data"]["stateParty"]["id"],
        lookups["data"]["stateParty"]["obligations"][0]["id"],
        id,
        need,
        meeting,
        "not an id",
    ]);
    let body = run_op(
        app,
        &node,
        "Nodes",
        Some(admin.clone()),
        json!({"ids": pinned}),
    )
    .await;
    let nodes = &body["data"]["nodes"];
    assert_eq!(nodes[0]["code"], "LAO", "{body}");
    assert_eq!(nodes[1]["__typename"], "Obligation");
    assert_eq!(nodes[1]["state"]["code"], "LAO");
    assert_eq!(nodes[2]["__typename"], "TransparencyReport");
    assert_eq!(nodes[3]["__typename"], "AssistanceNeed");
    assert_eq!(nodes[4]["__typename"], "Meeting");
    assert!(nodes[5].is_null());
}
