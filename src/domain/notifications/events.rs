//! Notices of events (docs/domain.md §12), written in the transaction of the change they
//! announce, so that a change and its notices commit or roll back together:
//!
//! - a transparency report submitted: in the app of ISU staff, and an acknowledgement to
//!   the State's contact points; the State's PENDING reminders of that report are
//!   CANCELLED in the same transaction;
//! - a sponsorship application decided (APPROVED, WAITLISTED or REJECTED): in the app of
//!   the applicant State's delegation, and to its contact points;
//! - a match proposed: in the app of the delegations of both States (the need's and the
//!   offer's, when a State offers it), and to both States' contact points.
//!
//! Emails go to active contact points in their language; in-app notices to active users,
//! in English (users have no language of their own). A notice to a State's people carries
//! the State; a notice to ISU staff carries none, so that it never shows among a State's
//! notifications (nor the staff's addresses to its delegation). The services of
//! `reports`, `sponsorship` and `cooperation` call these functions: this domain does not
//! import them.

use std::collections::HashMap;

use entity::enums::{
    ApplicationStatus, Language, NotificationChannel, NotificationReason, ReportKind, UserRole,
};
use entity::{
    assistance_need, assistance_offer, match_proposal, meeting, sponsorship_application, state,
    transparency_report, user,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::NotificationsConfig;
use super::contacts::Recipient;
use super::messages::{self, Message, Rendered, Topic};
use super::outbox::{self, NewNotification};
use super::planner;
use crate::rules::obligations::ObligationKind;

/// The outbox key of an event's notice: `evt|{REASON}|{subject}|{contact point or user ID}`.
pub fn event_key(reason: NotificationReason, subject: &str, recipient: Uuid) -> String {
    format!("evt|{}|{subject}|{recipient}", reason.to_value())
}

/// An active user of a State's delegation.
#[derive(Debug, FromQueryResult)]
struct Delegate {
    id: Uuid,
    email: String,
    state_code: Option<String>,
}

/// Who hears of an event in the States concerned: their names, their contact points and
/// their delegations' users.
struct States {
    names: HashMap<String, String>,
    contacts: Vec<Recipient>,
    delegates: Vec<Delegate>,
}

impl States {
    /// Three statements whatever the number of States.
    async fn load<C: ConnectionTrait>(conn: &C, codes: &[&str]) -> Result<Self, DbErr> {
        let names = state::Entity::find()
            .select_only()
            .columns([state::Column::Code, state::Column::Name])
            .filter(state::Column::Code.is_in(codes.iter().copied()))
            .into_tuple::<(String, String)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        let contacts = super::contacts::active(conn, Some(codes))
            .await?
            .into_values()
            .flatten()
            .collect();
        let delegates = {
            use user::Column as C;
            user::Entity::find()
                .select_only()
                .columns([C::Id, C::Email, C::StateCode])
                .filter(C::Role.eq(UserRole::Delegation))
                .filter(C::StateCode.is_in(codes.iter().copied()))
                .filter(C::Active.eq(true))
                .order_by_asc(C::Id)
                .into_model::<Delegate>()
                .all(conn)
                .await?
        };
        Ok(Self {
            names,
            contacts,
            delegates,
        })
    }

    fn name(&self, code: &str) -> String {
        self.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }
}

/// One event's notices, rendered once per State and language.
struct Notices<'a> {
    config: &'a NotificationsConfig,
    reason: NotificationReason,
    /// What the event is about (its row's ID).
    subject_id: Uuid,
    /// The subject part of the keys (the row's ID, or the ID and the outcome).
    key_subject: String,
    renders: HashMap<(String, Language), Rendered>,
    rows: Vec<NewNotification>,
}

impl<'a> Notices<'a> {
    fn new(
        config: &'a NotificationsConfig,
        reason: NotificationReason,
        subject_id: Uuid,
        key_subject: String,
    ) -> Self {
        Self {
            config,
            reason,
            subject_id,
            key_subject,
            renders: HashMap::new(),
            rows: Vec::new(),
        }
    }

    fn render(&mut self, topic: &Topic, state_name: &str, language: Language) -> Rendered {
        let portal_url = &self.config.public_url;
        self.renders
            .entry((state_name.to_owned(), language))
            .or_insert_with(|| {
                messages::render(&Message {
                    topic: topic.clone(),
                    state_name: state_name.to_owned(),
                    language,
                    portal_url: portal_url.clone(),
                })
            })
            .clone()
    }

    /// An email to a contact point, in its language, about its State.
    fn email(&mut self, topic: &Topic, state_name: &str, c: &Recipient) {
        let text = self.render(topic, state_name, c.language);
        self.rows.push(NewNotification {
            dedupe_key: event_key(self.reason, &self.key_subject, c.id),
            reason: self.reason,
            channel: NotificationChannel::Email,
            state_code: Some(c.state_code.clone()),
            contact_point_id: Some(c.id),
            recipient_user_id: None,
            recipient: c.email.clone(),
            subject: text.subject,
            body: text.text,
            body_html: Some(text.html),
            language: c.language,
            obligation_kind: None,
            reporting_year: None,
            due_date: None,
            round: None,
            subject_id: Some(self.subject_id),
        });
    }

    /// An in-app notice to a user, in English; `state_code` is the State it belongs to
    /// (None for ISU staff).
    fn in_app(
        &mut self,
        topic: &Topic,
        state_name: &str,
        user: Uuid,
        email: &str,
        state_code: Option<&str>,
    ) {
        let text = self.render(topic, state_name, Language::En);
        self.rows.push(NewNotification {
            dedupe_key: event_key(self.reason, &self.key_subject, user),
            reason: self.reason,
            channel: NotificationChannel::InApp,
            state_code: state_code.map(str::to_owned),
            contact_point_id: None,
            recipient_user_id: Some(user),
            recipient: email.to_owned(),
            subject: text.subject,
            body: text.text,
            body_html: None,
            language: Language::En,
            obligation_kind: None,
            reporting_year: None,
            due_date: None,
            round: None,
            subject_id: Some(self.subject_id),
        });
    }

    /// Emails to the contact points and notices to the delegation of the State `code`.
    fn address_state(&mut self, topic: &Topic, states: &States, code: &str) {
        let name = states.name(code);
        for c in states.contacts.iter().filter(|c| c.state_code == code) {
            self.email(topic, &name, c);
        }
        for d in states
            .delegates
            .iter()
            .filter(|d| d.state_code.as_deref() == Some(code))
        {
            self.in_app(topic, &name, d.id, &d.email, Some(code));
        }
    }

    async fn write<C: ConnectionTrait>(self, conn: &C) -> Result<u64, DbErr> {
        outbox::enqueue(conn, self.rows).await
    }
}

/// `submitTransparencyReport`, in its transaction: ISU staff are told in the app, the
/// State's contact points by email (an acknowledgement), and the State's PENDING reminders
/// of that report are CANCELLED. Answers how many notices were written.
pub async fn report_submitted<C: ConnectionTrait>(
    conn: &C,
    config: &NotificationsConfig,
    report: &transparency_report::Model,
) -> Result<u64, DbErr> {
    let (kind, year) = match report.kind {
        ReportKind::Initial => (ObligationKind::InitialTransparencyReport, None),
        ReportKind::Annual => (
            ObligationKind::AnnualTransparencyReport,
            Some(report.reporting_year),
        ),
    };
    planner::cancel_for_obligation(conn, &report.state_code, kind, year).await?;
    let code = report.state_code.as_str();
    let states = States::load(conn, &[code]).await?;
    let name = states.name(code);
    let topic = Topic::ReportSubmitted {
        reporting_year: year,
        initial: report.kind == ReportKind::Initial,
    };
    let mut notices = Notices::new(
        config,
        NotificationReason::ReportSubmitted,
        report.id,
        report.id.to_string(),
    );
    for u in planner::isu_users(conn).await? {
        notices.in_app(&topic, &name, u.id, &u.email, None);
    }
    for c in states.contacts.iter().filter(|c| c.state_code == code) {
        notices.email(&topic, &name, c);
    }
    notices.write(conn).await
}

/// `decideSponsorshipApplication`, in its transaction: when the application is APPROVED,
/// WAITLISTED or REJECTED (an application put UNDER_REVIEW is not news), the applicant
/// State's delegation is told in the app and its contact points by email. Each outcome of
/// an application is announced once (a waitlisted application approved later is announced
/// again). Answers how many notices were written.
pub async fn sponsorship_decided<C: ConnectionTrait>(
    conn: &C,
    config: &NotificationsConfig,
    application: &sponsorship_application::Model,
    meeting: &meeting::Model,
) -> Result<u64, DbErr> {
    let outcome = application.status;
    if !matches!(
        outcome,
        ApplicationStatus::Approved | ApplicationStatus::Waitlisted | ApplicationStatus::Rejected
    ) {
        return Ok(0);
    }
    let code = application.state_code.as_str();
    let states = States::load(conn, &[code]).await?;
    let topic = Topic::SponsorshipDecided {
        meeting: meeting.title.clone(),
        delegate: application.delegate_name.clone(),
        outcome,
    };
    let mut notices = Notices::new(
        config,
        NotificationReason::SponsorshipDecided,
        application.id,
        format!("{}/{}", application.id, outcome.to_value()),
    );
    notices.address_state(&topic, &states, code);
    notices.write(conn).await
}

/// `proposeMatch`, in its transaction: the delegations of the need's State and of the
/// offer's (when a State makes the offer) are told in the app, and both States' contact
/// points by email. Answers how many notices were written.
pub async fn match_proposed<C: ConnectionTrait>(
    conn: &C,
    config: &NotificationsConfig,
    proposal: &match_proposal::Model,
    need: &assistance_need::Model,
    offer: &assistance_offer::Model,
) -> Result<u64, DbErr> {
    let mut codes = vec![need.state_code.as_str()];
    if let Some(provider) = offer.provider_state_code.as_deref()
        && provider != need.state_code
    {
        codes.push(provider);
    }
    let states = States::load(conn, &codes).await?;
    let offer_state = match (&offer.provider_state_code, &offer.provider_organization) {
        (Some(code), _) => states.name(code),
        (None, Some(org)) => org.clone(),
        (None, None) => String::new(),
    };
    let topic = Topic::MatchProposed {
        need: need.title.clone(),
        need_state: states.name(&need.state_code),
        offer_state,
    };
    let mut notices = Notices::new(
        config,
        NotificationReason::MatchProposed,
        proposal.id,
        proposal.id.to_string(),
    );
    for code in codes {
        notices.address_state(&topic, &states, code);
    }
    notices.write(conn).await
}
