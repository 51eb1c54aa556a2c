//! Delivers PENDING emails of the outbox by SMTP, at least once.
//!
//! A pass ([`send_due`]) claims up to a batch of due rows ([`claim`]): one statement moves
//! their `next_attempt_at` a [`LEASE`] ahead and counts the attempt, so that no other sender
//! takes them meanwhile (on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`: two
//! senders never wait on each other nor take the same row; on SQLite the statement holds
//! the database's only write lock). Reminders whose obligation was met or moved since they
//! were written are CANCELLED instead ([`super::planner::still_due`]). Each remaining row is
//! sent, then marked: SENT; or, on failure, retried after a backoff ([`backoff`]), or FAILED
//! when the server refused it for good (5xx) or its attempts are spent.
//!
//! At least once: a sender that stops between the server's acceptance and the mark leaves
//! the row claimed, and once its lease has passed another pass sends it again, with the same
//! `Message-ID` (`<{row id}@{domain of ISU_MAIL_FROM}>`), by which receivers drop the
//! duplicate.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{Language, NotificationChannel, NotificationStatus};
use entity::notification;
use entity::notification::Column as C;
use futures_util::StreamExt;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QuerySelect, Statement, UpdateMany,
};
use uuid::Uuid;

use super::NotificationsConfig;
use super::messages::{self, MAX_SUBJECT};
use super::planner;

/// How long a claimed row is left to its sender before another may take it.
pub const LEASE: Duration = Duration::from_secs(5 * 60);
/// Rows claimed per pass.
pub const BATCH: u64 = 50;
/// Messages in flight at once (and connections kept to the SMTP server).
pub const CONCURRENCY: usize = 8;
/// Longest wait for the SMTP server on one command; a whole message gets [`SEND_TIMEOUT`].
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Longest time one message may take, from connecting to the server's answer.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// A pass stops starting messages this long after it claimed them, so that the rows it has
/// not sent are released (and sent by the next pass) well before their lease ends.
pub const PASS_BUDGET: Duration = Duration::from_secs(2 * 60);
/// The first retry's delay; each further one doubles it, up to [`MAX_BACKOFF`].
pub const FIRST_RETRY: Duration = Duration::from_secs(60);
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);
/// Longest `last_error` kept, in characters.
pub const MAX_ERROR: usize = 500;

/// An SMTP client for `ISU_SMTP_URL`, sending as `ISU_MAIL_FROM`.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    /// The right side of Message-IDs: the From address's domain.
    domain: String,
    /// The URL's user name and password, never written into `last_error`.
    secrets: Vec<String>,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer of the settings; None without `ISU_SMTP_URL` (emails then stay PENDING).
    /// A URL or From address that cannot work is an error, which names neither the user
    /// nor the password.
    pub fn from_config(config: &NotificationsConfig) -> Result<Option<Self>, String> {
        match &config.smtp_url {
            None => Ok(None),
            Some(url) => Self::new(url.expose(), &config.mail_from).map(Some),
        }
    }

    /// `url`: `smtp://host[:port]` (STARTTLS when the server offers it, else plain; port 25),
    /// `smtp://host[:port]?tls=required` (STARTTLS or nothing; port 587),
    /// `smtp://host[:port]?tls=none` (never TLS), `smtps://host[:port]` (TLS from the start;
    /// port 465); `user:password@` before the host to log in (percent-encoded).
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        if from.chars().any(char::is_control) {
            return Err("ISU_MAIL_FROM holds a line break or another control character".into());
        }
        let from: Mailbox = from.trim().parse().map_err(|e| {
            format!(
                "ISU_MAIL_FROM must be an address such as `ISU CCM <no-reply@example.org>`: {e}"
            )
        })?;
        let (effective, secrets) = effective_url(url)?;
        let scrub = |m: String| scrub(&m, &secrets);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(effective.as_str())
            .map_err(|e| scrub(format!("ISU_SMTP_URL: {e}")))?
            .timeout(Some(SMTP_TIMEOUT))
            .pool_config(
                PoolConfig::new()
                    .max_size(u32::try_from(CONCURRENCY).unwrap_or(4))
                    .idle_timeout(Duration::from_secs(60)),
            )
            .build();
        let domain = from.email.domain().to_owned();
        Ok(Self {
            transport: Arc::new(transport),
            from,
            domain,
            secrets,
        })
    }

    /// The `Message-ID` of a row: the same at every attempt.
    pub fn message_id(&self, id: Uuid) -> String {
        format!("<{id}@{}>", self.domain)
    }

    /// The email of a row, or why it cannot be one (a permanent failure).
    pub fn compose(&self, row: &notification::Model) -> Result<lettre::Message, String> {
        if row.subject.chars().any(char::is_control) {
            return Err(
                "the subject holds a line break or another control character: a header \
                        cannot carry it"
                    .into(),
            );
        }
        if row.recipient.chars().any(char::is_control) {
            return Err(
                "the recipient holds a line break or another control character: not sent".into(),
            );
        }
        let to: Address = row
            .recipient
            .trim()
            .parse()
            .map_err(|e| format!("the recipient is not an email address ({e})"))?;
        let subject = messages::one_line(&row.subject, MAX_SUBJECT * 2);
        let builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(subject)
            .message_id(Some(self.message_id(row.id)))
            .header(ContentLanguage(messages::tag(messages::written_in(
                row.language,
            ))))
            .header(AutoSubmitted);
        let built = match &row.body_html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                row.body.clone(),
                html.clone(),
            )),
            None => builder.singlepart(SinglePart::plain(row.body.clone())),
        };
        built.map_err(|e| format!("the message cannot be built ({e})"))
    }

    /// Sends one email; the error says whether the server refused it for good.
    async fn send(&self, email: lettre::Message) -> Result<(), SendError> {
        match tokio::time::timeout(SEND_TIMEOUT, self.transport.send(email)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(SendError {
                permanent: e.is_permanent(),
                message: self.scrubbed(&format!("{e}")),
            }),
            Err(_) => Err(SendError {
                permanent: false,
                message: format!(
                    "no answer from the SMTP server within {} s",
                    SEND_TIMEOUT.as_secs()
                ),
            }),
        }
    }

    fn scrubbed(&self, message: &str) -> String {
        scrub(message, &self.secrets)
    }
}

/// `ISU_SMTP_URL` as lettre reads it, with the TLS mode and port we mean spelt out, and the
/// strings never to show (its user name and password, as written and decoded).
fn effective_url(url: &str) -> Result<(url::Url, Vec<String>), String> {
    let parsed =
        url::Url::parse(url.trim()).map_err(|e| format!("ISU_SMTP_URL is not a URL ({e})"))?;
    let mut secrets = Vec::new();
    // A user name of one or two letters is no secret, and hiding it would garble messages.
    let user = Some(parsed.username()).filter(|u| u.len() > 2);
    for s in [
        user.unwrap_or_default(),
        parsed.password().unwrap_or_default(),
    ] {
        if !s.is_empty() {
            secrets.push(s.to_owned());
            if let Ok(decoded) = percent_decode(s)
                && decoded != s
            {
                secrets.push(decoded);
            }
        }
    }
    let scrub = |m: String| scrub(&m, &secrets);
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("ISU_SMTP_URL has no host (e.g. smtp://mail.example.org:587)".into());
    }
    let tls: Vec<String> = parsed
        .query_pairs()
        .filter(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned())
        .collect();
    if parsed.query_pairs().any(|(k, _)| k != "tls") || tls.len() > 1 {
        return Err("ISU_SMTP_URL takes one query parameter only: tls".into());
    }
    let mut effective = parsed.clone();
    let mut port_25 = false;
    match (parsed.scheme(), tls.first().map(String::as_str)) {
        // Plain, upgraded when the server offers STARTTLS.
        ("smtp", None | Some("opportunistic")) => {
            effective.set_query(Some("tls=opportunistic"));
            port_25 = true;
        }
        ("smtp", Some("none")) => {
            effective.set_query(None);
            port_25 = true;
        }
        ("smtp", Some("required")) | ("smtps", None) => {}
        ("smtp", Some(other)) => {
            return Err(scrub(format!(
                "ISU_SMTP_URL: tls={other} is not one of none, opportunistic, required"
            )));
        }
        ("smtps", Some(_)) => {
            return Err("ISU_SMTP_URL: smtps:// is TLS from the start; drop ?tls=".into());
        }
        (scheme, _) => {
            return Err(scrub(format!(
                "ISU_SMTP_URL must start with smtp:// or smtps://, not {scheme}://"
            )));
        }
    }
    // lettre's own default with STARTTLS is 587; ours for smtp:// is SMTP's, 25.
    if port_25 && parsed.port().is_none() {
        effective
            .set_port(Some(25))
            .map_err(|()| "ISU_SMTP_URL: cannot take a port".to_owned())?;
    }
    Ok((effective, secrets))
}

/// Removes `secrets` from `message` and bounds it to [`MAX_ERROR`] characters, on one line.
fn scrub(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_owned();
    for s in secrets {
        if !s.is_empty() {
            out = out.replace(s.as_str(), "***");
        }
    }
    messages::one_line(&out, MAX_ERROR)
}

fn percent_decode(s: &str) -> Result<String, std::string::FromUtf8Error> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out)
}

#[derive(Debug)]
struct SendError {
    permanent: bool,
    message: String,
}

/// `Content-Language` (RFC 3282): the language the message is written in.
#[derive(Clone)]
struct ContentLanguage(&'static str);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        [
            Language::En,
            Language::Fr,
            Language::Es,
            Language::Ar,
            Language::Ru,
            Language::Zh,
        ]
        .into_iter()
        .map(messages::tag)
        .find(|t| t.eq_ignore_ascii_case(s.trim()))
        .map(Self)
        .ok_or_else(|| "not a language of the system".into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.to_owned())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no auto-reply should answer it.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SendReport {
    /// Rows claimed.
    pub claimed: u64,
    pub sent: u64,
    /// Failed this time, to be tried again later.
    pub retried: u64,
    /// FAILED for good: refused by the server (5xx), not an email, or attempts spent.
    pub failed: u64,
    /// Reminders no longer needed, CANCELLED instead of sent.
    pub cancelled: u64,
    /// Claimed but not tried (the pass ran out of time): released for the next pass.
    pub released: u64,
    /// The time each message took to send (sent or refused by the server).
    pub latencies: Vec<Duration>,
}

/// The delay before attempt `attempts + 1`, after `attempts` failed ones: [`FIRST_RETRY`]
/// doubled each time, at most [`MAX_BACKOFF`].
pub fn backoff(attempts: i32) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(0);
    FIRST_RETRY
        .checked_mul(1u32 << exp)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF)
}

fn span(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Claims up to `batch` PENDING emails due at `now`, oldest first: moves their
/// `next_attempt_at` to `now` + [`LEASE`] and counts an attempt, in one statement, and
/// answers them as they now are. Two senders claim disjoint rows.
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<Vec<notification::Model>, DbErr> {
    let backend = db.get_database_backend();
    let until = now + span(LEASE);
    let limit = i64::try_from(batch.clamp(1, 1000)).unwrap_or(1000);
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "UPDATE notifications SET next_attempt_at = $1, attempts = attempts + 1, \
             updated_at = $2 \
             WHERE id IN (SELECT id FROM notifications \
               WHERE status = 'PENDING' AND channel = 'EMAIL' AND next_attempt_at <= $3 \
               ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        // One writer at a time: the statement claims what it selects.
        _ => {
            "UPDATE notifications SET next_attempt_at = ?, attempts = attempts + 1, \
             updated_at = ? \
             WHERE id IN (SELECT id FROM notifications \
               WHERE status = 'PENDING' AND channel = 'EMAIL' AND next_attempt_at <= ? \
               ORDER BY next_attempt_at, id LIMIT ?) \
             AND status = 'PENDING' AND next_attempt_at <= ? \
             RETURNING *"
        }
    };
    let mut values: Vec<sea_orm::Value> = vec![until.into(), now.into(), now.into(), limit.into()];
    if backend != DatabaseBackend::Postgres {
        values.push(now.into());
    }
    let mut rows = notification::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await?;
    rows.sort_by_key(|r| (r.created_at, r.id));
    Ok(rows)
}

/// One pass: claims up to `batch` due emails, cancels the reminders no longer needed, sends
/// the rest ([`CONCURRENCY`] at a time) and marks each as soon as its server answered.
/// `today` is the treaty date (reminders are checked against it), `now` the instant rows are
/// due by.
pub async fn send_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    config: &NotificationsConfig,
    today: NaiveDate,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<SendReport, DbErr> {
    let started = Instant::now();
    let rows = claim(db, now, batch).await?;
    let mut report = SendReport {
        claimed: rows.len() as u64,
        ..SendReport::default()
    };
    if rows.is_empty() {
        return Ok(report);
    }
    let stale = planner::still_due(db, today, &rows).await?;
    let mut to_send = Vec::with_capacity(rows.len());
    let mut to_cancel = Vec::new();
    for row in rows {
        if stale.contains(&row.id) {
            to_cancel.push(row.id);
        } else {
            to_send.push(row);
        }
    }
    report.cancelled = cancel(db, &to_cancel, now).await?;
    let max_attempts = i32::try_from(config.max_attempts).unwrap_or(i32::MAX);
    let outcomes: Vec<Result<Outcome, DbErr>> = futures_util::stream::iter(to_send)
        .map(|row| deliver(db, mailer, row, now, started, max_attempts))
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    for outcome in outcomes {
        match outcome? {
            Outcome::Sent(t) => {
                report.sent += 1;
                report.latencies.push(t);
            }
            Outcome::Retried(t) => {
                report.retried += 1;
                report.latencies.extend(t);
            }
            Outcome::Failed(t) => {
                report.failed += 1;
                report.latencies.extend(t);
            }
            Outcome::Released => report.released += 1,
        }
    }
    Ok(report)
}

enum Outcome {
    Sent(Duration),
    Retried(Option<Duration>),
    Failed(Option<Duration>),
    Released,
}

/// Sends one claimed row and marks it.
async fn deliver(
    db: &DatabaseConnection,
    mailer: &Mailer,
    row: notification::Model,
    now: DateTime<Utc>,
    started: Instant,
    max_attempts: i32,
) -> Result<Outcome, DbErr> {
    // The instant of a mark: the pass's `now`, moved on by the time the pass has taken.
    let at = || now + span(started.elapsed());
    if started.elapsed() > PASS_BUDGET {
        release(db, &row, now).await?;
        return Ok(Outcome::Released);
    }
    let email = match mailer.compose(&row) {
        Ok(email) => email,
        Err(why) => {
            fail(db, &row, &why, at()).await?;
            return Ok(Outcome::Failed(None));
        }
    };
    let t = Instant::now();
    let sent = mailer.send(email).await;
    let took = t.elapsed();
    match sent {
        Ok(()) => {
            mark_sent(db, row.id, at()).await?;
            Ok(Outcome::Sent(took))
        }
        Err(e) if e.permanent || row.attempts >= max_attempts => {
            let why = if e.permanent {
                format!("refused by the SMTP server: {}", e.message)
            } else {
                format!("{} (attempt {} of {max_attempts})", e.message, row.attempts)
            };
            fail(db, &row, &why, at()).await?;
            Ok(Outcome::Failed(Some(took)))
        }
        Err(e) => {
            let at = at();
            retry_later(
                db,
                &row,
                &format!("{} (attempt {} of {max_attempts})", e.message, row.attempts),
                at,
                at + span(backoff(row.attempts)),
            )
            .await?;
            Ok(Outcome::Retried(Some(took)))
        }
    }
}

fn bounded(error: &str) -> String {
    messages::one_line(error, MAX_ERROR)
}

async fn mark_sent(db: &DatabaseConnection, id: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    // Whatever happened to the row meanwhile, it was sent: the record says so. The last
    // error, if an earlier attempt had one, stays: what the row went through.
    notification::Entity::update_many()
        .col_expr(C::Status, Expr::value(NotificationStatus::Sent))
        .col_expr(C::SentAt, Expr::value(at))
        .col_expr(C::UpdatedAt, Expr::value(at))
        .filter(C::Id.eq(id))
        .filter(C::Status.ne(NotificationStatus::Sent))
        .exec(db)
        .await?;
    Ok(())
}

/// An update of a claimed row that applies only while the claim is still this sender's: the
/// row PENDING, its attempts as claimed (a sender that took it after the lease passed
/// counted one more).
fn while_claimed(row: &notification::Model) -> UpdateMany<notification::Entity> {
    notification::Entity::update_many()
        .filter(C::Id.eq(row.id))
        .filter(C::Status.eq(NotificationStatus::Pending))
        .filter(C::Attempts.eq(row.attempts))
}

/// FAILED, unless another sender took the row meanwhile (its lease passed).
async fn fail(
    db: &DatabaseConnection,
    row: &notification::Model,
    why: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    while_claimed(row)
        .col_expr(C::Status, Expr::value(NotificationStatus::Failed))
        .col_expr(C::LastError, Expr::value(bounded(why)))
        .col_expr(C::UpdatedAt, Expr::value(at))
        .exec(db)
        .await?;
    Ok(())
}

/// Due again at `next`, unless another sender took the row meanwhile.
async fn retry_later(
    db: &DatabaseConnection,
    row: &notification::Model,
    why: &str,
    at: DateTime<Utc>,
    next: DateTime<Utc>,
) -> Result<(), DbErr> {
    while_claimed(row)
        .col_expr(C::NextAttemptAt, Expr::value(next))
        .col_expr(C::LastError, Expr::value(bounded(why)))
        .col_expr(C::UpdatedAt, Expr::value(at))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives a claimed row back, untried: due again now, its attempt not counted.
async fn release(
    db: &DatabaseConnection,
    row: &notification::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    while_claimed(row)
        .col_expr(C::NextAttemptAt, Expr::value(now))
        .col_expr(C::Attempts, Expr::col(C::Attempts).sub(1))
        .exec(db)
        .await?;
    Ok(())
}

/// CANCELLED: claimed reminders no longer needed (their claim is not an attempt).
async fn cancel(db: &DatabaseConnection, ids: &[Uuid], at: DateTime<Utc>) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(notification::Entity::update_many()
        .col_expr(C::Status, Expr::value(NotificationStatus::Cancelled))
        .col_expr(C::Attempts, Expr::col(C::Attempts).sub(1))
        .col_expr(C::UpdatedAt, Expr::value(at))
        .filter(C::Id.is_in(ids.iter().copied()))
        .filter(C::Status.eq(NotificationStatus::Pending))
        .exec(db)
        .await?
        .rows_affected)
}

/// The outbox's rows by status and channel (for `isu_notifications_outbox`).
pub async fn outbox_depth<Conn: ConnectionTrait>(
    db: &Conn,
) -> Result<Vec<(NotificationStatus, NotificationChannel, i64)>, DbErr> {
    notification::Entity::find()
        .select_only()
        .column(C::Status)
        .column(C::Channel)
        .column_as(C::Id.count(), "n")
        .group_by(C::Status)
        .group_by(C::Channel)
        .into_tuple()
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::config::Secret;

    fn config(url: Option<&str>) -> NotificationsConfig {
        NotificationsConfig {
            smtp_url: url.map(Secret::new),
            mail_from: "ISU CCM <no-reply@isu.example.org>".into(),
            isu_address: None,
            public_url: "https://ccm.example.org".into(),
            max_attempts: 8,
            interval: Duration::from_secs(300),
            run: true,
        }
    }

    #[test]
    fn backoff_doubles_from_a_minute_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::from_secs(60));
        assert_eq!(backoff(2), Duration::from_secs(120));
        assert_eq!(backoff(3), Duration::from_secs(240));
        assert_eq!(backoff(9), Duration::from_secs(60 * 256));
        assert_eq!(backoff(10), MAX_BACKOFF);
        assert_eq!(backoff(i32::MAX), MAX_BACKOFF);
        assert_eq!(backoff(0), FIRST_RETRY);
        assert_eq!(backoff(-5), FIRST_RETRY);
    }

    #[tokio::test]
    async fn the_settings_make_a_mailer_or_say_what_is_wrong_without_the_password() {
        assert!(
            Mailer::from_config(&config(None))
                .expect("no URL is fine")
                .is_none()
        );
        for ok in [
            "smtp://127.0.0.1:2525",
            "smtp://mail.example.org?tls=required",
            "smtp://mail.example.org:25?tls=none",
            "smtp://mail.example.org:587?tls=opportunistic",
            "smtps://user:p%40ss@mail.example.org:465",
        ] {
            let m = Mailer::from_config(&config(Some(ok)));
            assert!(matches!(m, Ok(Some(_))), "{ok}: {m:?}");
        }
        for (bad, says) in [
            ("not a url", "not a URL"),
            ("http://user:hunter2secret@mail.example.org", "smtp://"),
            (
                "smtp://user:hunter2secret@mail.example.org?tls=maybe",
                "tls=maybe",
            ),
            (
                "smtps://user:hunter2secret@mail.example.org?tls=required",
                "drop ?tls=",
            ),
            ("smtp://mail.example.org?x=1", "one query parameter"),
            ("smtp://", "no host"),
        ] {
            let err = Mailer::from_config(&config(Some(bad))).expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
            assert!(!err.contains("hunter2secret"), "{bad}: {err}");
        }
        let mut c = config(Some("smtp://127.0.0.1:2525"));
        for from in [
            "not an address",
            "ISU <a@example.org>\r\nBcc: x@example.org",
        ] {
            c.mail_from = from.into();
            let err = Mailer::from_config(&c).expect_err("bad From");
            assert!(err.contains("ISU_MAIL_FROM"), "{err}");
        }
    }

    #[test]
    fn the_url_says_the_tls_mode_and_port_lettre_is_given() {
        for (given, effective) in [
            (
                "smtp://mail.example.org",
                "smtp://mail.example.org:25?tls=opportunistic",
            ),
            (
                "smtp://mail.example.org:2525",
                "smtp://mail.example.org:2525?tls=opportunistic",
            ),
            (
                "smtp://mail.example.org?tls=opportunistic",
                "smtp://mail.example.org:25?tls=opportunistic",
            ),
            (
                "smtp://mail.example.org?tls=none",
                "smtp://mail.example.org:25",
            ),
            (
                "smtp://mail.example.org?tls=required",
                "smtp://mail.example.org?tls=required",
            ),
            (
                "smtps://u:p%40ss@mail.example.org",
                "smtps://u:p%40ss@mail.example.org",
            ),
        ] {
            let (url, _) = effective_url(given).unwrap_or_else(|e| panic!("{given}: {e}"));
            assert_eq!(url.as_str().trim_end_matches('/'), effective, "{given}");
        }
        let (_, secrets) = effective_url("smtps://u%20x:p%40ss@mail.example.org").expect("url");
        assert_eq!(secrets, ["u%20x", "u x", "p%40ss", "p@ss"]);
        let (_, secrets) = effective_url("smtps://u:pw@mail.example.org").expect("url");
        assert_eq!(secrets, ["pw"]);
    }

    #[test]
    fn errors_never_carry_the_credentials_and_are_bounded() {
        let secrets = vec!["hunter2".to_owned(), "p@ss word".to_owned()];
        let out = scrub(
            &format!(
                "auth failed for hunter2 with p@ss word\r\n{}",
                "x".repeat(2000)
            ),
            &secrets,
        );
        assert!(
            !out.contains("hunter2") && !out.contains("p@ss word"),
            "{out}"
        );
        assert!(!out.contains('\n'));
        assert!(out.chars().count() <= MAX_ERROR);
        assert_eq!(percent_decode("p%40ss%20word").as_deref(), Ok("p@ss word"));
    }

    fn row(subject: &str, recipient: &str) -> notification::Model {
        let at = crate::kernel::clock::now();
        notification::Model {
            id: Uuid::now_v7(),
            dedupe_key: "k".into(),
            reason: entity::enums::NotificationReason::ReportSubmitted,
            channel: NotificationChannel::Email,
            state_code: Some("FRA".into()),
            contact_point_id: None,
            recipient_user_id: None,
            recipient: recipient.into(),
            subject: subject.into(),
            body: "Body".into(),
            body_html: Some("<p>Body</p>".into()),
            language: Language::Fr,
            status: NotificationStatus::Pending,
            attempts: 1,
            last_error: None,
            obligation_kind: None,
            reporting_year: None,
            due_date: None,
            round: None,
            subject_id: None,
            next_attempt_at: at,
            created_at: at,
            updated_at: at,
            sent_at: None,
            read_at: None,
        }
    }

    #[tokio::test]
    async fn a_row_becomes_an_email_with_its_message_id_and_language_or_a_clear_refusal() {
        let m = Mailer::new(
            "smtp://127.0.0.1:2525",
            "ISU CCM <no-reply@isu.example.org>",
        )
        .expect("mailer");
        let r = row("Rappel – France", "focal@example.org");
        let email = m.compose(&r).expect("email");
        let text = String::from_utf8(email.formatted()).expect("utf-8");
        assert!(
            text.contains(&format!("Message-ID: <{}@isu.example.org>", r.id)),
            "{text}"
        );
        assert!(text.contains("Content-Language: fr"), "{text}");
        assert!(text.contains("Auto-Submitted: auto-generated"), "{text}");
        assert!(text.contains("multipart/alternative"), "{text}");
        assert_eq!(
            email.envelope().to(),
            ["focal@example.org".parse::<Address>().expect("address")]
        );

        let bad = m
            .compose(&row("Hi\r\nBcc: x@example.org", "focal@example.org"))
            .expect_err("CR/LF in the subject");
        assert!(bad.contains("line break"), "{bad}");
        let bad = m
            .compose(&row("Hi", "focal@example.org\r\nBcc: x@example.org"))
            .expect_err("CR/LF in the recipient");
        assert!(bad.contains("line break"), "{bad}");
        let bad = m
            .compose(&row("Hi", "not an address"))
            .expect_err("not an address");
        assert!(bad.contains("not an email address"), "{bad}");
    }
}
