//! Typed configuration. Every option is a flag and an environment variable.

use std::{fmt, net::SocketAddr, str::FromStr};

use chrono::NaiveDate;

mod connections;
mod mail;
mod writes;
pub use connections::{ConnectionLimits, ConnectionSettings};
pub use mail::MailSettings;
pub use writes::{WriteLimits, WriteSettings};

/// A string that must never reach a log line or a `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The only way to read the value: call sites are easy to find.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

/// Development relaxes what production requires (a configured JWT secret) and offers
/// conveniences (the console, a generated first admin password).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

/// The shortest HS256 secret accepted: 256 bits, the size of the MAC.
pub const MIN_JWT_SECRET_BYTES: usize = 32;
/// Fewest different bytes in a production JWT secret: `xxxx…` or `abab…` is long but
/// guessable; 48 random bytes in base64 have about 40.
pub const MIN_JWT_SECRET_DISTINCT: usize = 16;

#[derive(Clone, Debug, clap::Args)]
pub struct Settings {
    /// SQLite file or PostgreSQL URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://ccm-isu.db?mode=rwc",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Secret,

    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "ISU_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,

    #[arg(
        long = "env",
        env = "ISU_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub environment: Environment,

    /// HS256 secret for access tokens; required in production.
    #[arg(long, env = "ISU_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Create this ISU_ADMIN on start when no administrator exists.
    #[arg(long, env = "ISU_BOOTSTRAP_ADMIN_EMAIL", global = true)]
    pub bootstrap_admin_email: Option<String>,

    #[arg(
        long,
        env = "ISU_BOOTSTRAP_ADMIN_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub bootstrap_admin_password: Option<Secret>,

    /// Pins "today" (YYYY-MM-DD) for treaty date computations.
    #[arg(long, env = "ISU_TODAY", global = true)]
    pub today: Option<NaiveDate>,

    /// The day the records begin (YYYY-MM-DD): an obligation that fell due before it with no
    /// fulfilment recorded is NOT_RECORDED, not OVERDUE. Default: the day the database was
    /// created. A history import may set it per State and kind.
    #[arg(long, env = "ISU_RECORDS_SINCE", global = true)]
    pub records_since: Option<NaiveDate>,

    /// Where documents' files are kept: this directory, or (unset) the database.
    #[arg(long, env = "ISU_DOCUMENT_DIR", global = true)]
    pub document_dir: Option<std::path::PathBuf>,

    /// Largest document file accepted, in bytes.
    #[arg(long, env = "ISU_DOCUMENT_MAX_BYTES", default_value_t = 25 * 1024 * 1024, global = true)]
    pub document_max_bytes: u64,

    /// Whether a first start imports the shipped history (data/history.csv). `false` for an
    /// ISU that imports its own history file instead.
    #[arg(
        long,
        env = "ISU_SHIPPED_HISTORY",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub shipped_history: bool,

    /// Longest time one HTTP request may take.
    #[arg(
        long,
        env = "ISU_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,

    /// Pool size (SQLite `:memory:` always uses one connection).
    #[arg(
        long,
        env = "ISU_DB_MAX_CONNECTIONS",
        default_value_t = 10,
        global = true
    )]
    pub db_max_connections: u32,

    /// Base currency of comparisons and allocations (ISO 4217).
    #[arg(long, env = "ISU_BASE_CURRENCY", default_value = "CHF", global = true)]
    pub base_currency: String,

    /// Matching weights: thematic area, assistance type, geography, amount, period, urgency;
    /// six numbers summing to 1, comma-separated. Default 0.30,0.20,0.15,0.15,0.10,0.10.
    #[arg(long, env = "ISU_MATCH_WEIGHTS", global = true)]
    pub match_weights: Option<String>,

    /// Expert suggestion weights: area, assistance type, language, region, availability,
    /// South-South; six numbers summing to 1, comma-separated. Default
    /// 0.30,0.20,0.20,0.10,0.10,0.10.
    #[arg(long, env = "ISU_EXPERT_WEIGHTS", global = true)]
    pub expert_weights: Option<String>,

    /// How long a request waits for a pooled connection before failing.
    #[arg(
        long,
        env = "ISU_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 5,
        global = true
    )]
    pub db_acquire_timeout_secs: u64,

    /// Sponsorship: World Bank income groups that qualify a State on their own,
    /// comma-separated (LOW, LOWER_MIDDLE, UPPER_MIDDLE, HIGH); empty for none.
    #[arg(
        long,
        env = "ISU_SPONSORSHIP_INCOME_GROUPS",
        default_value = "LOW,LOWER_MIDDLE",
        global = true
    )]
    pub sponsorship_income_groups: String,

    /// Sponsorship: non-parties invited for universalization (ISO alpha-3, comma-separated).
    #[arg(
        long,
        env = "ISU_SPONSORSHIP_INVITED",
        default_value = "",
        global = true
    )]
    pub sponsorship_invited: String,

    /// Sponsorship: the suggestion's target share of women among sponsored delegates, in
    /// percent.
    #[arg(
        long,
        env = "ISU_SPONSORSHIP_FEMALE_TARGET",
        default_value_t = 50,
        global = true
    )]
    pub sponsorship_female_target: u32,

    /// The Working Capital Reserve's target, in months of the year's approved budget.
    #[arg(long, env = "ISU_RESERVE_MONTHS", default_value_t = 3, global = true)]
    pub reserve_months: u32,

    /// Serve the GraphQL console at `GET /graphql`: on by
    /// default in development, off in production unless set to true.
    #[arg(
        long,
        env = "ISU_CONSOLE",
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::Set,
        global = true
    )]
    pub console: Option<bool>,

    /// Answer introspection queries: on by default in development, off in production
    /// unless set to true.
    #[arg(
        long,
        env = "ISU_INTROSPECTION",
        value_parser = clap::builder::BoolishValueParser::new(),
        action = clap::ArgAction::Set,
        global = true
    )]
    pub introspection: Option<bool>,

    /// Origins whose browser pages may call the API (CORS), comma-separated, e.g.
    /// `https://admin.isu.example`; empty for same-origin only.
    #[arg(long, env = "ISU_CORS_ORIGINS", default_value = "", global = true)]
    pub cors_origins: String,

    /// Log lines as JSON objects (one per line, for a log shipper) or as text: JSON by
    /// default in production, text in development.
    #[arg(long, env = "ISU_LOG_FORMAT", value_enum, global = true)]
    pub log_format: Option<LogFormat>,

    /// Mount `GET /debug/panic`, which panics, to check that a fault stays in its request
    /// (resilience tests, alerting drills). Refused in production.
    #[arg(long, env = "ISU_FAULT_INJECTION", hide = true, global = true)]
    pub fault_injection: bool,

    /// Most fields a GraphQL document may expand to once its fragments are spread out
    /// (every operation and fragment of it); more is refused before validation.
    #[arg(
        long,
        env = "ISU_MAX_QUERY_FIELDS",
        default_value_t = 2_000,
        global = true
    )]
    pub max_query_fields: u64,

    /// Most objects the operation to run may be estimated to return (a page counts its
    /// `first`, another list 100, nesting multiplies); more is refused before validation.
    #[arg(
        long,
        env = "ISU_MAX_QUERY_OBJECTS",
        default_value_t = 100_000,
        global = true
    )]
    pub max_query_objects: u64,

    /// Most objects one operation may actually resolve; past it, the operation stops.
    #[arg(
        long,
        env = "ISU_MAX_RESOLVED_OBJECTS",
        default_value_t = 50_000,
        global = true
    )]
    pub max_resolved_objects: u64,

    /// Most bytes of one GraphQL response body; a larger one is replaced by an error.
    #[arg(
        long,
        env = "ISU_MAX_RESPONSE_BYTES",
        default_value_t = 8 * 1024 * 1024,
        global = true
    )]
    pub max_response_bytes: usize,

    /// Timeouts, connection cap, trusted proxies, where `/metrics` is served.
    #[command(flatten)]
    pub connections: ConnectionSettings,

    /// Mutations per minute and user.
    #[command(flatten)]
    pub writes: WriteSettings,

    /// Reminders and outgoing email.
    #[command(flatten)]
    pub mail: MailSettings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Json,
    Text,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("ISU_JWT_SECRET is required when ISU_ENV=production")]
    MissingJwtSecret,
    #[error("ISU_JWT_SECRET must be at least {MIN_JWT_SECRET_BYTES} bytes")]
    ShortJwtSecret,
    #[error(
        "ISU_JWT_SECRET has too little entropy: production needs at least \
         {MIN_JWT_SECRET_DISTINCT} different bytes (e.g. `head -c 48 /dev/urandom | base64`)"
    )]
    WeakJwtSecret,
    #[error("ISU_TRUSTED_PROXIES must list CIDRs or addresses such as 10.0.0.0/8, comma-separated")]
    TrustedProxies,
    #[error(
        "ISU_HEADER_READ_TIMEOUT_SECS, ISU_IDLE_TIMEOUT_SECS, ISU_MAX_CONNECTIONS and ISU_MAX_OPERATIONS must be at least 1"
    )]
    ConnectionLimits,
    #[error("ISU_METRICS_TOKEN must be at least 16 visible characters, without spaces")]
    MetricsToken,
    #[error("ISU_BOOTSTRAP_ADMIN_EMAIL and ISU_BOOTSTRAP_ADMIN_PASSWORD go together")]
    HalfBootstrapAdmin,
    #[error("ISU_FAULT_INJECTION is refused when ISU_ENV=production")]
    FaultInjectionInProduction,
    #[error("ISU_BASE_CURRENCY must be an ISO 4217 code")]
    BaseCurrency,
    #[error("ISU_MATCH_WEIGHTS must be six non-negative numbers summing to 1")]
    MatchWeights,
    #[error("ISU_EXPERT_WEIGHTS must be six non-negative numbers summing to 1")]
    ExpertWeights,
    #[error("ISU_SPONSORSHIP_INCOME_GROUPS must list LOW, LOWER_MIDDLE, UPPER_MIDDLE or HIGH")]
    SponsorshipIncomeGroups,
    #[error("ISU_SPONSORSHIP_INVITED must list ISO 3166-1 alpha-3 codes")]
    SponsorshipInvited,
    #[error("ISU_SPONSORSHIP_FEMALE_TARGET must be a percentage from 0 to 100")]
    SponsorshipFemaleTarget,
    #[error("ISU_RESERVE_MONTHS must be from 0 to 24")]
    ReserveMonths,
    #[error("ISU_CORS_ORIGINS must list origins such as https://admin.isu.example (no path)")]
    CorsOrigins,
    #[error(
        "ISU_MAX_QUERY_FIELDS, ISU_MAX_QUERY_OBJECTS, ISU_MAX_RESOLVED_OBJECTS and ISU_MAX_RESPONSE_BYTES must be at least 1"
    )]
    QueryLimits,
    #[error("ISU_WRITES_PER_MINUTE and ISU_STAFF_WRITES_PER_MINUTE must be at least 1")]
    WriteLimits,
}

fn distinct_bytes(text: &str) -> usize {
    let mut seen = [false; 256];
    for b in text.bytes() {
        seen[usize::from(b)] = true;
    }
    seen.iter().filter(|s| **s).count()
}

/// Six comma-separated weights, each non-negative, summing to 1; None when not given.
fn six_weights(text: Option<&str>) -> Result<Option<[f64; 6]>, ()> {
    let Some(text) = text else {
        return Ok(None);
    };
    let w: Vec<f64> = text
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ())?;
    let sum: f64 = w.iter().sum();
    if w.len() != 6 || w.iter().any(|x| !x.is_finite() || *x < 0.0) || (sum - 1.0).abs() > 1e-9 {
        return Err(());
    }
    Ok(Some([w[0], w[1], w[2], w[3], w[4], w[5]]))
}

/// The comma-separated items of a setting, trimmed and upper-cased, empty ones left out.
fn items(text: &str) -> Vec<String> {
    text.split(',')
        .map(|x| x.trim().to_uppercase())
        .filter(|x| !x.is_empty())
        .collect()
}

impl Settings {
    /// Checks what clap cannot: combinations and production requirements.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.fault_injection && self.environment == Environment::Production {
            return Err(ConfigError::FaultInjectionInProduction);
        }
        match &self.jwt_secret {
            None if self.environment == Environment::Production => {
                return Err(ConfigError::MissingJwtSecret);
            }
            Some(s) if s.expose().len() < MIN_JWT_SECRET_BYTES => {
                return Err(ConfigError::ShortJwtSecret);
            }
            Some(s)
                if self.environment == Environment::Production
                    && distinct_bytes(s.expose()) < MIN_JWT_SECRET_DISTINCT =>
            {
                return Err(ConfigError::WeakJwtSecret);
            }
            _ => {}
        }
        self.connections.limits()?;
        self.writes.limits()?;
        if self.bootstrap_admin_email.is_some() != self.bootstrap_admin_password.is_some() {
            return Err(ConfigError::HalfBootstrapAdmin);
        }
        self.base_currency()?;
        self.match_weights()?;
        self.expert_weights()?;
        self.sponsorship_income_groups()?;
        self.sponsorship_invited()?;
        self.sponsorship_female_target()?;
        self.reserve_months()?;
        self.cors()?;
        if [
            self.max_query_fields,
            self.max_query_objects,
            self.max_resolved_objects,
        ]
        .contains(&0)
            || self.max_response_bytes == 0
        {
            return Err(ConfigError::QueryLimits);
        }
        Ok(())
    }

    /// The log format, after the environment's default.
    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(match self.environment {
            Environment::Production => LogFormat::Json,
            Environment::Development => LogFormat::Text,
        })
    }

    /// Whether the console is served.
    pub fn console_enabled(&self) -> bool {
        self.console
            .unwrap_or(self.environment == Environment::Development)
    }

    /// Whether introspection queries are answered.
    pub fn introspection_enabled(&self) -> bool {
        self.introspection
            .unwrap_or(self.environment == Environment::Development)
    }

    /// The CORS allow-list, checked: each origin is `scheme://host[:port]`.
    pub fn cors(&self) -> Result<Vec<String>, ConfigError> {
        self.cors_origins
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| {
                let ok = (o.starts_with("https://") || o.starts_with("http://"))
                    && !o.ends_with('/')
                    && o.split_once("://").is_some_and(|(_, rest)| {
                        !rest.is_empty()
                            && !rest.contains('/')
                            && !rest.contains(char::is_whitespace)
                    });
                if ok {
                    Ok(o.to_owned())
                } else {
                    Err(ConfigError::CorsOrigins)
                }
            })
            .collect()
    }

    /// The base currency (ISO 4217), upper-cased and checked.
    pub fn base_currency(&self) -> Result<String, ConfigError> {
        let base = self.base_currency.trim().to_uppercase();
        if !crate::kernel::money::is_currency(&base) {
            return Err(ConfigError::BaseCurrency);
        }
        Ok(base)
    }

    /// The six matching weights in the order of `ISU_MATCH_WEIGHTS`, checked (non-negative,
    /// summing to 1); None for the defaults.
    pub fn match_weights(&self) -> Result<Option<[f64; 6]>, ConfigError> {
        six_weights(self.match_weights.as_deref()).map_err(|()| ConfigError::MatchWeights)
    }

    /// The six expert suggestion weights in the order of `ISU_EXPERT_WEIGHTS`, checked as the
    /// matching weights are; None for the defaults.
    pub fn expert_weights(&self) -> Result<Option<[f64; 6]>, ConfigError> {
        six_weights(self.expert_weights.as_deref()).map_err(|()| ConfigError::ExpertWeights)
    }

    /// The income groups that make a State eligible for sponsorship on their own.
    pub fn sponsorship_income_groups(
        &self,
    ) -> Result<Vec<entity::enums::IncomeGroup>, ConfigError> {
        use sea_orm::ActiveEnum;
        items(&self.sponsorship_income_groups)
            .into_iter()
            .map(|g| {
                entity::enums::IncomeGroup::try_from_value(&g)
                    .map_err(|_| ConfigError::SponsorshipIncomeGroups)
            })
            .collect()
    }

    /// The non-parties invited for universalization (ISO alpha-3, upper-cased).
    pub fn sponsorship_invited(&self) -> Result<Vec<String>, ConfigError> {
        let invited = items(&self.sponsorship_invited);
        if invited
            .iter()
            .any(|c| c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
        {
            return Err(ConfigError::SponsorshipInvited);
        }
        Ok(invited)
    }

    /// The suggestion's target share of women, in percent (0 to 100).
    pub fn sponsorship_female_target(&self) -> Result<u32, ConfigError> {
        if self.sponsorship_female_target > 100 {
            return Err(ConfigError::SponsorshipFemaleTarget);
        }
        Ok(self.sponsorship_female_target)
    }

    /// The Working Capital Reserve's target in months (0 to 24).
    pub fn reserve_months(&self) -> Result<u32, ConfigError> {
        if self.reserve_months > 24 {
            return Err(ConfigError::ReserveMonths);
        }
        Ok(self.reserve_months)
    }

    /// Settings for tests and tools: development, random port, the given database.
    pub fn for_database(database_url: &str) -> Self {
        Self {
            database_url: Secret::new(database_url),
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            environment: Environment::Development,
            jwt_secret: None,
            bootstrap_admin_email: None,
            bootstrap_admin_password: None,
            today: None,
            records_since: None,
            shipped_history: true,
            document_dir: None,
            document_max_bytes: 25 * 1024 * 1024,
            request_timeout_secs: 30,
            base_currency: "CHF".into(),
            match_weights: None,
            expert_weights: None,
            db_max_connections: 5,
            db_acquire_timeout_secs: 5,
            sponsorship_income_groups: "LOW,LOWER_MIDDLE".into(),
            sponsorship_invited: String::new(),
            sponsorship_female_target: 50,
            reserve_months: 3,
            console: None,
            introspection: None,
            cors_origins: String::new(),
            log_format: None,
            fault_injection: false,
            max_query_fields: 2_000,
            max_query_objects: 100_000,
            max_resolved_objects: 50_000,
            max_response_bytes: 8 * 1024 * 1024,
            connections: ConnectionSettings::default(),
            writes: WriteSettings::default(),
            mail: MailSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let mut s = Settings::for_database("postgres://u:hunter2hunter2@db/x");
        s.jwt_secret = Some(Secret::new("s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"));
        s.bootstrap_admin_password = Some(Secret::new("admin-password-123"));
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"));
        assert!(!printed.contains("s3cr3t"));
        assert!(!printed.contains("admin-password"));
        assert!(printed.contains("REDACTED"));
    }

    #[test]
    fn production_requires_a_long_jwt_secret() {
        let mut s = Settings::for_database("sqlite::memory:");
        s.environment = Environment::Production;
        assert!(matches!(s.validate(), Err(ConfigError::MissingJwtSecret)));
        s.jwt_secret = Some(Secret::new("short"));
        assert!(matches!(s.validate(), Err(ConfigError::ShortJwtSecret)));
        s.jwt_secret = Some(Secret::new("x".repeat(32)));
        assert!(matches!(s.validate(), Err(ConfigError::WeakJwtSecret)));
        s.jwt_secret = Some(Secret::new("0123456789abcd".repeat(4)));
        assert!(matches!(s.validate(), Err(ConfigError::WeakJwtSecret)));
        s.jwt_secret = Some(Secret::new("0123456789abcdef".repeat(2)));
        assert!(s.validate().is_ok());
        // Development takes what it is given: the check is for deployments.
        s.environment = Environment::Development;
        s.jwt_secret = Some(Secret::new("x".repeat(32)));
        assert!(s.validate().is_ok());
    }

    #[test]
    fn the_console_is_for_development_unless_enabled() {
        let mut s = Settings::for_database("sqlite::memory:");
        assert!(s.console_enabled());
        s.environment = Environment::Production;
        assert!(!s.console_enabled());
        s.console = Some(true);
        assert!(s.console_enabled());
        s.environment = Environment::Development;
        s.console = Some(false);
        assert!(!s.console_enabled());
    }

    #[test]
    fn introspection_and_cors_are_configured_for_production() {
        let mut s = Settings::for_database("sqlite::memory:");
        assert!(s.introspection_enabled());
        s.environment = Environment::Production;
        assert!(!s.introspection_enabled());
        s.introspection = Some(true);
        assert!(s.introspection_enabled());
        assert!(s.cors().expect("empty is valid").is_empty());
        s.environment = Environment::Development;
        s.cors_origins = "https://admin.isu.example, http://localhost:5173".into();
        assert_eq!(
            s.cors().expect("valid"),
            vec!["https://admin.isu.example", "http://localhost:5173"]
        );
        for bad in [
            "*",
            "admin.isu.example",
            "https://admin.isu.example/",
            "https://a/b",
            "https://",
        ] {
            s.cors_origins = bad.into();
            assert!(matches!(s.cors(), Err(ConfigError::CorsOrigins)), "{bad}");
        }
        assert!(matches!(s.validate(), Err(ConfigError::CorsOrigins)));
    }

    #[test]
    fn query_cost_limits_are_at_least_one() {
        let mut s = Settings::for_database("sqlite::memory:");
        assert!(s.validate().is_ok());
        s.max_query_objects = 0;
        assert!(matches!(s.validate(), Err(ConfigError::QueryLimits)));
    }

    #[test]
    fn bootstrap_admin_needs_both_email_and_password() {
        let mut s = Settings::for_database("sqlite::memory:");
        s.bootstrap_admin_email = Some("a@b.org".into());
        assert!(matches!(s.validate(), Err(ConfigError::HalfBootstrapAdmin)));
    }
}
