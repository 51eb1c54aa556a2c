//! What resolvers and handlers share: the server's context, built once at startup, and
//! what the HTTP layer learns of each request. Defined here, at the API layer, so that
//! everything that uses them imports downwards.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::kernel::clock::Clock;
use crate::kernel::config::Environment;

/// What every resolver may use, shared by all requests.
#[derive(Clone)]
pub struct AppContext {
    pub db: DatabaseConnection,
    pub keys: Arc<JwtKeys>,
    /// "Today" for treaty computations.
    pub clock: Clock,
    pub environment: Environment,
    /// Base currency and matching weights.
    pub cooperation: crate::domain::cooperation::CooperationConfig,
    /// Eligibility policy and the suggestion's balance target.
    pub sponsorship: crate::domain::sponsorship::SponsorshipConfig,
    /// The accounts' currency and the reserve's target.
    pub budget: crate::domain::budget::BudgetConfig,
    /// Serve the console at `GET /graphql`.
    pub console: bool,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::api::metrics::Metrics>,
    /// The pool's size, for `/metrics`.
    pub max_connections: u32,
    /// Mount `/debug/panic` (never in production).
    pub fault_injection: bool,
    /// Query cost limits and the schema's cost model.
    pub query_cost: crate::api::cost::QueryCost,
    /// Mutations per minute and user, and what each user has left.
    pub writes: crate::api::writes::WriteLimiter,
    /// Where documents' files are kept.
    pub blobs: crate::kernel::blobs::Blobs,
    /// Largest document file accepted, in bytes.
    pub document_max_bytes: u64,
    /// Outgoing email and reminders: the portal's address for links, the ISU's address.
    pub notifications: crate::domain::notifications::NotificationsConfig,
    /// The expert suggestion weights.
    pub experts: crate::domain::experts::ExpertsConfig,
    /// The sessions this server has found live, kept under the `sessions` stamp.
    pub sessions: Arc<crate::auth::viewer::LiveSessions>,
    /// The registry and its obligations' facts, kept under the `registry` stamp.
    pub registry: Arc<crate::domain::states::snapshot::RegistryCache>,
    /// Turns to execute queries (`ISU_MAX_OPERATIONS`).
    pub queries: Arc<crate::api::gate::QueryGate>,
    /// Parsed GraphQL documents, kept by their text.
    pub documents: Arc<crate::api::documents::Documents>,
    /// The published reports' list columns, kept under the `published_reports` stamp.
    pub published_reports: Arc<crate::domain::reports::published::PublishedCache>,
}

/// The client's address, for throttling password attempts: attached by the HTTP handler to
/// every request it runs; read with [`crate::api::client_addr`], which refuses to go on
/// without it.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);
