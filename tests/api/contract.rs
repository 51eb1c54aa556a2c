//! The frontends' contract (`../shared/contract`): the operations they send must validate
//! against our `schema.graphql` and run, and the contract's types that exist so far must be
//! complete. Each issue adds its operation files to [`REQUIRED_FILES`] until all are there.

use std::collections::BTreeMap;
use std::path::PathBuf;

use apollo_compiler::{ExecutableDocument, Schema, ast, validation::Valid};
use serde_json::{Value, json};

use crate::helpers::*;

/// Operation files that must validate in full.
const REQUIRED_FILES: &[&str] = &[
    "auth.graphql",
    "audit.graphql",
    "states.graphql",
    "deadlines.graphql",
    "reports.graphql",
    "cooperation.graphql",
    "sponsorship.graphql",
];
/// Single operations required from files not yet required in full.
const REQUIRED_OPERATIONS: &[(&str, &str)] = &[];
/// Contract types that must be present with every field, argument, input field and value.
const COMPLETE_TYPES: &[&str] = &[
    "ApplicationStatus",
    "CreateMeetingInput",
    "Delegate",
    "DelegateInput",
    "Gender",
    "GenderCount",
    "Meeting",
    "MeetingConnection",
    "MeetingEdge",
    "MeetingFilter",
    "MeetingKind",
    "MeetingPayload",
    "RegionCount",
    "SponsorshipApplication",
    "SponsorshipApplicationConnection",
    "SponsorshipApplicationEdge",
    "SponsorshipApplicationInput",
    "SponsorshipApplicationPayload",
    "SponsorshipDecisionInput",
    "SponsorshipStats",
    "SponsorshipSuggestion",
    "Allocation",
    "AllocationFilter",
    "AssistanceNeed",
    "AssistanceNeedConnection",
    "AssistanceNeedEdge",
    "AssistanceNeedFilter",
    "AssistanceNeedPayload",
    "AssistanceOffer",
    "AssistanceOfferConnection",
    "AssistanceOfferEdge",
    "AssistanceOfferFilter",
    "AssistanceOfferPayload",
    "AssistanceType",
    "CooperationAllocation",
    "CreateAssistanceNeedInput",
    "CreateAssistanceOfferInput",
    "ExchangeRate",
    "ExchangeRatePayload",
    "MatchCandidate",
    "MatchFactor",
    "MatchProposal",
    "MatchProposalPayload",
    "MatchReason",
    "MatchStatus",
    "NeedStatus",
    "OfferStatus",
    "ProposeMatchInput",
    "Provider",
    "SetExchangeRateInput",
    "StateParty",
    "UpdateMatchStatusInput",
    "WithdrawInput",
    "AssistanceProvided",
    "AssistanceProvidedInput",
    "ClearanceEntry",
    "ClearanceEntryInput",
    "ContaminatedArea",
    "ContaminatedAreaInput",
    "CreateTransparencyReportInput",
    "Money",
    "MoneyInput",
    "ReportActionInput",
    "ReportSections",
    "ReportSectionsInput",
    "ReportingCompliance",
    "StockpileEntry",
    "StockpileEntryInput",
    "TransparencyReportFilter",
    "TransparencyReportPayload",
    "UpdateTransparencyReportInput",
    "AuditEntry",
    "AuditEntryConnection",
    "AuditEntryEdge",
    "AuditLogFilter",
    "AuthPayload",
    "ChangePasswordInput",
    "ChangePasswordPayload",
    "CreateUserInput",
    "DeactivateUserInput",
    "DeadlineExtension",
    "DeadlineExtensionPayload",
    "DepositType",
    "IncomeGroup",
    "LoginInput",
    "LogoutInput",
    "LogoutPayload",
    "Node",
    "Obligation",
    "ObligationConnection",
    "ObligationEdge",
    "ObligationKind",
    "ObligationStatus",
    "PageInfo",
    "RecordDeadlineExtensionInput",
    "RefreshSessionInput",
    "RegionalGroup",
    "ReportKind",
    "ReportStatus",
    "StatePartyConnection",
    "StatePartyEdge",
    "StatePartyFilter",
    "StatePartyPayload",
    "StateStatus",
    "ThematicArea",
    "TransparencyReport",
    "TransparencyReportConnection",
    "TransparencyReportEdge",
    "UpdateStatePartyInput",
    "User",
    "UserConnection",
    "UserEdge",
    "UserError",
    "UserErrorCode",
    "UserFilter",
    "UserPayload",
    "UserRole",
];

fn shared_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/contract");
    assert!(
        dir.is_dir(),
        "{} not found: the contract lives in ../shared beside the checkout",
        dir.display()
    );
    dir
}

fn our_schema() -> Valid<Schema> {
    let sdl =
        std::fs::read_to_string(crate::schema::committed_schema_path()).expect("schema.graphql");
    Schema::parse_and_validate(sdl, "schema.graphql").expect("schema.graphql is valid GraphQL")
}

/// Each operation of a contract file, as standalone source text, by name.
fn operations(file: &str) -> BTreeMap<String, String> {
    let path = shared_dir().join("operations").join(file);
    let src = std::fs::read_to_string(&path).expect("operation file");
    let doc = ast::Document::parse(src, file).expect("operation file parses");
    doc.definitions
        .iter()
        .filter_map(|d| match d {
            ast::Definition::OperationDefinition(op) => Some((
                op.name.as_ref().map(|n| n.to_string()).unwrap_or_default(),
                d.to_string(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn required_contract_operations_validate_against_our_schema() {
    let schema = our_schema();
    let mut failures = Vec::new();
    for file in REQUIRED_FILES {
        let src =
            std::fs::read_to_string(shared_dir().join("operations").join(file)).expect("file");
        if let Err(e) = ExecutableDocument::parse_and_validate(&schema, src, *file) {
            failures.push(format!("{file}: {}", e.errors));
        }
    }
    for (file, name) in REQUIRED_OPERATIONS {
        let ops = operations(file);
        let src = ops
            .get(*name)
            .unwrap_or_else(|| panic!("{file} has no operation {name}"));
        if let Err(e) = ExecutableDocument::parse_and_validate(&schema, src.clone(), *file) {
            failures.push(format!("{file} {name}: {}", e.errors));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Renders a field's type as written, e.g. `[String!]!`.
fn field_types(schema: &Schema, type_name: &str) -> Option<BTreeMap<String, String>> {
    let ty = schema.types.get(type_name)?;
    let mut out = BTreeMap::new();
    match ty {
        apollo_compiler::schema::ExtendedType::Object(o) => {
            for (n, f) in &o.fields {
                out.insert(n.to_string(), f.ty.to_string());
                for a in &f.arguments {
                    out.insert(format!("{n}({})", a.name), a.ty.to_string());
                }
            }
        }
        apollo_compiler::schema::ExtendedType::Interface(o) => {
            for (n, f) in &o.fields {
                out.insert(n.to_string(), f.ty.to_string());
            }
        }
        apollo_compiler::schema::ExtendedType::InputObject(o) => {
            for (n, f) in &o.fields {
                out.insert(n.to_string(), f.ty.to_string());
            }
        }
        apollo_compiler::schema::ExtendedType::Enum(e) => {
            for v in e.values.keys() {
                out.insert(v.to_string(), String::new());
            }
        }
        _ => {}
    }
    Some(out)
}

#[test]
fn contract_types_implemented_so_far_are_complete() {
    let contract_src =
        std::fs::read_to_string(shared_dir().join("contract.graphql")).expect("contract.graphql");
    let contract = Schema::parse(contract_src, "contract.graphql").expect("contract parses");
    let ours = our_schema();
    let mut missing = Vec::new();
    for name in COMPLETE_TYPES {
        let want = field_types(&contract, name).unwrap_or_else(|| panic!("{name} not in contract"));
        let Some(have) = field_types(&ours, name) else {
            missing.push(format!("type {name}"));
            continue;
        };
        for (field, ty) in want {
            match have.get(&field) {
                Some(t) if *t == ty => {}
                Some(t) => missing.push(format!("{name}.{field}: {t}, contract says {ty}")),
                None => missing.push(format!("{name}.{field}")),
            }
        }
    }
    // Root fields of the operations required so far.
    for (root, fields) in [
        (
            "Query",
            &[
                "node",
                "me",
                "users",
                "stateParties",
                "stateParty",
                "upcomingDeadlines",
                "overdueObligations",
                "transparencyReport",
                "transparencyReports",
                "reportingCompliance",
                "assistanceNeed",
                "assistanceNeeds",
                "assistanceOffer",
                "assistanceOffers",
                "cooperationAllocation",
                "exchangeRates",
                "meeting",
                "meetings",
                "auditLog",
            ][..],
        ),
        (
            "Mutation",
            &[
                "login",
                "refreshSession",
                "logout",
                "createUser",
                "changePassword",
                "deactivateUser",
                "updateStateParty",
                "recordDeadlineExtension",
                "createTransparencyReport",
                "updateTransparencyReport",
                "submitTransparencyReport",
                "publishTransparencyReport",
                "createAssistanceNeed",
                "withdrawAssistanceNeed",
                "createAssistanceOffer",
                "withdrawAssistanceOffer",
                "proposeMatch",
                "updateMatchStatus",
                "setExchangeRate",
                "createMeeting",
                "applyForSponsorship",
                "decideSponsorshipApplication",
                "withdrawSponsorshipApplication",
            ][..],
        ),
    ] {
        let want = field_types(&contract, root).expect("root in contract");
        let have = field_types(&ours, root).expect("our root");
        for f in fields {
            for (k, ty) in want
                .iter()
                .filter(|(k, _)| k == f || k.starts_with(&format!("{f}(")))
            {
                if have.get(k) != Some(ty) {
                    missing.push(format!("{root}.{k}: {:?}, contract says {ty}", have.get(k)));
                }
            }
        }
    }
    assert!(missing.is_empty(), "contract gaps:\n{}", missing.join("\n"));
}

fn assert_ran(body: &Value, what: &str) {
    assert!(body["errors"].is_null(), "{what}: {body}");
    if let Some(data) = body["data"].as_object() {
        for (field, payload) in data {
            if let Some(errors) = payload.get("userErrors") {
                assert_eq!(errors, &json!([]), "{what}.{field}: {body}");
            }
        }
    }
}

async fn run_op(
    app: &TestApp,
    ops: &BTreeMap<String, String>,
    name: &str,
    token: Option<String>,
    vars: Value,
) -> Value {
    let body = app.graphql_with(token.as_deref(), &ops[name], vars).await;
    assert_ran(&body, name);
    body
}

/// Each required operation, exactly as the frontends send it, runs without errors.
#[tokio::test]
async fn required_contract_operations_run() {
    let app = spawn_app().await;
    let auth = operations("auth.graphql");
    let run = |name: &'static str, token: Option<String>, vars: Value| {
        run_op(&app, &auth, name, token, vars)
    };

    let login = run(
        "Login",
        None,
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    )
    .await;
    let refresh = login["data"]["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let refreshed = run("RefreshSession", None, json!({"refreshToken": refresh})).await;
    let admin = refreshed["data"]["refreshSession"]["accessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    run("Me", Some(admin.clone()), json!({})).await;
    let created = run(
        "CreateUser",
        Some(admin.clone()),
        json!({"input": {"email": "lao@isu.test", "password": PASSWORD, "role": "DELEGATION", "stateCode": "LAO"}}),
    )
    .await;
    let user_id = created["data"]["createUser"]["user"]["id"].clone();
    run(
        "Users",
        Some(admin.clone()),
        json!({"first": 10, "filter": {"role": "DELEGATION"}}),
    )
    .await;
    let lao = app.login("lao@isu.test", PASSWORD).await;
    run(
        "ChangePassword",
        Some(token_of(&lao)),
        json!({"currentPassword": PASSWORD, "newPassword": "another-password-789"}),
    )
    .await;
    run(
        "DeactivateUser",
        Some(admin.clone()),
        json!({"id": user_id}),
    )
    .await;
    let other = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    run(
        "Logout",
        None,
        json!({"refreshToken": other["refreshToken"]}),
    )
    .await;

    let audit = &operations("audit.graphql")["AuditLog"];
    let body = app.graphql_as(&admin, audit, json!({"first": 50})).await;
    assert_ran(&body, "AuditLog");
    assert!(
        body["data"]["auditLog"]["totalCount"].as_i64() >= Some(4),
        "{body}"
    );

    let states = operations("states.graphql");
    let body = app
        .graphql(
            &states["StateParties"],
            json!({"first": 5, "filter": {"regionalGroup": "ASIA_PACIFIC", "hasObligation": "CLEARANCE"}}),
        )
        .await;
    assert_ran(&body, "StateParties");
    assert!(
        body["data"]["stateParties"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );
    let body = run_op(
        &app,
        &states,
        "UpdateStateParty",
        Some(admin.clone()),
        json!({"input": {"code": "LAO", "hasVictims": true}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateStateParty"]["stateParty"]["code"],
        "LAO"
    );
    let body = run_op(
        &app,
        &states,
        "RecordDeadlineExtension",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "CLEARANCE", "newDeadline": "2025-08-01", "grantedOn": "2019-09-04", "grantedAt": "9MSP"}}),
    )
    .await;
    assert_eq!(
        body["data"]["recordDeadlineExtension"]["extension"]["newDeadline"],
        "2025-08-01"
    );
    let body = run_op(&app, &states, "StateProfile", None, json!({"code": "LAO"})).await;
    assert!(
        body["data"]["stateParty"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    assert_eq!(
        body["data"]["stateParty"]["extensions"][0]["grantedAt"],
        "9MSP"
    );

    let deadlines = operations("deadlines.graphql");
    let delegation = app.token_for("DELEGATION", Some("IRQ")).await;
    let body = run_op(&app, &deadlines, "MyDeadlines", Some(delegation), json!({})).await;
    assert_eq!(body["data"]["me"]["state"]["code"], "IRQ");
    assert!(
        body["data"]["me"]["state"]["obligations"]
            .as_array()
            .is_some_and(|o| !o.is_empty()),
        "{body}"
    );
    let body = run_op(
        &app,
        &deadlines,
        "UpcomingDeadlines",
        None,
        json!({"withinDays": 3000, "first": 10}),
    )
    .await;
    assert!(
        body["data"]["upcomingDeadlines"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );
    let body = run_op(
        &app,
        &deadlines,
        "OverdueObligations",
        None,
        json!({"kinds": ["INITIAL_TRANSPARENCY_REPORT", "CLEARANCE"], "first": 10}),
    )
    .await;
    assert!(
        body["data"]["overdueObligations"]["totalCount"].as_i64() > Some(0),
        "{body}"
    );

    let reports = operations("reports.graphql");
    let body = run_op(
        &app,
        &reports,
        "CreateTransparencyReport",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "kind": "ANNUAL", "reportingYear": 2024}}),
    )
    .await;
    let id = body["data"]["createTransparencyReport"]["report"]["id"].clone();
    let body = run_op(
        &app,
        &reports,
        "UpdateTransparencyReport",
        Some(admin.clone()),
        json!({"input": {"id": id, "expectedVersion": 1, "sections": {
            "nationalImplementationMeasures": "Law on cluster munitions",
            "stockpiles": [{"munitionType": "BLU-63", "munitions": 0, "submunitions": 0, "retained": 0, "destroyedThisPeriod": 0}],
            "contaminatedAreas": [{"location": "Xieng Khouang", "areaSquareMetres": "125.50", "remnantTypes": "BLU-26"}],
            "clearance": [{"location": "Savannakhet", "areaClearedSquareMetres": "1000", "remnantsDestroyed": 5}],
            "nationalResources": {"amount": "1000.00", "currency": "USD"},
            "cooperationProvided": [{"recipient": "UXO Lao", "thematicArea": "CLEARANCE", "amount": {"amount": "10", "currency": "CHF"}, "description": "Survey"}]
        }}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateTransparencyReport"]["report"]["version"],
        2
    );
    run_op(
        &app,
        &reports,
        "SubmitTransparencyReport",
        Some(admin.clone()),
        json!({"id": id}),
    )
    .await;
    let body = run_op(
        &app,
        &reports,
        "PublishTransparencyReport",
        Some(admin.clone()),
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["publishTransparencyReport"]["report"]["status"],
        "PUBLISHED"
    );
    let body = run_op(
        &app,
        &reports,
        "TransparencyReports",
        None,
        json!({"first": 5, "filter": {"stateCode": "LAO"}}),
    )
    .await;
    assert_eq!(body["data"]["transparencyReports"]["totalCount"], 1);
    let body = run_op(
        &app,
        &reports,
        "TransparencyReport",
        None,
        json!({"id": id}),
    )
    .await;
    assert_eq!(
        body["data"]["transparencyReport"]["sections"]["clearance"][0]["remnantsDestroyed"],
        5
    );
    let body = run_op(
        &app,
        &reports,
        "ReportingCompliance",
        None,
        json!({"year": 2024}),
    )
    .await;
    assert!(
        body["data"]["reportingCompliance"]["submitted"].as_i64() >= Some(1),
        "{body}"
    );

    let coop = operations("cooperation.graphql");
    run_op(
        &app,
        &coop,
        "SetExchangeRate",
        Some(admin.clone()),
        json!({"input": {"currency": "USD", "rateToBase": "0.90", "validFrom": "2020-01-01"}}),
    )
    .await;
    let body = run_op(&app, &coop, "ExchangeRates", Some(admin.clone()), json!({})).await;
    assert_eq!(body["data"]["exchangeRates"][0]["currency"], "USD");
    let body = run_op(
        &app,
        &coop,
        "CreateAssistanceNeed",
        Some(admin.clone()),
        json!({"input": {"stateCode": "LAO", "thematicArea": "CLEARANCE", "assistanceTypes": ["FINANCIAL"], "title": "Survey", "amount": {"amount": "1000", "currency": "USD"}, "sourceReportId": id}}),
    )
    .await;
    let need = body["data"]["createAssistanceNeed"]["need"]["id"].clone();
    let body = run_op(
        &app,
        &coop,
        "CreateAssistanceOffer",
        Some(admin.clone()),
        json!({"input": {"providerStateCode": "CHE", "thematicAreas": ["CLEARANCE"], "assistanceTypes": ["FINANCIAL"], "title": "Swiss support", "amount": {"amount": "500", "currency": "CHF"}, "targetRegions": ["ASIA_PACIFIC"], "targetStateCodes": ["LAO"]}}),
    )
    .await;
    let offer = body["data"]["createAssistanceOffer"]["offer"]["id"].clone();
    let body = run_op(
        &app,
        &coop,
        "NeedMatches",
        Some(admin.clone()),
        json!({"id": need, "first": 5}),
    )
    .await;
    assert_eq!(
        body["data"]["assistanceNeed"]["matches"][0]["offer"]["id"], offer,
        "{body}"
    );
    let body = run_op(
        &app,
        &coop,
        "OfferMatches",
        Some(admin.clone()),
        json!({"id": offer, "first": 5}),
    )
    .await;
    assert_eq!(
        body["data"]["assistanceOffer"]["matches"][0]["need"]["id"],
        need
    );
    run_op(
        &app,
        &coop,
        "AssistanceNeeds",
        Some(admin.clone()),
        json!({"first": 5, "filter": {"thematicArea": "CLEARANCE"}}),
    )
    .await;
    run_op(
        &app,
        &coop,
        "AssistanceOffers",
        Some(admin.clone()),
        json!({"first": 5, "filter": {"thematicArea": "CLEARANCE"}}),
    )
    .await;
    let body = run_op(
        &app,
        &coop,
        "CooperationAllocation",
        Some(admin.clone()),
        json!({}),
    )
    .await;
    assert_eq!(
        body["data"]["cooperationAllocation"]["totalAllocated"]["amount"], "500.00",
        "{body}"
    );
    let body = run_op(&app, &coop, "ProposeMatch", Some(admin.clone()), json!({"input": {"needId": need, "offerId": offer, "amount": {"amount": "450", "currency": "CHF"}}})).await;
    let proposal = body["data"]["proposeMatch"]["proposal"]["id"].clone();
    assert_eq!(
        body["data"]["proposeMatch"]["proposal"]["amount"],
        json!({"amount": "500.00", "currency": "USD"})
    );
    for status in ["CONTACTED", "AGREED"] {
        run_op(
            &app,
            &coop,
            "UpdateMatchStatus",
            Some(admin.clone()),
            json!({"input": {"id": proposal, "status": status}}),
        )
        .await;
    }
    let body = run_op(
        &app,
        &coop,
        "UpdateMatchStatus",
        Some(admin.clone()),
        json!({"input": {"id": proposal, "status": "DELIVERED", "note": "done"}}),
    )
    .await;
    assert_eq!(
        body["data"]["updateMatchStatus"]["proposal"]["need"]["status"], "PARTIALLY_MET",
        "{body}"
    );
    run_op(
        &app,
        &coop,
        "WithdrawAssistanceNeed",
        Some(admin.clone()),
        json!({"id": need}),
    )
    .await;
    run_op(
        &app,
        &coop,
        "WithdrawAssistanceOffer",
        Some(admin.clone()),
        json!({"id": offer}),
    )
    .await;

    let sponsorship = operations("sponsorship.graphql");
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let body = run_op(
        &app,
        &sponsorship,
        "CreateMeeting",
        Some(admin.clone()),
        json!({"input": {"kind": "MEETING_OF_STATES_PARTIES", "title": "Fourteenth Meeting of States Parties",
            "startsOn": format!("{year}-09-14"), "endsOn": format!("{year}-09-17"), "venue": "Geneva",
            "applicationDeadline": format!("{year}-07-31"),
            "sponsorshipBudget": {"amount": "150000", "currency": "CHF"},
            "dailySubsistenceAllowance": {"amount": "350", "currency": "CHF"}}}),
    )
    .await;
    let meeting = body["data"]["createMeeting"]["meeting"]["id"].clone();
    let body = run_op(
        &app,
        &sponsorship,
        "Meetings",
        None,
        json!({"first": 10, "filter": {"kind": "MEETING_OF_STATES_PARTIES", "year": year}}),
    )
    .await;
    assert_eq!(body["data"]["meetings"]["totalCount"], 1, "{body}");
    let lao = app.token_for("DELEGATION", Some("LAO")).await;
    let body = run_op(
        &app,
        &sponsorship,
        "ApplyForSponsorship",
        Some(lao.clone()),
        json!({"input": {"meetingId": meeting, "stateCode": "LAO",
            "delegate": {"fullName": "Phonsavanh Vongsa", "gender": "FEMALE", "position": "Deputy Director", "email": "p.vongsa@mofa.gov.la"},
            "requestedTravel": {"amount": "1850", "currency": "CHF"}, "requestedDays": 5}}),
    )
    .await;
    let application = &body["data"]["applyForSponsorship"]["application"];
    assert_eq!(application["requestedTotal"]["amount"], "3600.00");
    assert_eq!(application["eligible"], true);
    let application = application["id"].clone();
    let body = run_op(
        &app,
        &sponsorship,
        "DecideSponsorshipApplication",
        Some(admin.clone()),
        json!({"input": {"applicationId": application, "decision": "APPROVED", "note": "Priority: clearance"}}),
    )
    .await;
    assert_eq!(
        body["data"]["decideSponsorshipApplication"]["application"]["approvedAmount"]["amount"],
        "3600.00"
    );
    let body = run_op(
        &app,
        &sponsorship,
        "SponsorshipOverview",
        Some(admin.clone()),
        json!({"meetingId": meeting}),
    )
    .await;
    assert_eq!(
        body["data"]["meeting"]["sponsorshipRemaining"]["amount"],
        "146400.00"
    );
    assert_eq!(body["data"]["meeting"]["sponsorshipStats"]["approved"], 1);
    let body = run_op(
        &app,
        &sponsorship,
        "WithdrawSponsorshipApplication",
        Some(lao),
        json!({"id": application}),
    )
    .await;
    assert_eq!(
        body["data"]["withdrawSponsorshipApplication"]["application"]["status"],
        "WITHDRAWN"
    );
}
