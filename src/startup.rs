//! Building and running the application.
//!
//! [`Application::build`] connects, migrates, loads first-start data (the States registry,
//! the JWT secret in development, the first administrator) and binds the listener (port 0
//! in tests). [`Application::run_until_stopped`] serves until the shutdown future resolves,
//! through the accept loop of [`crate::http::server`], and meanwhile runs the background
//! tasks: the sweep of orphan files and, with `ISU_REMINDERS`, the reminders' planner and
//! the email sender (`reminders`).

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use entity::app_setting;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use tokio::net::TcpListener;

use crate::api::context::AppContext;
use crate::api::{self, AppSchema};
use crate::auth::{jwt::JwtKeys, password, tokens};
use crate::domain::notifications::sender::{self, Mailer};
use crate::domain::notifications::{NotificationsConfig, planner};
use crate::domain::states::registry;
use crate::domain::users::service as users;
use crate::http::server::{self, ServeConfig, Timeouts};
use crate::http::{self, AppState, MetricsExposure, RouterOptions};
use crate::kernel::clock::Clock;
use crate::kernel::config::{Environment, Settings};
use crate::kernel::error::ServiceError;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration: {0}")]
    Config(#[from] crate::kernel::config::ConfigError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("{0}")]
    Service(String),
    #[error("listener: {0}")]
    Io(#[from] std::io::Error),
    /// `ISU_SMTP_URL` or `ISU_MAIL_FROM` cannot work (the message names no credential).
    #[error("configuration: {0}")]
    Mail(String),
}

impl From<ServiceError> for StartupError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Db(e) => Self::Db(e),
            ServiceError::Internal(m) => Self::Service(m),
            ServiceError::Refused(r) => Self::Service(
                r.into_iter()
                    .map(|r| r.message)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        }
    }
}

pub struct Application {
    listener: TcpListener,
    /// `ISU_METRICS_LISTEN`: `/metrics` alone.
    metrics_listener: Option<TcpListener>,
    state: AppState,
    options: RouterOptions,
    serve: ServeConfig,
    /// The database for the background tasks: the same pool, its statements not counted in
    /// `/metrics` (see [`crate::api::metrics`]).
    background_db: DatabaseConnection,
    /// `ISU_SMTP_URL`'s client; None: emails stay PENDING.
    mailer: Option<Mailer>,
}

const JWT_SECRET_KEY: &str = "jwt_secret";
/// Connections of `/metrics`' own listener.
const METRICS_CONNECTIONS: usize = 16;
/// How much longer than the request timeout a response may make no progress.
const STALL_MARGIN: Duration = Duration::from_secs(5);

/// The configured secret, or in development one generated once and kept in the database.
async fn jwt_secret(settings: &Settings, db: &DatabaseConnection) -> Result<String, StartupError> {
    if let Some(s) = &settings.jwt_secret {
        return Ok(s.expose().to_owned());
    }
    if let Some(row) = app_setting::Entity::find_by_id(JWT_SECRET_KEY)
        .one(db)
        .await?
    {
        tracing::warn!(
            "ISU_JWT_SECRET is not set: using the development secret stored in the database"
        );
        return Ok(row.value);
    }
    let generated = tokens::random_secret(48)?;
    let inserted = app_setting::ActiveModel {
        key: Set(JWT_SECRET_KEY.to_owned()),
        value: Set(generated.clone()),
    }
    .insert(db)
    .await;
    tracing::warn!(
        "ISU_JWT_SECRET is not set: generated a development secret and stored it in the database"
    );
    match inserted {
        Ok(_) => Ok(generated),
        // Another process stored one first: use theirs.
        Err(_) => app_setting::Entity::find_by_id(JWT_SECRET_KEY)
            .one(db)
            .await?
            .map(|r| r.value)
            .ok_or_else(|| StartupError::Service("could not store the JWT secret".into())),
    }
}

/// What every start does before serving, and every command before its work: settles from
/// when the records are complete (`ISU_RECORDS_SINCE`, else the day the database was
/// created), and on a first start loads the shipped registry and history. Returns the
/// deployment's start of the records.
pub async fn first_start(
    settings: &Settings,
    db: &DatabaseConnection,
) -> Result<chrono::NaiveDate, StartupError> {
    let clock = Clock::new(settings.today);
    let records_since =
        crate::domain::states::records::settle(db, settings.records_since, clock.today()).await?;
    if let Some(report) = registry::load_if_empty(db).await? {
        tracing::info!(states = report.inserted, "loaded the States registry");
        if !settings.shipped_history {
            tracing::info!(
                %records_since,
                "ISU_SHIPPED_HISTORY=false: the shipped history is not loaded; the records are \
                 complete from {records_since}"
            );
            return Ok(records_since);
        }
        let history = crate::domain::history::import::load_shipped(db, clock.today()).await?;
        tracing::info!(
            extensions = history.extensions.created,
            completions = history.completions.created,
            %records_since,
            "loaded the shipped history (data/history.csv: extensions granted and completions \
             declared before the system); the records are complete from {records_since} \
             (ISU_RECORDS_SINCE, else the day this database was created): what fell due before \
             and is not in the history is NOT_RECORDED, not OVERDUE"
        );
    } else {
        tracing::info!(%records_since, "the records are complete from this day");
    }
    Ok(records_since)
}

/// First-start work on a migrated database; returns the shared context.
pub async fn prepare(
    settings: &Settings,
    db: DatabaseConnection,
    metrics: Arc<crate::api::metrics::Metrics>,
) -> Result<AppContext, StartupError> {
    let clock = Clock::new(settings.today);
    first_start(settings, &db).await?;
    let secret = jwt_secret(settings, &db).await?;
    let configured = settings.bootstrap_admin_email.clone().zip(
        settings
            .bootstrap_admin_password
            .as_ref()
            .map(|p| p.expose().to_owned()),
    );
    let configured_email = configured.as_ref().map(|(e, _)| e.clone());
    match users::ensure_admin(&db, configured).await? {
        Some(password) => tracing::warn!(
            "created the first administrator: email admin@localhost, password {password} \
             (shown once). Log in with the `login` mutation at /graphql, then call \
             `changePassword`; or set ISU_BOOTSTRAP_ADMIN_EMAIL and ISU_BOOTSTRAP_ADMIN_PASSWORD"
        ),
        None => {
            if let Some(email) = configured_email {
                tracing::info!(%email, "administrator present");
            }
        }
    }
    tokio::task::spawn_blocking(password::warm_up)
        .await
        .map_err(|e| StartupError::Service(e.to_string()))?;
    let blobs = crate::kernel::blobs::Blobs::new(db.clone(), settings.document_dir.clone());
    let queries = Arc::new(crate::api::gate::QueryGate::new(
        settings.connections.limits()?.max_operations,
        Arc::clone(&metrics),
    ));
    Ok(AppContext {
        db,
        keys: Arc::new(JwtKeys::new(secret.as_bytes())),
        clock,
        environment: settings.environment,
        cooperation: crate::domain::cooperation::CooperationConfig::from_settings(settings)?,
        sponsorship: crate::domain::sponsorship::SponsorshipConfig::from_settings(settings)?,
        budget: crate::domain::budget::BudgetConfig::from_settings(settings)?,
        console: settings.console_enabled(),
        metrics,
        max_connections: crate::kernel::db::max_connections(settings),
        fault_injection: settings.fault_injection,
        query_cost: crate::api::cost::QueryCost::from_settings(settings),
        writes: crate::api::writes::WriteLimiter::new(settings.writes.limits()?),
        blobs,
        document_max_bytes: settings.document_max_bytes,
        notifications: crate::domain::notifications::NotificationsConfig::from_settings(settings)?,
        experts: crate::domain::experts::ExpertsConfig::from_settings(settings)?,
        sessions: Arc::default(),
        registry: Arc::default(),
        documents: Arc::default(),
        queries,
        published_reports: Arc::default(),
    })
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        settings.validate()?;
        // A bad ISU_SMTP_URL stops the start, before the database is touched.
        let mailer = Mailer::from_config(&NotificationsConfig::from_settings(&settings)?)
            .map_err(StartupError::Mail)?;
        let metrics = Arc::new(crate::api::metrics::Metrics::new());
        let mut db = crate::kernel::db::connect(&settings).await?;
        // Cloned before the statements are counted: the background tasks' are not.
        let background_db = db.clone();
        metrics.observe_database(&mut db);
        crate::kernel::db::migrate(&db).await?;
        let ctx = prepare(&settings, db, metrics).await?;
        let mut schema = api::builder().data(ctx.clone());
        if !settings.introspection_enabled() {
            schema = schema.disable_introspection();
        }
        if settings.environment == Environment::Production {
            // "Did you mean …?" would map the schema for a caller without introspection.
            schema = schema.disable_suggestions();
        }
        let schema: AppSchema = schema.finish();
        let listener = TcpListener::bind(settings.listen).await?;
        let connections = &settings.connections;
        let metrics_listener = match connections.metrics_listen {
            Some(addr) => Some(TcpListener::bind(addr).await?),
            None => None,
        };
        let limits = connections.limits()?;
        let request_timeout = Duration::from_secs(settings.request_timeout_secs.max(1));
        let fd_limit = server::raise_fd_limit();
        let max_connections = server::connection_cap(
            limits.max_connections,
            fd_limit,
            crate::kernel::db::max_connections(&settings),
        );
        tracing::info!(
            max_connections,
            open_file_limit = fd_limit,
            max_operations = limits.max_operations,
            header_read_timeout_secs = limits.header_read_timeout.as_secs(),
            idle_timeout_secs = limits.idle_timeout.as_secs(),
            "connection limits"
        );
        Ok(Self {
            listener,
            metrics_listener,
            state: AppState {
                schema,
                ctx: Arc::new(ctx),
            },
            options: RouterOptions {
                request_timeout,
                cors_origins: settings.cors()?,
                metrics: MetricsExposure {
                    on_api_listener: connections.metrics_listen.is_none(),
                    token: connections.metrics_token.clone(),
                },
            },
            serve: ServeConfig {
                timeouts: Timeouts {
                    header: limits.header_read_timeout,
                    idle: limits.idle_timeout,
                    stalled: limits.idle_timeout.max(request_timeout + STALL_MARGIN),
                },
                max_connections,
                trusted_proxies: limits.trusted_proxies,
            },
            background_db,
            mailer,
        })
    }

    /// The address of `/metrics`' own listener, when `ISU_METRICS_LISTEN` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn context(&self) -> &AppContext {
        &self.state.ctx
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        tokio::spawn(sweep_files(self.state.ctx.clone(), stopped.clone()));
        if self.state.ctx.notifications.run {
            tokio::spawn(reminders(
                self.state.ctx.clone(),
                self.background_db,
                self.mailer,
                stopped.clone(),
            ));
        }
        let metrics = self.metrics_listener.map(|listener| {
            let router = http::metrics_router(self.state.clone(), &self.options.metrics);
            let config = ServeConfig {
                // A scraper, not a crowd: a few connections are plenty.
                max_connections: METRICS_CONNECTIONS,
                trusted_proxies: Vec::new(),
                ..self.serve.clone()
            };
            tokio::spawn(server::serve(listener, router, config, stopped.clone()))
        });
        let app = http::router(self.state, &self.options);
        let served = server::serve(self.listener, app, self.serve, stopped).await;
        if let Some(metrics) = metrics {
            metrics.await.map_err(std::io::Error::other)??;
        }
        served
    }
}

/// How often stored files that no document names are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Sweeps stored files that no document names ([`crate::domain::records::files::sweep`]) at
/// start and every [`SWEEP_EVERY`], until the server stops.
async fn sweep_files(ctx: Arc<AppContext>, mut stopped: tokio::sync::watch::Receiver<bool>) {
    use crate::domain::records::files::{SWEEP_AFTER, sweep};
    loop {
        let before = crate::kernel::clock::now() - SWEEP_AFTER;
        match sweep(&ctx.db, &ctx.blobs, before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "swept stored files that no document names"),
            Err(e) => tracing::warn!(error = ?e, "the sweep of stored files failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(SWEEP_EVERY) => {}
            _ = stopped.changed() => break,
        }
    }
}

/// How often the sender looks for due emails when the planner's interval is longer: event
/// emails (a report submitted, a match proposed) go out within this.
const SEND_EVERY: Duration = Duration::from_secs(15);

/// The reminders' background task, on a server with `ISU_REMINDERS`: at start and every
/// `ISU_REMINDER_INTERVAL_SECS` the planner writes the reminders due today; every
/// [`SEND_EVERY`] (or the interval, if shorter) the sender delivers the due emails, batch
/// after batch, when `ISU_SMTP_URL` is set; and the outbox's depth is read for `/metrics`.
/// Errors are logged and tried again at the next pass; they never stop the server, and a
/// pass that panicked is followed by the next as usual.
async fn reminders(
    ctx: Arc<AppContext>,
    db: DatabaseConnection,
    mailer: Option<Mailer>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let tick = SEND_EVERY.min(ctx.notifications.interval);
    if mailer.is_none() {
        tracing::warn!(
            "ISU_SMTP_URL is not set: reminders and notices are written to the outbox, and \
             emails stay PENDING until a server with ISU_SMTP_URL sends them"
        );
    }
    let mut next_plan = tokio::time::Instant::now();
    loop {
        let plan_now = tokio::time::Instant::now() >= next_plan;
        if plan_now {
            next_plan = tokio::time::Instant::now() + ctx.notifications.interval;
        }
        let pass = tokio::spawn(reminders_pass(
            ctx.clone(),
            db.clone(),
            mailer.clone(),
            plan_now,
            stopped.clone(),
        ));
        if let Err(e) = pass.await {
            tracing::error!(error = %e, "a pass of the reminders' task failed; the next runs as usual");
        }
        tokio::select! {
            () = tokio::time::sleep(tick) => {}
            _ = stopped.changed() => break,
        }
    }
}

/// One pass: the planner (when its interval has passed), the sender, the outbox's depth.
async fn reminders_pass(
    ctx: Arc<AppContext>,
    db: DatabaseConnection,
    mailer: Option<Mailer>,
    plan_now: bool,
    stopped: tokio::sync::watch::Receiver<bool>,
) {
    let config = ctx.notifications.clone();
    if plan_now {
        plan(&ctx, &db, &config).await;
    }
    if let Some(mailer) = &mailer {
        send(&ctx, &db, mailer, &config, &stopped).await;
    }
    outbox_depth(&ctx, &db).await;
}

/// One run of the planner, for today.
async fn plan(ctx: &AppContext, db: &DatabaseConnection, config: &NotificationsConfig) {
    let today = ctx.clock.today();
    match planner::run(db, today, config, false).await {
        Ok(report) => {
            ctx.metrics.reminders(report.written, report.cancelled);
            if report.written > 0 || report.cancelled > 0 {
                tracing::info!(
                    %today,
                    written = report.written,
                    cancelled = report.cancelled,
                    due_today = report.planned.len(),
                    "planned reminders"
                );
            }
        }
        Err(e) => tracing::warn!(error = %e, %today, "the reminders' planner failed"),
    }
}

/// Sends the due emails, a batch at a time, until none is due or the server stops.
async fn send(
    ctx: &AppContext,
    db: &DatabaseConnection,
    mailer: &Mailer,
    config: &NotificationsConfig,
    stopped: &tokio::sync::watch::Receiver<bool>,
) {
    loop {
        let now = crate::kernel::clock::now();
        match sender::send_due(db, mailer, config, ctx.clock.today(), now, sender::BATCH).await {
            Ok(r) => {
                ctx.metrics
                    .emails(r.sent, r.retried, r.failed, &r.latencies);
                ctx.metrics.reminders(0, r.cancelled);
                if r.retried > 0 || r.failed > 0 {
                    tracing::warn!(
                        sent = r.sent,
                        retried = r.retried,
                        failed = r.failed,
                        cancelled = r.cancelled,
                        "some emails were not accepted (their lastError says why)"
                    );
                } else if r.claimed > 0 {
                    tracing::info!(sent = r.sent, cancelled = r.cancelled, "sent emails");
                }
                if r.claimed < sender::BATCH || *stopped.borrow() {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the email sender failed");
                return;
            }
        }
    }
}

/// Reads the outbox's rows by status and channel into `/metrics` (every pair, 0 included).
async fn outbox_depth(ctx: &AppContext, db: &DatabaseConnection) {
    use entity::enums::{NotificationChannel, NotificationStatus};
    use sea_orm::{ActiveEnum, Iterable};
    match sender::outbox_depth(db).await {
        Ok(counts) => {
            for status in NotificationStatus::iter() {
                for channel in NotificationChannel::iter() {
                    let n = counts
                        .iter()
                        .find(|(s, c, _)| *s == status && *c == channel)
                        .map_or(0, |(_, _, n)| *n);
                    ctx.metrics
                        .outbox(&status.to_value(), &channel.to_value(), n);
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "could not count the outbox"),
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
