//! What `GET /metrics` reports, in Prometheus' text format: GraphQL operations by name
//! (count, errors, latency), HTTP responses by status, SQL statements (count, errors,
//! latency), the connection pool, the argon2 queue, the password hashes computed and the
//! process' memory; and, on a server that runs the reminders (`ISU_REMINDERS`), the outbox
//! by status and channel, emails sent, their send time and failures, and the reminders the
//! planner wrote and cancelled.
//!
//! SQL statements are those of requests: the background tasks (the reminders' planner and
//! sender) use a connection that is not counted, so that a request's figures stay its own.
//!
//! One [`Metrics`] per running server (not a global): two servers in one process, as in
//! the tests, count apart. Password hashing is the exception: its queue and its count are
//! the process's, as the hashing permits are. Operation names come from clients, so they
//! are checked and capped ([`MAX_OPERATION_NAMES`]) to keep the label set bounded.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::DatabaseConnection;

/// Distinct operation names tracked; later ones are counted as `other`.
pub const MAX_OPERATION_NAMES: usize = 200;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutboxLabels {
    status: String,
    channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FailureLabels {
    /// `retry`: tried again later; `failed`: FAILED for good.
    outcome: String,
}

/// `password_hashes_total`: read from [`crate::auth::password::hashes_computed`] at each
/// scrape, since the count belongs to the process, not to one server.
#[derive(Debug)]
struct PasswordHashes;

impl Collector for PasswordHashes {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let counter = ConstCounter::new(crate::auth::password::hashes_computed());
        let metric = encoder.encode_descriptor(
            "password_hashes",
            "argon2id password hashes computed by the process: logins and password checks past the throttle, new passwords",
            None,
            counter.metric_type(),
        )?;
        counter.encode(metric)
    }
}

/// Buckets from 0.5 ms to about 16 s.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.000_5, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    operations: Family<OperationLabels, Counter>,
    operation_errors: Family<OperationLabels, Counter>,
    operation_seconds: Family<OperationLabels, Histogram, fn() -> Histogram>,
    responses: Family<StatusLabels, Counter>,
    statements: Counter,
    statement_errors: Counter,
    statement_seconds: Histogram,
    pool: Family<PoolLabels, Gauge>,
    argon2_queue: Gauge,
    queries_executing: Gauge,
    queries_waiting: Gauge,
    resident_bytes: Gauge,
    outbox: Family<OutboxLabels, Gauge>,
    emails_sent: Counter,
    email_failures: Family<FailureLabels, Counter>,
    email_seconds: Histogram,
    reminders_written: Counter,
    reminders_cancelled: Counter,
    names: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("isu");
        let operations = Family::<OperationLabels, Counter>::default();
        let operation_errors = Family::<OperationLabels, Counter>::default();
        let operation_seconds =
            Family::<OperationLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency);
        let responses = Family::<StatusLabels, Counter>::default();
        let statements = Counter::default();
        let statement_errors = Counter::default();
        let statement_seconds = latency();
        let pool = Family::<PoolLabels, Gauge>::default();
        let argon2_queue = Gauge::default();
        let queries_executing = Gauge::default();
        let queries_waiting = Gauge::default();
        let resident_bytes = Gauge::default();
        let outbox = Family::<OutboxLabels, Gauge>::default();
        let emails_sent = Counter::default();
        let email_failures = Family::<FailureLabels, Counter>::default();
        let email_seconds = latency();
        let reminders_written = Counter::default();
        let reminders_cancelled = Counter::default();
        registry.register(
            "graphql_operations",
            "GraphQL operations executed, by operation name",
            operations.clone(),
        );
        registry.register(
            "graphql_operation_errors",
            "GraphQL operations that answered at least one top-level error",
            operation_errors.clone(),
        );
        registry.register(
            "graphql_operation_duration_seconds",
            "Time to parse, validate and execute a GraphQL operation",
            operation_seconds.clone(),
        );
        registry.register(
            "http_responses",
            "HTTP responses, by status code",
            responses.clone(),
        );
        registry.register(
            "db_statements",
            "SQL statements sent to the database",
            statements.clone(),
        );
        registry.register(
            "db_statement_errors",
            "SQL statements that failed",
            statement_errors.clone(),
        );
        registry.register(
            "db_statement_duration_seconds",
            "Time of one SQL statement",
            statement_seconds.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Pooled connections: idle, in use, and the maximum",
            pool.clone(),
        );
        registry.register(
            "argon2_queue_length",
            "Password hashes waiting for a permit",
            argon2_queue.clone(),
        );
        registry.register_collector(Box::new(PasswordHashes));
        registry.register(
            "graphql_queries_executing",
            "GraphQL queries executing now (at most ISU_MAX_OPERATIONS; mutations are not counted)",
            queries_executing.clone(),
        );
        registry.register(
            "graphql_queries_waiting",
            "GraphQL queries waiting for their turn to execute",
            queries_waiting.clone(),
        );
        registry.register(
            "process_resident_memory_bytes",
            "Resident memory of this process",
            resident_bytes.clone(),
        );
        registry.register(
            "notifications_outbox",
            "Notifications in the outbox, by status and channel (read at each pass of the sender)",
            outbox.clone(),
        );
        registry.register(
            "emails_sent",
            "Emails the SMTP server accepted",
            emails_sent.clone(),
        );
        registry.register(
            "email_send_failures",
            "Emails the SMTP server did not accept, or that could not be written: retried later or FAILED",
            email_failures.clone(),
        );
        registry.register(
            "email_send_duration_seconds",
            "Time to hand one email to the SMTP server, accepted or not",
            email_seconds.clone(),
        );
        registry.register(
            "reminders_written",
            "Deadline reminders and notices the planner wrote to the outbox",
            reminders_written.clone(),
        );
        registry.register(
            "reminders_cancelled",
            "PENDING reminders cancelled because their obligation was met or its due date moved",
            reminders_cancelled.clone(),
        );
        Self {
            registry,
            operations,
            operation_errors,
            operation_seconds,
            responses,
            statements,
            statement_errors,
            statement_seconds,
            pool,
            argon2_queue,
            queries_executing,
            queries_waiting,
            resident_bytes,
            outbox,
            emails_sent,
            email_failures,
            email_seconds,
            reminders_written,
            reminders_cancelled,
            names: Mutex::new(HashSet::new()),
        }
    }

    /// Counts every statement `db` runs. Call before cloning the connection: clones made
    /// earlier do not report.
    pub fn observe_database(self: &Arc<Self>, db: &mut DatabaseConnection) {
        let me = Arc::clone(self);
        db.set_metric_callback(move |info| {
            tracing::trace!(target: "isu::sql", elapsed = ?info.elapsed, failed = info.failed, sql = %info.statement);
            me.statements.inc();
            if info.failed {
                me.statement_errors.inc();
            }
            me.statement_seconds.observe(info.elapsed.as_secs_f64());
        });
    }

    pub fn response(&self, status: u16) {
        self.responses
            .get_or_create(&StatusLabels {
                status: status.to_string(),
            })
            .inc();
    }

    /// Counts one GraphQL operation under its name (see `Self::label`).
    pub fn operation(&self, name: &str, elapsed: Duration, failed: bool) {
        let labels = OperationLabels {
            operation: self.label(name),
        };
        self.operations.get_or_create(&labels).inc();
        if failed {
            self.operation_errors.get_or_create(&labels).inc();
        }
        self.operation_seconds
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// GraphQL queries executing now, and waiting for their turn.
    pub fn queries(&self) -> (&Gauge, &Gauge) {
        (&self.queries_executing, &self.queries_waiting)
    }

    /// The outbox's count of rows of one status and channel (e.g. `PENDING`, `EMAIL`).
    pub fn outbox(&self, status: &str, channel: &str, rows: i64) {
        self.outbox
            .get_or_create(&OutboxLabels {
                status: status.to_owned(),
                channel: channel.to_owned(),
            })
            .set(rows);
    }

    /// One pass of the sender: emails accepted, retried later and FAILED, and the time each
    /// took with the server.
    pub fn emails(&self, sent: u64, retried: u64, failed: u64, latencies: &[Duration]) {
        self.emails_sent.inc_by(sent);
        for (outcome, n) in [("retry", retried), ("failed", failed)] {
            if n > 0 {
                self.email_failures
                    .get_or_create(&FailureLabels {
                        outcome: outcome.to_owned(),
                    })
                    .inc_by(n);
            }
        }
        for t in latencies {
            self.email_seconds.observe(t.as_secs_f64());
        }
    }

    /// Reminders written to the outbox and cancelled (by the planner or the sender).
    pub fn reminders(&self, written: u64, cancelled: u64) {
        self.reminders_written.inc_by(written);
        self.reminders_cancelled.inc_by(cancelled);
    }

    /// A GraphQL name already seen or, while there is room, a new one; else `other`.
    fn label(&self, name: &str) -> String {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        if !valid {
            return "other".into();
        }
        let Ok(mut names) = self.names.lock() else {
            return "other".into();
        };
        if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".into()
        }
    }

    /// The text exposition, with the gauges read now.
    pub fn render(&self, db: &DatabaseConnection, max_connections: u32) -> String {
        let (size, idle) = pool_use(db);
        self.pool
            .get_or_create(&PoolLabels {
                state: "idle".into(),
            })
            .set(i64::from(idle));
        self.pool
            .get_or_create(&PoolLabels {
                state: "in_use".into(),
            })
            .set(i64::from(size.saturating_sub(idle)));
        self.pool
            .get_or_create(&PoolLabels {
                state: "max".into(),
            })
            .set(i64::from(max_connections));
        self.argon2_queue
            .set(i64::try_from(crate::auth::password::queue_length()).unwrap_or(i64::MAX));
        self.resident_bytes.set(resident_bytes().unwrap_or(0));
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            tracing::error!("could not encode the metrics");
        }
        out
    }
}

/// Open connections and idle ones.
fn pool_use(db: &DatabaseConnection) -> (u32, u32) {
    use sea_orm::DatabaseBackend;
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), u32::try_from(pool.num_idle()).unwrap_or(0))
        }
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), u32::try_from(pool.num_idle()).unwrap_or(0))
        }
        _ => (0, 0),
    }
}

/// VmRSS from /proc (Linux); none elsewhere.
fn resident_bytes() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: i64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// The name an operation is counted under: the request's `operationName`, else the
/// document's only operation's name, else `anonymous`.
pub fn operation_name(requested: Option<&str>, doc: &ExecutableDocument) -> String {
    if let Some(name) = requested {
        return name.to_owned();
    }
    match &doc.operations {
        DocumentOperations::Multiple(ops) if ops.len() == 1 => ops
            .keys()
            .next()
            .map(|n| n.to_string())
            .unwrap_or_else(|| "anonymous".into()),
        DocumentOperations::Single(_) | DocumentOperations::Multiple(_) => "anonymous".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_checked_and_capped() {
        let m = Metrics::new();
        assert_eq!(m.label("MyDeadlines"), "MyDeadlines");
        assert_eq!(m.label("drop table\"x"), "other");
        assert_eq!(m.label("9lives"), "other");
        assert_eq!(m.label(&"a".repeat(65)), "other");
        for i in 0..MAX_OPERATION_NAMES {
            m.label(&format!("Op{i}"));
        }
        assert_eq!(m.label("OneTooMany"), "other");
        assert_eq!(m.label("MyDeadlines"), "MyDeadlines");
    }

    #[test]
    fn the_outbox_and_emails_are_counted() {
        let m = Metrics::new();
        m.outbox("PENDING", "EMAIL", 3);
        m.outbox("PENDING", "EMAIL", 2);
        m.emails(4, 1, 2, &[Duration::from_millis(20); 7]);
        m.reminders(5, 1);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &m.registry).unwrap_or_default();
        for line in [
            "isu_notifications_outbox{status=\"PENDING\",channel=\"EMAIL\"} 2",
            "isu_emails_sent_total 4",
            "isu_email_send_failures_total{outcome=\"retry\"} 1",
            "isu_email_send_failures_total{outcome=\"failed\"} 2",
            "isu_email_send_duration_seconds_count 7",
            "isu_reminders_written_total 5",
            "isu_reminders_cancelled_total 1",
        ] {
            assert!(out.contains(line), "{line} in\n{out}");
        }
    }

    #[test]
    fn operations_are_counted_by_name() {
        let m = Metrics::new();
        m.operation("MyDeadlines", Duration::from_millis(3), false);
        m.operation("MyDeadlines", Duration::from_millis(5), true);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &m.registry).unwrap_or_default();
        assert!(
            out.contains("isu_graphql_operations_total{operation=\"MyDeadlines\"} 2"),
            "{out}"
        );
        assert!(
            out.contains("isu_graphql_operation_errors_total{operation=\"MyDeadlines\"} 1"),
            "{out}"
        );
        assert!(
            out.contains(
                "isu_graphql_operation_duration_seconds_count{operation=\"MyDeadlines\"} 2"
            ),
            "{out}"
        );
    }
}
