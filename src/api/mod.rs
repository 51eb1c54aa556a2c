//! The GraphQL schema and its plumbing.
//!
//! [`builder`] assembles the schema from each domain's query and mutation objects with no
//! runtime data, so the same code serves requests (with [`crate::api::context::AppContext`]
//! attached) and exports `schema.graphql` ([`sdl`]).

pub mod audit;
pub mod auth;
pub mod budget;
pub mod context;
pub mod cooperation;
pub mod enums;
pub mod error;
pub mod errors;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod loaders;
pub mod metrics;
pub mod money;
pub mod node;
pub mod pagination;
pub mod reports;
pub mod scalars;
pub mod sponsorship;
pub mod states;

use std::time::Instant;

use async_graphql::{
    Context, EmptySubscription, MergedObject, Request, Response, SDLExportOptions, Schema,
    SchemaBuilder,
};

use crate::api::context::AppContext;
use crate::api::error::ApiError;
use crate::api::metrics::Metrics;
use crate::auth::Viewer;

/// Reads: the registry and its deadlines, reports, cooperation, sponsorship, the workplan and
/// budget, the audit log, and any object by its global ID.
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
);

/// Writes: each takes one `input` and answers a payload whose `userErrors` say why nothing was
/// written.
#[derive(MergedObject, Default)]
pub struct Mutation(
    crate::api::auth::mutation::AuthMutation,
    crate::api::states::mutation::StatesMutation,
    crate::api::reports::mutation::ReportsMutation,
    crate::api::cooperation::mutation::CooperationMutation,
    crate::api::sponsorship::mutation::SponsorshipMutation,
    crate::api::budget::mutation::BudgetMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(limits::MAX_DEPTH_WITH_INTROSPECTION)
        .limit_complexity(limits::MAX_COMPLEXITY)
        .limit_directives(limits::MAX_DIRECTIVES)
}

/// Runs one operation: parses it, checks its shape ([`limits::check_shape`]; `introspection`
/// says whether the server answers introspection) and its strings ([`inputs::check_strings`]), executes it and counts it by name. This
/// is not done in schema extensions because, with any extension installed, async-graphql
/// sends every field of every object through the extension chain, which cost a list of 100
/// States a third of its time.
///
/// An operation refused before it runs (it does not parse or validate, or the shape check
/// refuses it) answers errors without a `path` and a null `data`; one that ran has data,
/// or errors with a path.
pub async fn execute(
    schema: &AppSchema,
    metrics: &Metrics,
    mut request: Request,
    introspection: bool,
) -> Response {
    let started = Instant::now();
    let requested = request.operation_name.clone();
    // Taken out while the parsed document borrows the request, then put back.
    let variables = std::mem::take(&mut request.variables);
    let checked = match request.parsed_query() {
        Ok(doc) => Some((
            crate::api::metrics::operation_name(requested.as_deref(), doc),
            limits::check_shape(doc, requested.as_deref(), introspection)
                .and_then(|()| inputs::check_strings(doc, &variables)),
        )),
        // The schema parses it again and answers the parse error as usual.
        Err(_) => None,
    };
    request.variables = variables;
    let (name, response) = match checked {
        Some((name, Err(refusal))) => (name, Response::from_errors(vec![refusal.into()])),
        Some((name, Ok(()))) => (name, schema.execute(request).await),
        None => (
            requested.unwrap_or_else(|| "unparsed".into()),
            schema.execute(request).await,
        ),
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

/// The viewer of this request; anonymous when none was attached.
pub fn viewer<'a>(ctx: &Context<'a>) -> &'a Viewer {
    static ANONYMOUS: std::sync::OnceLock<Viewer> = std::sync::OnceLock::new();
    ctx.data_opt::<Viewer>()
        .unwrap_or_else(|| ANONYMOUS.get_or_init(Viewer::anonymous))
}
