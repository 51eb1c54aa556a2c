//! The GraphQL schema and its plumbing.
//!
//! [`builder`] assembles the schema from each domain's query and mutation objects with no
//! runtime data, so the same code serves requests (with [`crate::api::context::AppContext`]
//! attached) and exports `schema.graphql` ([`sdl`]).

pub mod action_plan;
pub mod audit;
pub mod auth;
pub mod budget;
pub mod context;
pub mod cooperation;
pub mod cost;
pub mod documents;
pub mod enums;
pub mod error;
pub mod errors;
pub mod experts;
pub mod extensions;
pub mod gate;
pub mod history;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod loaders;
pub mod metrics;
pub mod money;
pub mod node;
pub mod notifications;
pub mod pagination;
pub mod records;
pub mod reports;
pub mod scalars;
pub mod sponsorship;
pub mod states;
pub mod writes;

use std::time::Instant;

use async_graphql::parser::types::OperationType;
use async_graphql::{
    Context, EmptySubscription, MergedObject, Request, Response, SDLExportOptions, Schema,
    SchemaBuilder,
};

use crate::api::context::AppContext;
use crate::api::error::ApiError;
use crate::auth::Viewer;

/// Reads: the registry and its deadlines, reports, cooperation, sponsorship, the workplan and
/// budget, the audit log, meetings' records, action plans, reminders and notifications, and
/// any object by its global ID.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    crate::api::auth::query::AuthQuery,
    crate::api::states::query::StatesQuery,
    crate::api::reports::query::ReportsQuery,
    crate::api::cooperation::query::CooperationQuery,
    crate::api::sponsorship::query::SponsorshipQuery,
    crate::api::budget::query::BudgetQuery,
    crate::api::audit::query::AuditQuery,
    crate::api::records::query::RecordsQuery,
    crate::api::records::query::SearchQuery,
    crate::api::action_plan::query::ActionPlanQuery,
    crate::api::notifications::query::NotificationsQuery,
    crate::api::experts::query::ExpertsQuery,
    crate::api::experts::practices::PracticesQuery,
    crate::api::extensions::query::ExtensionsQuery,
    crate::api::extensions::milestones::MilestonesQuery,
);

/// Writes: each takes one `input` and answers a payload whose `userErrors` say why nothing was
/// written.
#[derive(MergedObject, Default)]
pub struct Mutation(
    crate::api::auth::mutation::AuthMutation,
    crate::api::states::mutation::StatesMutation,
    crate::api::history::mutation::HistoryMutation,
    crate::api::reports::mutation::ReportsMutation,
    crate::api::cooperation::mutation::CooperationMutation,
    crate::api::sponsorship::mutation::SponsorshipMutation,
    crate::api::budget::mutation::BudgetMutation,
    crate::api::records::mutation::RecordsMutation,
    crate::api::action_plan::mutation::ActionPlanMutation,
    crate::api::notifications::mutation::NotificationsMutation,
    crate::api::experts::mutation::ExpertsMutation,
    crate::api::experts::practices::PracticesMutation,
    crate::api::extensions::mutation::ExtensionsMutation,
    crate::api::extensions::analysis::AnalysisMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(limits::MAX_DEPTH_WITH_INTROSPECTION)
        .limit_complexity(limits::MAX_COMPLEXITY)
        .limit_directives(limits::MAX_DIRECTIVES)
}

/// Runs one operation: parses it, checks its cost ([`cost::QueryCost::check`], before
/// validation, which a costly document would otherwise freeze), its shape
/// ([`limits::check_shape`]; `introspection` says whether the server answers
/// introspection) and its strings ([`inputs::check_strings`]), executes it within its
/// run-time budget of objects ([`cost::Budget`], counted by the lists as they resolve), a
/// query in its turn ([`gate`]), and counts it by name. The document is parsed once per
/// text and server ([`documents`]). None of this is a schema extension: async-graphql runs
/// those after validation, and any extension slows the resolution of every field.
///
/// An operation refused before it runs (it does not parse or validate, a check refuses it)
/// answers errors without a `path` and a null `data`, and so does one stopped by its
/// budget; one that ran has data, or errors with a path.
///
/// Last before it runs, a mutation takes from its user's writes per minute
/// ([`writes::admit`]); past them, it is refused like the checks' refusals.
pub async fn execute(
    schema: &AppSchema,
    ctx: &AppContext,
    request: Request,
    introspection: bool,
) -> Response {
    let (metrics, cost) = (&ctx.metrics, &ctx.query_cost);
    let started = Instant::now();
    let requested = request.operation_name.clone();
    let budget = cost.budget();
    let mut request = request.data(budget.clone());
    let checked = match ctx.documents.parse(&request.query) {
        Ok(doc) => {
            let name = crate::api::metrics::operation_name(requested.as_deref(), &doc);
            let verdict = cost
                .check(&doc, requested.as_deref(), &request.variables)
                .and_then(|_| limits::check_shape(&doc, requested.as_deref(), introspection))
                .and_then(|()| inputs::check_strings(&doc, &request.variables))
                .and_then(|()| writes::admit(&doc, requested.as_deref(), &request.data));
            let mutation = documents::selected(&doc, requested.as_deref())
                .is_some_and(|op| op.node.ty == OperationType::Mutation);
            request.set_parsed_query(doc);
            Some((name, verdict.map(|()| mutation)))
        }
        // The schema parses it again and answers the parse error as usual.
        Err(_) => None,
    };
    let (name, response) = match checked {
        Some((name, Err(refusal))) => (name, Response::from_errors(vec![refusal.into()])),
        Some((name, Ok(mutation))) => {
            // A query waits for its turn ([`gate`]); a mutation does not take one.
            let _turn = match mutation {
                false => Some(ctx.queries.enter().await),
                true => None,
            };
            (name, schema.execute(request).await)
        }
        None => (
            requested.unwrap_or_else(|| "unparsed".into()),
            schema.execute(request).await,
        ),
    };
    let response = if budget.tripped() {
        Response::from_errors(vec![budget.refusal().into()])
    } else {
        response
    };
    metrics.operation(&name, started.elapsed(), !response.errors.is_empty());
    response
}

/// Whether `schema` answers introspection (`ISU_INTROSPECTION`, off in production). The
/// schema keeps that setting to itself, so this asks it, once per server (see
/// `crate::http`): with introspection off, `__schema` resolves to null.
pub async fn answers_introspection(schema: &AppSchema) -> bool {
    let probe = schema
        .execute(Request::new("{ __schema { __typename } }"))
        .await;
    match probe.data {
        async_graphql::Value::Object(data) => data
            .get("__schema")
            .is_some_and(|s| *s != async_graphql::Value::Null),
        _ => false,
    }
}

/// The schema with no runtime data: for exporting the SDL and validating documents.
pub fn schema() -> AppSchema {
    builder().finish()
}

/// The SDL with sorted fields, arguments and enum values, ending in one newline, exactly as
/// committed in `schema.graphql`.
pub fn sdl() -> String {
    let sdl = schema().sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items()
            .include_specified_by(),
    );
    format!("{}\n", sdl.trim_end())
}

/// The server's shared state, attached to the schema.
pub fn app<'a>(ctx: &Context<'a>) -> Result<&'a AppContext, ApiError> {
    ctx.data::<AppContext>()
        .map_err(|_| ApiError::Internal("AppContext missing from schema data".into()))
}

/// The client's address of this request, for the password throttle. The HTTP handler
/// attaches one to every request (`crate::http`, after `ISU_TRUSTED_PROXIES`), so a request
/// without one was run some other way, and a password check there is a fault rather than a
/// check from some shared "unknown" address: every such caller would count on one throttle
/// counter, and ten of them would lock the others out.
pub fn client_addr<'a>(ctx: &Context<'a>) -> Result<&'a str, ApiError> {
    ctx.data::<context::ClientAddr>()
        .map(|a| a.0.as_str())
        .map_err(|_| ApiError::Internal("ClientAddr missing from the request's data".into()))
}

/// The viewer of this request; anonymous when none was attached.
pub fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    static ANONYMOUS: std::sync::OnceLock<Viewer> = std::sync::OnceLock::new();
    ctx.data_opt::<Viewer>()
        .unwrap_or_else(|| ANONYMOUS.get_or_init(Viewer::anonymous))
}
