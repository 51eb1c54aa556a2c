//! `importHistory`: a thin wrapper over [`crate::domain::history::import`].

use async_graphql::{Context, Object};

use super::types::{ImportHistoryInput, ImportHistoryPayload};
use crate::api::errors::respond;
use crate::api::{app, viewer};
use crate::domain::history::import;

#[derive(Default)]
pub struct HistoryMutation;

#[Object]
impl HistoryMutation {
    /// Imports the history before the system: reports submitted, extensions granted,
    /// completions declared, and from when each State's records are complete. ISU_ADMIN
    /// only. All or nothing: a file with any bad line is refused with every bad line in
    /// `userErrors` (field `input.csv.<line>.<column>`), and nothing is written.
    async fn import_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file's name and text.")] input: ImportHistoryInput,
    ) -> async_graphql::Result<ImportHistoryPayload> {
        let app = app(ctx)?;
        respond(
            import::import_history(
                &app.db,
                viewer(ctx),
                &input.file_name,
                &input.csv,
                app.clock.today(),
            )
            .await,
        )
    }
}
