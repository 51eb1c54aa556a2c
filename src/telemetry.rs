//! Logging: `RUST_LOG` filters, defaulting to `info` with SQL statements quiet.

use tracing_subscriber::{EnvFilter, fmt};

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
