//! Reminders and email: where mail goes out, who it is from, how often the planner runs and
//! how often a message is tried (README, "Reminders and notifications").

use super::Secret;

#[derive(Clone, Debug, clap::Args)]
pub struct MailSettings {
    /// SMTP server of outgoing email: `smtp://host:25` (plain, or STARTTLS when offered),
    /// `smtp://host:587?tls=required` (STARTTLS required), `smtps://user:pass@host:465`
    /// (TLS from the start). Unset: emails stay PENDING in the outbox.
    #[arg(long, env = "ISU_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<Secret>,

    /// The From address of outgoing email.
    #[arg(
        long,
        env = "ISU_MAIL_FROM",
        default_value = "ISU CCM <no-reply@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// The ISU's own address: overdue reminders are copied to it when the policy says so.
    #[arg(long, env = "ISU_MAIL_ISU_ADDRESS", global = true)]
    pub isu_address: Option<String>,

    /// The portal's address, for links in messages.
    #[arg(
        long,
        env = "ISU_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub public_url: String,

    /// Attempts of one email before it is FAILED.
    #[arg(
        long,
        env = "ISU_MAIL_MAX_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub max_attempts: u32,

    /// Seconds between two runs of the reminder planner (it also runs once at start).
    #[arg(
        long,
        env = "ISU_REMINDER_INTERVAL_SECS",
        default_value_t = 300,
        global = true
    )]
    pub reminder_interval_secs: u64,

    /// Whether this server runs the planner and the sender (false: a replica that only
    /// serves the API).
    #[arg(
        long,
        env = "ISU_REMINDERS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub reminders: bool,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_from: "ISU CCM <no-reply@localhost>".into(),
            isu_address: None,
            public_url: "http://127.0.0.1:8080".into(),
            max_attempts: 8,
            reminder_interval_secs: 300,
            reminders: true,
        }
    }
}
