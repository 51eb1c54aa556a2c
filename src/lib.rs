//! ccm-isu: the backend of the Implementation Support Unit (ISU) of the Convention on
//! Cluster Munitions, a GraphQL API over SQLite (embedded default) or PostgreSQL.
//!
//! # Layout
//! - [`config`]: typed settings from flags and environment; secrets never print.
//! - [`startup`]: [`startup::Application`] builds the app (database, migrations, first-start
//!   data, listener) and runs it until a shutdown signal.
//! - [`console`]: the GraphQL console served at `GET /graphql`, embedded and offline.
//! - [`db`]: connection pool with explicit timeouts.
//! - [`error`]: the service-layer error and the API error with stable codes.
//! - [`calendar`]: iCalendar feeds of deadlines (pure rendering).
//! - [`clock`]: "today" for treaty computations, pinnable with `ISU_TODAY`.
//! - [`auth`]: passwords, JWT access tokens, rotating refresh tokens, the [`auth::Viewer`]
//!   (who is asking) and user management.
//! - [`graphql`]: `schema()`, scalars, global IDs and the `Node` interface, pagination.
//! - [`states`]: the States registry (loaded from the embedded `data/states.csv`), its
//!   obligations fed to the engine, extensions, and registry corrections.
//! - [`money`]: amounts with ISO 4217 currencies; validation.
//! - [`obligations`]: pure treaty date rules: Article 17 entry into force and the
//!   obligations engine (Articles 3, 4, 7; extensions; status on a date).
//! - [`reports`]: Article 7 transparency reports: sections, lifecycle, who may see and act
//!   on them, and reporting compliance.
//! - [`cooperation`]: needs for assistance (Article 6); who may see them.
//! - [`allocation`]: pure min-cost max-flow allocation of offers to needs.
//! - [`matching`]: pure eligibility, scores and reasons for offers and needs.
//! - [`sponsorship`]: meetings and the Sponsorship Programme: applications, the
//!   eligibility policy, decisions within budget, statistics and the suggestion (pure
//!   `eligibility` and `suggestion`).
//! - [`budget`]: the ISU's workplan and budget, expenditure, contributions and the
//!   Working Capital Reserve (pure `sharing`).
//! - [`audit`]: the audit log, written in the same transaction as each change.
//! - [`pagination`]: keyset pages (limit, cursor key, total) for services.
//! - [`http`]: the axum router: `/graphql`, GraphiQL, health checks, calendar feeds, CSV
//!   exports.
//! - [`seed`]: the States registry and the labelled demo data set, from the command line.

pub mod allocation;
pub mod audit;
pub mod auth;
pub mod budget;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod console;
pub mod cooperation;
pub mod copy;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod idempotency;
pub mod matching;
pub mod metrics;
pub mod money;
pub mod obligations;
pub mod pagination;
pub mod reports;
pub mod seed;
pub mod sponsorship;
pub mod startup;
pub mod states;
pub mod telemetry;
