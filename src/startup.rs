//! Building and running the application.
//!
//! [`Application::build`] connects, migrates, loads first-start data (the States registry,
//! the JWT secret in development, the first administrator) and binds the listener (port 0
//! in tests). [`Application::run_until_stopped`] serves until the shutdown future resolves.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use entity::app_setting;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set};
use tokio::net::TcpListener;

use crate::api::context::AppContext;
use crate::api::{self, AppSchema};
use crate::auth::{jwt::JwtKeys, password, tokens};
use crate::domain::states::registry;
use crate::domain::users::service as users;
use crate::http::{self, AppState};
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
    state: AppState,
    request_timeout: Duration,
    /// Origins allowed to call the API from a browser (CORS).
    cors_origins: Vec<String>,
}

const JWT_SECRET_KEY: &str = "jwt_secret";

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

/// First-start work on a migrated database; returns the shared context.
pub async fn prepare(
    settings: &Settings,
    db: DatabaseConnection,
    metrics: Arc<crate::api::metrics::Metrics>,
) -> Result<AppContext, StartupError> {
    if let Some(report) = registry::load_if_empty(&db).await? {
        tracing::info!(states = report.inserted, "loaded the States registry");
    }
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
    Ok(AppContext {
        db,
        keys: Arc::new(JwtKeys::new(secret.as_bytes())),
        clock: Clock::new(settings.today),
        environment: settings.environment,
        cooperation: crate::domain::cooperation::CooperationConfig::from_settings(settings)?,
        sponsorship: crate::domain::sponsorship::SponsorshipConfig::from_settings(settings)?,
        budget: crate::domain::budget::BudgetConfig::from_settings(settings)?,
        console: settings.console_enabled(),
        metrics,
        max_connections: crate::kernel::db::max_connections(settings),
        fault_injection: settings.fault_injection,
        query_cost: crate::api::cost::QueryCost::from_settings(settings),
    })
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        settings.validate()?;
        let metrics = Arc::new(crate::api::metrics::Metrics::new());
        let mut db = crate::kernel::db::connect(&settings).await?;
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
        Ok(Self {
            listener,
            state: AppState { schema, ctx },
            request_timeout: Duration::from_secs(settings.request_timeout_secs.max(1)),
            cors_origins: settings.cors()?,
        })
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
        let app = http::router(self.state, self.request_timeout, &self.cors_origins);
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
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
