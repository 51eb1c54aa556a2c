//! ccm-isu: the backend of the Implementation Support Unit (ISU) of the Convention on
//! Cluster Munitions, a GraphQL API over SQLite (embedded default) or PostgreSQL.
//!
//! # Layout
//! Layers, bottom first; each imports only from itself and the layers below it
//! (`tests/layers.rs` fails on an import that reaches up). Where a thing goes: does it know a
//! domain? no: [`kernel`]. Does it touch the database? no: [`rules`]. Does it know GraphQL?
//! yes: [`api`]. Does it know HTTP? yes: [`http`]. Otherwise [`domain`]`/<name>/`.
//! - [`kernel`]: knows no domain. Settings ([`kernel::config`]), "today" ([`kernel::clock`]),
//!   the pool ([`kernel::db`]), [`kernel::error::ServiceError`], keyset pages
//!   ([`kernel::pagination`]), money, the unit of work ([`kernel::uow`]: a mutation's
//!   transaction, which writes its audit entry and the idempotency claim; `Audited`, how an
//!   entity shows in the log; `unchanged`, whether an update changes anything;
//!   `bounded_add` for capped counters), what a server may keep between requests
//!   ([`kernel::stamps`]: counters that triggers move in every writing transaction, read once
//!   per request), stored files ([`kernel::blobs`]: in the database in
//!   pieces, or in a directory, streamed both ways), what an entry keeps ([`kernel::audit_json`]: the
//!   fields that changed, long values cut to a digest), global IDs
//!   ([`kernel::ids`]: the format and the one typed decoder), the treaty vocabulary the
//!   rules share with the tables, the text of uploaded files ([`kernel::extract`]: HTML
//!   without its markup, the text of a PDF), CSV line numbers, logs; how figures print
//!   ([`kernel::figures`]), charts drawn as SVG with their CSV ([`kernel::charts`]) and
//!   documents typeset as PDF and HTML behind a render gate ([`kernel::typeset`]).
//! - [`rules`]: pure functions over plain data, table-tested: treaty deadlines
//!   ([`rules::obligations`], with extension requests' milestones), matching, allocation, sponsorship eligibility and suggestion,
//!   sharing contributions, action plan indicators ([`rules::indicators`]), the actions a
//!   reference names, which reminder of a deadline is due ([`rules::reminders`]) and the
//!   experts suggested for a need ([`rules::experts`]). No database, no GraphQL.
//! - [`auth`]: who is asking ([`auth::Viewer`]), passwords, access tokens, sessions and the
//!   sign-in throttle. Knows users, not domains; services take the Viewer, so it sits below
//!   them.
//! - [`domain`]: one folder per domain (states, reports, history, cooperation, sponsorship,
//!   budget, records, action_plan, notifications, experts, extensions, publications, users, audit): its tables' queries and business rules, taking the Viewer, returning
//!   domain structs or a `ServiceError`. Who may read a type is one rule in its domain
//!   (e.g. `domain::cooperation::visibility`), which every path applies. Domains depend one
//!   way (on `states`; `history`, which imports what happened before the system, also on
//!   `reports`; `records` on `sponsorship`'s meetings; `action_plan`, whose indicators are
//!   computed from everything, on `states`, `records` and `budget`; `notifications` on
//!   `states` and `users`, and `reports`, `sponsorship` and `cooperation` on `notifications`,
//!   whose events they write in their own transactions; `experts` on `states`, `records`,
//!   `cooperation` and `notifications`, for nationalities, documents, needs and the needing
//!   State's contact points' languages; `extensions` (extension requests) on `states`, whose
//!   deadlines it extends, and `records`, for the meetings' documents and decisions (the
//!   reminders of the last day to ask, in `notifications`, read the meetings and requests
//!   tables as plain rows and apply the pure milestone rule, so that `notifications` imports
//!   neither);
//!   `publications`, the charts and management reports,
//!   on those whose figures it shows), never in a circle.
//! - [`api`]: everything GraphQL: [`api::schema`], `node`/`nodes`, the per-request loaders,
//!   [`api::error::ApiError`], the checks before a document runs (its cost, [`api::cost`];
//!   its shape, [`api::limits`]; its strings, [`api::inputs`]; its user's writes per
//!   minute, [`api::writes`]), and per domain a folder of
//!   `types`, `query` and `mutation`.
//!   GraphQL types reference one another freely: the graph is bidirectional, this layer
//!   holds it.
//! - [`http`]: the accept loop (timeouts, connection cap, trusted proxies) and the router:
//!   `/graphql` (media types, batches, idempotency), the console, calendar feeds, CSV
//!   exports, charts and reports, health, metrics, caching and compression.
//! - [`startup`] (wires the layers: `Application::build`), [`seed`] and [`copy`] (command-line
//!   work) at the top.
//!
//! A new domain, say extension requests, adds five files at least: `domain/extensions/mod.rs`
//! and `domain/extensions/service.rs` (its tables and rules; its changes through a `Uow`, its
//! rows `Audited`), its pure rules in `rules/`, and `api/extensions/{types,query,mutation}.rs`
//! merged into [`api::Query`] and [`api::Mutation`]; its tables are `entity/` models and a
//! `migration/`.

pub mod api;
pub mod auth;
pub mod copy;
pub mod domain;
pub mod http;
pub mod kernel;
pub mod rules;
pub mod seed;
pub mod startup;
