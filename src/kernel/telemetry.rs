//! Logging: `RUST_LOG` filters, defaulting to `info` with SQL statements quiet. In
//! production each line is a JSON object carrying the request's span (method, path and
//! `request_id`, the `x-request-id` header that every response also carries), so one
//! request's lines can be found together.

use tracing_subscriber::{EnvFilter, fmt};

use crate::kernel::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = match format {
        LogFormat::Json => fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .with_span_list(false)
            .flatten_event(true)
            .try_init(),
        LogFormat::Text => fmt().with_env_filter(filter).with_target(false).try_init(),
    };
}
