//! Reminders and notifications (docs/domain.md §12): each State's contact points, the
//! reminder policy, the outbox every notification goes through (deadline reminders, event
//! emails and in-app notices), the planner that writes reminders, and the sender that
//! delivers emails by SMTP. Depends on `states` (the obligations reminders are about) and
//! `users` (who is notified in the app); `reports`, `sponsorship`, `cooperation` call
//! [`events`] in their own transactions, so this domain never imports them.
//!
//! - [`contacts`]: contact points, written by ISU staff and the State's own delegation.
//! - [`policy`]: the reminder policy (ISU_ADMIN writes, everyone signed in reads).
//! - [`outbox`]: writing notifications once (their dedupe key), reading them as the viewer
//!   may, marking in-app notices read, putting a FAILED email back.
//! - [`planner`]: which reminders are due today ([`crate::rules::reminders`]), written to
//!   the outbox; reminders no longer needed are CANCELLED.
//! - [`submissions`]: the planner's reminders of the last day to submit an extension
//!   request, from the meetings and requests as plain rows (this domain never imports
//!   `extensions`, which depends on it through `records` and `sponsorship`).
//! - [`messages`]: subjects and bodies (text and HTML) from templates, in EN, FR and ES.
//! - [`sender`]: delivers PENDING emails by SMTP, at least once, with backoff.
//! - [`events`]: notices of a report submitted, a sponsorship decision, a match proposed.
//! - [`visibility`]: who reads a contact point's email and a notification.

pub mod contacts;
pub mod events;
pub mod messages;
pub mod outbox;
pub mod planner;
pub mod policy;
pub mod sender;
pub mod submissions;
pub mod visibility;

use std::time::Duration;

use crate::kernel::config::{ConfigError, Secret, Settings};

/// How notifications go out, from the settings (README, "Reminders and notifications").
#[derive(Clone, Debug)]
pub struct NotificationsConfig {
    /// `ISU_SMTP_URL`; None: emails stay PENDING.
    pub smtp_url: Option<Secret>,
    /// `ISU_MAIL_FROM`.
    pub mail_from: String,
    /// `ISU_MAIL_ISU_ADDRESS`: copied on overdue reminders when the policy says so.
    pub isu_address: Option<String>,
    /// `ISU_PUBLIC_URL`, without a trailing slash: links in messages.
    pub public_url: String,
    /// `ISU_MAIL_MAX_ATTEMPTS`, at least 1.
    pub max_attempts: u32,
    /// `ISU_REMINDER_INTERVAL_SECS`, at least 1 s.
    pub interval: Duration,
    /// `ISU_REMINDERS`: whether this server runs the planner and the sender.
    pub run: bool,
}

impl NotificationsConfig {
    pub fn from_settings(s: &Settings) -> Result<Self, ConfigError> {
        let m = &s.mail;
        Ok(Self {
            smtp_url: m.smtp_url.clone().filter(|u| !u.expose().trim().is_empty()),
            mail_from: m.mail_from.trim().to_owned(),
            isu_address: m
                .isu_address
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
            public_url: m.public_url.trim().trim_end_matches('/').to_owned(),
            max_attempts: m.max_attempts.max(1),
            interval: Duration::from_secs(m.reminder_interval_secs.max(1)),
            run: m.reminders,
        })
    }
}
