//! Typed configuration. Every option is a flag and an environment variable.

use std::{fmt, net::SocketAddr, str::FromStr};

use chrono::NaiveDate;

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
/// conveniences (GraphiQL, a generated first admin password).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

/// The shortest HS256 secret accepted: 256 bits, the size of the MAC.
pub const MIN_JWT_SECRET_BYTES: usize = 32;

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

    /// Serve the GraphQL console at `GET /graphql` (and GraphiQL at `/graphiql`): on by
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
    #[error("ISU_BOOTSTRAP_ADMIN_EMAIL and ISU_BOOTSTRAP_ADMIN_PASSWORD go together")]
    HalfBootstrapAdmin,
    #[error("ISU_FAULT_INJECTION is refused when ISU_ENV=production")]
    FaultInjectionInProduction,
    #[error("ISU_BASE_CURRENCY must be an ISO 4217 code")]
    BaseCurrency,
    #[error("ISU_MATCH_WEIGHTS must be six non-negative numbers summing to 1")]
    MatchWeights,
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
            _ => {}
        }
        if self.bootstrap_admin_email.is_some() != self.bootstrap_admin_password.is_some() {
            return Err(ConfigError::HalfBootstrapAdmin);
        }
        self.cooperation()?;
        self.sponsorship()?;
        self.budget()?;
        self.cors()?;
        Ok(())
    }

    /// The log format, after the environment's default.
    pub fn log_format(&self) -> LogFormat {
        self.log_format.unwrap_or(match self.environment {
            Environment::Production => LogFormat::Json,
            Environment::Development => LogFormat::Text,
        })
    }

    /// Whether the console and GraphiQL are served.
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

    /// The accounts' settings, checked: the base currency, and the reserve's target.
    pub fn budget(&self) -> Result<crate::budget::BudgetConfig, ConfigError> {
        if self.reserve_months > 24 {
            return Err(ConfigError::ReserveMonths);
        }
        Ok(crate::budget::BudgetConfig {
            currency: self.cooperation()?.base_currency,
            reserve_months: self.reserve_months,
        })
    }

    /// The sponsorship policy, checked.
    pub fn sponsorship(&self) -> Result<crate::sponsorship::SponsorshipConfig, ConfigError> {
        use sea_orm::ActiveEnum;
        let items = |text: &str| {
            text.split(',')
                .map(|x| x.trim().to_uppercase())
                .filter(|x| !x.is_empty())
                .collect::<Vec<_>>()
        };
        let income_groups = items(&self.sponsorship_income_groups)
            .into_iter()
            .map(|g| {
                entity::enums::IncomeGroup::try_from_value(&g)
                    .map_err(|_| ConfigError::SponsorshipIncomeGroups)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let invited = items(&self.sponsorship_invited);
        if invited
            .iter()
            .any(|c| c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
        {
            return Err(ConfigError::SponsorshipInvited);
        }
        if self.sponsorship_female_target > 100 {
            return Err(ConfigError::SponsorshipFemaleTarget);
        }
        Ok(crate::sponsorship::SponsorshipConfig {
            eligibility: crate::sponsorship::eligibility::Policy {
                income_groups,
                invited_non_parties: invited,
            },
            suggestion: crate::sponsorship::suggestion::Policy {
                female_target_percent: self.sponsorship_female_target,
                ..Default::default()
            },
        })
    }

    /// The cooperation settings, checked.
    pub fn cooperation(&self) -> Result<crate::cooperation::CooperationConfig, ConfigError> {
        let base = self.base_currency.trim().to_uppercase();
        if !crate::money::is_currency(&base) {
            return Err(ConfigError::BaseCurrency);
        }
        let weights = match &self.match_weights {
            None => crate::matching::Weights::default(),
            Some(text) => {
                let w: Vec<f64> = text
                    .split(',')
                    .map(|x| x.trim().parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| ConfigError::MatchWeights)?;
                let sum: f64 = w.iter().sum();
                if w.len() != 6 || w.iter().any(|x| *x < 0.0) || (sum - 1.0).abs() > 1e-9 {
                    return Err(ConfigError::MatchWeights);
                }
                crate::matching::Weights {
                    thematic_area: w[0],
                    assistance_type: w[1],
                    geography: w[2],
                    amount: w[3],
                    period: w[4],
                    urgency: w[5],
                }
            }
        };
        Ok(crate::cooperation::CooperationConfig {
            base_currency: base,
            weights,
        })
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
            request_timeout_secs: 30,
            base_currency: "CHF".into(),
            match_weights: None,
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
        assert!(s.validate().is_ok());
    }

    #[test]
    fn cooperation_settings_are_checked() {
        let mut s = Settings::for_database("sqlite::memory:");
        assert_eq!(
            s.cooperation().map(|c| c.base_currency).ok().as_deref(),
            Some("CHF")
        );
        s.base_currency = "eur".into();
        assert_eq!(
            s.cooperation().map(|c| c.base_currency).ok().as_deref(),
            Some("EUR")
        );
        s.base_currency = "EURO".into();
        assert!(matches!(s.validate(), Err(ConfigError::BaseCurrency)));
        s.base_currency = "CHF".into();
        s.match_weights = Some("0.5,0.5,0,0,0,0".into());
        assert_eq!(
            s.cooperation().map(|c| c.weights.thematic_area).ok(),
            Some(0.5)
        );
        s.match_weights = Some("0.5,0.5,0.1,0,0,0".into());
        assert!(matches!(s.validate(), Err(ConfigError::MatchWeights)));
        s.match_weights = Some("1,0,0,0,0".into());
        assert!(matches!(s.validate(), Err(ConfigError::MatchWeights)));
    }

    #[test]
    fn sponsorship_settings_are_checked() {
        use entity::enums::IncomeGroup;
        let mut s = Settings::for_database("sqlite::memory:");
        let policy = s.sponsorship().expect("defaults are valid");
        assert_eq!(
            policy.eligibility.income_groups,
            vec![IncomeGroup::Low, IncomeGroup::LowerMiddle]
        );
        assert_eq!(policy.suggestion.female_target_percent, 50);
        s.sponsorship_income_groups = "low, upper_middle".into();
        s.sponsorship_invited = "usa, rus".into();
        s.sponsorship_female_target = 40;
        let policy = s.sponsorship().expect("valid");
        assert_eq!(
            policy.eligibility.income_groups,
            vec![IncomeGroup::Low, IncomeGroup::UpperMiddle]
        );
        assert_eq!(policy.eligibility.invited_non_parties, vec!["USA", "RUS"]);
        assert_eq!(policy.suggestion.female_target_percent, 40);
        s.sponsorship_income_groups = String::new();
        assert!(
            s.sponsorship()
                .expect("none is valid")
                .eligibility
                .income_groups
                .is_empty()
        );
        s.sponsorship_income_groups = "POOR".into();
        assert!(matches!(
            s.validate(),
            Err(ConfigError::SponsorshipIncomeGroups)
        ));
        s.sponsorship_income_groups = "LOW".into();
        s.sponsorship_invited = "USA,AMERICA".into();
        assert!(matches!(s.validate(), Err(ConfigError::SponsorshipInvited)));
        s.sponsorship_invited = String::new();
        s.sponsorship_female_target = 101;
        assert!(matches!(
            s.validate(),
            Err(ConfigError::SponsorshipFemaleTarget)
        ));
    }

    #[test]
    fn budget_settings_are_checked() {
        let mut s = Settings::for_database("sqlite::memory:");
        let b = s.budget().expect("defaults are valid");
        assert_eq!((b.currency.as_str(), b.reserve_months), ("CHF", 3));
        s.reserve_months = 6;
        s.base_currency = "eur".into();
        let b = s.budget().expect("valid");
        assert_eq!((b.currency.as_str(), b.reserve_months), ("EUR", 6));
        s.reserve_months = 25;
        assert!(matches!(s.validate(), Err(ConfigError::ReserveMonths)));
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
    fn bootstrap_admin_needs_both_email_and_password() {
        let mut s = Settings::for_database("sqlite::memory:");
        s.bootstrap_admin_email = Some("a@b.org".into());
        assert!(matches!(s.validate(), Err(ConfigError::HalfBootstrapAdmin)));
    }
}
