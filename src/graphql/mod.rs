//! The GraphQL schema and its plumbing.
//!
//! [`builder`] assembles the schema from each domain's query and mutation objects with no
//! runtime data, so the same code serves requests (with [`crate::startup::AppContext`]
//! attached) and exports `schema.graphql` ([`sdl`]).

pub mod enums;
pub mod errors;
pub mod ids;
pub mod limits;
pub mod loaders;
pub mod money;
pub mod node;
pub mod pagination;
pub mod scalars;

use async_graphql::{
    Context, EmptySubscription, MergedObject, SDLExportOptions, Schema, SchemaBuilder,
};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::startup::AppContext;

#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    crate::auth::query::AuthQuery,
    crate::states::query::StatesQuery,
    crate::reports::query::ReportsQuery,
    crate::cooperation::query::CooperationQuery,
    crate::sponsorship::query::SponsorshipQuery,
    crate::budget::query::BudgetQuery,
    crate::audit::query::AuditQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    crate::auth::mutation::AuthMutation,
    crate::states::mutation::StatesMutation,
    crate::reports::mutation::ReportsMutation,
    crate::cooperation::mutation::CooperationMutation,
    crate::sponsorship::mutation::SponsorshipMutation,
    crate::budget::mutation::BudgetMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

pub fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(limits::MAX_DEPTH_WITH_INTROSPECTION)
        .limit_complexity(limits::MAX_COMPLEXITY)
        .limit_directives(limits::MAX_DIRECTIVES)
        .extension(limits::ShapeLimits)
        .extension(crate::metrics::Observe)
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
            .sorted_enum_items(),
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
