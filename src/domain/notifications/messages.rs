//! Subjects and bodies of notifications, from templates: plain text and HTML, in English,
//! French and Spanish (other languages read the English).
//!
//! The templates are in `templates/notifications/{en,fr,es}/`, compiled into the binary: a
//! topic's `.txt` holds its `subject` and `body` blocks, its `.html` the HTML alternative
//! (autoescaped), which extends the language's `layout.html`. Values taken from records
//! (names, references) are put on one line and bounded before they reach a template, and the
//! subject is one line whatever a template does: it goes into a mail header.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use entity::enums::{ApplicationStatus, Language};
use minijinja::{Environment, Value, context};

use crate::rules::obligations::ObligationKind;

/// What a message is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Topic {
    /// A deadline approaching (`days_remaining` ≥ 0) or missed (< 0).
    Deadline {
        kind: ObligationKind,
        /// For annual reports: the calendar year covered.
        reporting_year: Option<i32>,
        due_date: NaiveDate,
        days_remaining: i64,
    },
    /// A transparency report was submitted.
    ReportSubmitted {
        /// None: the initial report.
        reporting_year: Option<i32>,
        initial: bool,
    },
    /// A sponsorship application was decided.
    SponsorshipDecided {
        meeting: String,
        delegate: String,
        /// APPROVED, WAITLISTED or REJECTED.
        outcome: entity::enums::ApplicationStatus,
    },
    /// The ISU proposed to meet a need with an offer.
    MatchProposed {
        need: String,
        need_state: String,
        offer_state: String,
    },
    /// A decision of a meeting falls due.
    DecisionDue {
        reference: String,
        due_on: NaiveDate,
        days_remaining: i64,
    },
    /// The last day to submit a request to extend an Article 3 or 4 deadline approaches
    /// (docs/domain.md §3a).
    ExtensionRequestDue {
        /// STOCKPILE_DESTRUCTION or CLEARANCE.
        kind: ObligationKind,
        /// The deadline in force.
        due_date: NaiveDate,
        /// Nine calendar months before the meeting opens, never after the deadline.
        submit_by: NaiveDate,
        /// submit_by − today, ≥ 0.
        days_remaining: i64,
        /// The meeting that would decide the request, by its title.
        meeting: String,
        /// The day it opens.
        meeting_opens: NaiveDate,
    },
}

/// One message to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub topic: Topic,
    /// The State's name (in English, as the registry has it).
    pub state_name: String,
    pub language: Language,
    /// `ISU_PUBLIC_URL`, without a trailing slash.
    pub portal_url: String,
}

/// A rendered message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// One line, no CR or LF.
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Longest subject, in characters (RFC 5322 recommends lines under 78; a long State name
/// and obligation need a little more).
pub const MAX_SUBJECT: usize = 200;
/// Longest value from a record (a name, a need's title) put into a message, in characters.
pub const MAX_VALUE: usize = 300;

/// The language a message in `language` is written in: EN, FR or ES.
pub fn written_in(language: Language) -> Language {
    match language {
        Language::Fr => Language::Fr,
        Language::Es => Language::Es,
        Language::En | Language::Ar | Language::Ru | Language::Zh => Language::En,
    }
}

/// The BCP 47 tag of a language (for `Content-Language` and `<html lang>`).
pub fn tag(language: Language) -> &'static str {
    match language {
        Language::Ar => "ar",
        Language::En => "en",
        Language::Es => "es",
        Language::Fr => "fr",
        Language::Ru => "ru",
        Language::Zh => "zh",
    }
}

/// Where a message's link leads, under the portal's address.
pub fn portal_path(topic: &Topic) -> &'static str {
    match topic {
        Topic::Deadline { .. } => "/deadlines",
        Topic::ReportSubmitted { .. } => "/reports",
        Topic::SponsorshipDecided { .. } => "/sponsorship",
        Topic::MatchProposed { .. } => "/cooperation",
        Topic::DecisionDue { .. } => "/decisions",
        Topic::ExtensionRequestDue { .. } => "/extensions",
    }
}

/// The subject, text and HTML of `m`, in its language (EN for languages without templates).
pub fn render(m: &Message) -> Rendered {
    let lang = written_in(m.language);
    let (name, ctx) = context_of(m, lang);
    match render_with(&ENV, tag(lang), name, ctx) {
        Ok(r) => r,
        Err(e) => {
            // The templates are compiled in and every topic and language is rendered by the
            // tests: this is a defect, not a situation. The message still goes out, plainly.
            tracing::error!(error = %e, template = name, "a notification template failed");
            fallback(m)
        }
    }
}

/// The templates, parsed once.
static ENV: LazyLock<Environment<'static>> = LazyLock::new(environment);

/// Every template: `(name, source)`.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "en/layout.html",
        include_str!("../../../templates/notifications/en/layout.html"),
    ),
    (
        "en/footer.txt",
        include_str!("../../../templates/notifications/en/footer.txt"),
    ),
    (
        "en/deadline.txt",
        include_str!("../../../templates/notifications/en/deadline.txt"),
    ),
    (
        "en/deadline.html",
        include_str!("../../../templates/notifications/en/deadline.html"),
    ),
    (
        "en/report_submitted.txt",
        include_str!("../../../templates/notifications/en/report_submitted.txt"),
    ),
    (
        "en/report_submitted.html",
        include_str!("../../../templates/notifications/en/report_submitted.html"),
    ),
    (
        "en/sponsorship_decided.txt",
        include_str!("../../../templates/notifications/en/sponsorship_decided.txt"),
    ),
    (
        "en/sponsorship_decided.html",
        include_str!("../../../templates/notifications/en/sponsorship_decided.html"),
    ),
    (
        "en/match_proposed.txt",
        include_str!("../../../templates/notifications/en/match_proposed.txt"),
    ),
    (
        "en/match_proposed.html",
        include_str!("../../../templates/notifications/en/match_proposed.html"),
    ),
    (
        "en/decision_due.txt",
        include_str!("../../../templates/notifications/en/decision_due.txt"),
    ),
    (
        "en/decision_due.html",
        include_str!("../../../templates/notifications/en/decision_due.html"),
    ),
    (
        "en/extension_due.txt",
        include_str!("../../../templates/notifications/en/extension_due.txt"),
    ),
    (
        "en/extension_due.html",
        include_str!("../../../templates/notifications/en/extension_due.html"),
    ),
    (
        "fr/layout.html",
        include_str!("../../../templates/notifications/fr/layout.html"),
    ),
    (
        "fr/footer.txt",
        include_str!("../../../templates/notifications/fr/footer.txt"),
    ),
    (
        "fr/deadline.txt",
        include_str!("../../../templates/notifications/fr/deadline.txt"),
    ),
    (
        "fr/deadline.html",
        include_str!("../../../templates/notifications/fr/deadline.html"),
    ),
    (
        "fr/report_submitted.txt",
        include_str!("../../../templates/notifications/fr/report_submitted.txt"),
    ),
    (
        "fr/report_submitted.html",
        include_str!("../../../templates/notifications/fr/report_submitted.html"),
    ),
    (
        "fr/sponsorship_decided.txt",
        include_str!("../../../templates/notifications/fr/sponsorship_decided.txt"),
    ),
    (
        "fr/sponsorship_decided.html",
        include_str!("../../../templates/notifications/fr/sponsorship_decided.html"),
    ),
    (
        "fr/match_proposed.txt",
        include_str!("../../../templates/notifications/fr/match_proposed.txt"),
    ),
    (
        "fr/match_proposed.html",
        include_str!("../../../templates/notifications/fr/match_proposed.html"),
    ),
    (
        "fr/decision_due.txt",
        include_str!("../../../templates/notifications/fr/decision_due.txt"),
    ),
    (
        "fr/decision_due.html",
        include_str!("../../../templates/notifications/fr/decision_due.html"),
    ),
    (
        "fr/extension_due.txt",
        include_str!("../../../templates/notifications/fr/extension_due.txt"),
    ),
    (
        "fr/extension_due.html",
        include_str!("../../../templates/notifications/fr/extension_due.html"),
    ),
    (
        "es/layout.html",
        include_str!("../../../templates/notifications/es/layout.html"),
    ),
    (
        "es/footer.txt",
        include_str!("../../../templates/notifications/es/footer.txt"),
    ),
    (
        "es/deadline.txt",
        include_str!("../../../templates/notifications/es/deadline.txt"),
    ),
    (
        "es/deadline.html",
        include_str!("../../../templates/notifications/es/deadline.html"),
    ),
    (
        "es/report_submitted.txt",
        include_str!("../../../templates/notifications/es/report_submitted.txt"),
    ),
    (
        "es/report_submitted.html",
        include_str!("../../../templates/notifications/es/report_submitted.html"),
    ),
    (
        "es/sponsorship_decided.txt",
        include_str!("../../../templates/notifications/es/sponsorship_decided.txt"),
    ),
    (
        "es/sponsorship_decided.html",
        include_str!("../../../templates/notifications/es/sponsorship_decided.html"),
    ),
    (
        "es/match_proposed.txt",
        include_str!("../../../templates/notifications/es/match_proposed.txt"),
    ),
    (
        "es/match_proposed.html",
        include_str!("../../../templates/notifications/es/match_proposed.html"),
    ),
    (
        "es/decision_due.txt",
        include_str!("../../../templates/notifications/es/decision_due.txt"),
    ),
    (
        "es/decision_due.html",
        include_str!("../../../templates/notifications/es/decision_due.html"),
    ),
    (
        "es/extension_due.txt",
        include_str!("../../../templates/notifications/es/extension_due.txt"),
    ),
    (
        "es/extension_due.html",
        include_str!("../../../templates/notifications/es/extension_due.html"),
    ),
];

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // A variable a template names and the context lacks is an error (caught by the tests),
    // never an empty string in a letter to a government.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    // `.html` templates are HTML-escaped (minijinja's default, by the name's extension).
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            tracing::error!(error = %e, template = name, "a notification template does not parse");
        }
    }
    env
}

fn render_with(
    env: &Environment<'static>,
    lang: &str,
    name: &str,
    ctx: Value,
) -> Result<Rendered, minijinja::Error> {
    let text = env.get_template(&format!("{lang}/{name}.txt"))?;
    let (subject, body) = text.render_captured(&ctx)?.with_state_mut(|state| {
        Ok::<_, minijinja::Error>((state.render_block("subject")?, state.render_block("body")?))
    })?;
    let subject = one_line(&subject, MAX_SUBJECT);
    let html = env
        .get_template(&format!("{lang}/{name}.html"))?
        .render(context! { subject => &subject, link => html_link(&ctx), ..ctx })?;
    Ok(Rendered {
        subject,
        text: tidy(&body),
        html,
    })
}

/// The context's link for an HTML attribute: escaped as an attribute needs (`&`, `<`, `>`,
/// quotes), not minijinja's way, which also writes each `/` as `&#x2f;`.
fn html_link(ctx: &Value) -> Value {
    let link = ctx
        .get_attr("link")
        .ok()
        .and_then(|l| l.as_str().map(str::to_owned))
        .unwrap_or_default();
    let mut out = String::with_capacity(link.len());
    for c in link.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Value::from_safe_string(out)
}

/// The template of `m`'s topic and its context.
fn context_of(m: &Message, lang: Language) -> (&'static str, Value) {
    let state = one_line(&m.state_name, MAX_VALUE);
    let link = format!("{}{}", m.portal_url, portal_path(&m.topic));
    match &m.topic {
        Topic::Deadline {
            kind,
            reporting_year,
            due_date,
            days_remaining,
        } => (
            "deadline",
            context! {
                state, link,
                kind => kind_code(*kind),
                obligation => obligation_name(*kind, lang),
                obligation_title => capitalized(obligation_name(*kind, lang)),
                article => kind.article(),
                article_ref => kind.article().trim_start_matches("Article "),
                year => reporting_year,
                due => long_date(*due_date, lang),
                due_iso => due_date.to_string(),
                remaining => days_remaining,
                days => days_remaining.unsigned_abs(),
                overdue => *days_remaining < 0,
            },
        ),
        Topic::ReportSubmitted {
            reporting_year,
            initial,
        } => (
            "report_submitted",
            context! { state, link, year => reporting_year, initial },
        ),
        Topic::SponsorshipDecided {
            meeting,
            delegate,
            outcome,
        } => (
            "sponsorship_decided",
            context! {
                state, link,
                meeting => one_line(meeting, MAX_VALUE),
                delegate => one_line(delegate, MAX_VALUE),
                outcome => outcome_code(*outcome),
            },
        ),
        Topic::MatchProposed {
            need,
            need_state,
            offer_state,
        } => (
            "match_proposed",
            context! {
                state, link,
                need => one_line(need, MAX_VALUE),
                need_state => one_line(need_state, MAX_VALUE),
                offer_state => one_line(offer_state, MAX_VALUE),
            },
        ),
        Topic::DecisionDue {
            reference,
            due_on,
            days_remaining,
        } => (
            "decision_due",
            context! {
                state, link,
                reference => one_line(reference, MAX_VALUE),
                due => long_date(*due_on, lang),
                due_iso => due_on.to_string(),
                remaining => days_remaining,
                days => days_remaining.unsigned_abs(),
                overdue => *days_remaining < 0,
            },
        ),
        Topic::ExtensionRequestDue {
            kind,
            due_date,
            submit_by,
            days_remaining,
            meeting,
            meeting_opens,
        } => (
            "extension_due",
            context! {
                state, link,
                kind => kind_code(*kind),
                obligation => obligation_name(*kind, lang),
                obligation_title => capitalized(obligation_name(*kind, lang)),
                article => kind.article(),
                article_ref => kind.article().trim_start_matches("Article "),
                extension_ref => extension_article(*kind),
                elements_ref => elements_article(*kind),
                due => long_date(*due_date, lang),
                submit_by => long_date(*submit_by, lang),
                submit_by_iso => submit_by.to_string(),
                remaining => days_remaining,
                days => days_remaining.unsigned_abs(),
                meeting => one_line(meeting, MAX_VALUE),
                opens => long_date(*meeting_opens, lang),
            },
        ),
    }
}

/// Where the article allows an extension: "3(3)" or "4(5)".
fn extension_article(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::StockpileDestruction => "3(3)",
        _ => "4(5)",
    }
}

/// Where the article lists what a request sets out: "3(4)" or "4(6)".
fn elements_article(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::StockpileDestruction => "3(4)",
        _ => "4(6)",
    }
}

/// A plain message, should a template ever fail.
fn fallback(m: &Message) -> Rendered {
    let state = one_line(&m.state_name, MAX_VALUE);
    let link = format!("{}{}", m.portal_url, portal_path(&m.topic));
    let what = match &m.topic {
        Topic::Deadline { kind, due_date, .. } => format!(
            "{} ({}), due {due_date}",
            obligation_name(*kind, Language::En),
            kind.article()
        ),
        Topic::ReportSubmitted { .. } => "transparency report submitted".into(),
        Topic::SponsorshipDecided { meeting, .. } => {
            format!("sponsorship decided for {}", one_line(meeting, MAX_VALUE))
        }
        Topic::MatchProposed { need, .. } => {
            format!("match proposed for {}", one_line(need, MAX_VALUE))
        }
        Topic::DecisionDue {
            reference, due_on, ..
        } => format!("decision {} due {due_on}", one_line(reference, MAX_VALUE)),
        Topic::ExtensionRequestDue {
            kind, submit_by, ..
        } => format!(
            "extension request ({}) to submit by {submit_by}",
            kind.article()
        ),
    };
    let subject = one_line(&format!("{state}: {what}"), MAX_SUBJECT);
    let text = format!("{subject}\n\n{link}\n");
    let html = format!(
        "<p>{}</p><p><a href=\"{}\">{}</a></p>",
        escape(&subject),
        escape(&link),
        escape(&link)
    );
    Rendered {
        subject,
        text,
        html,
    }
}

fn escape(s: &str) -> String {
    minijinja::HtmlEscape(s).to_string()
}

/// `s` on one line: control characters (CR, LF, tabs and the rest) become spaces, runs of
/// spaces one, and at most `max` characters are kept (an ellipsis marks a cut).
pub fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if space || out.is_empty() {
                continue;
            }
            space = true;
        } else {
            space = false;
        }
        out.push(c);
    }
    let out = out.trim_end();
    if out.chars().count() <= max {
        return out.to_owned();
    }
    let mut cut: String = out.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// A text body without trailing spaces on its lines and with at most one blank line in a
/// row, ending with one newline.
fn tidy(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut blank = 0;
    for line in body.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The contract's name of a kind (templates branch on it).
fn kind_code(kind: ObligationKind) -> &'static str {
    match kind {
        ObligationKind::InitialTransparencyReport => "INITIAL_TRANSPARENCY_REPORT",
        ObligationKind::AnnualTransparencyReport => "ANNUAL_TRANSPARENCY_REPORT",
        ObligationKind::StockpileDestruction => "STOCKPILE_DESTRUCTION",
        ObligationKind::Clearance => "CLEARANCE",
    }
}

fn outcome_code(outcome: ApplicationStatus) -> &'static str {
    match outcome {
        ApplicationStatus::Submitted => "SUBMITTED",
        ApplicationStatus::UnderReview => "UNDER_REVIEW",
        ApplicationStatus::Approved => "APPROVED",
        ApplicationStatus::Waitlisted => "WAITLISTED",
        ApplicationStatus::Rejected => "REJECTED",
        ApplicationStatus::Withdrawn => "WITHDRAWN",
    }
}

/// An obligation's name in a sentence, in `lang` (EN, FR or ES).
pub fn obligation_name(kind: ObligationKind, lang: Language) -> &'static str {
    use ObligationKind as K;
    match (written_in(lang), kind) {
        (Language::Fr, K::InitialTransparencyReport) => "rapport initial de transparence",
        (Language::Fr, K::AnnualTransparencyReport) => "rapport annuel de transparence",
        (Language::Fr, K::StockpileDestruction) => {
            "destruction des stocks d'armes à sous-munitions"
        }
        (Language::Fr, K::Clearance) => {
            "dépollution des zones contaminées par des restes d'armes à sous-munitions"
        }
        (Language::Es, K::InitialTransparencyReport) => "informe inicial de transparencia",
        (Language::Es, K::AnnualTransparencyReport) => "informe anual de transparencia",
        (Language::Es, K::StockpileDestruction) => {
            "destrucción de las existencias de municiones en racimo"
        }
        (Language::Es, K::Clearance) => {
            "limpieza de las zonas contaminadas por restos de municiones en racimo"
        }
        (_, K::InitialTransparencyReport) => "initial transparency report",
        (_, K::AnnualTransparencyReport) => "annual transparency report",
        (_, K::StockpileDestruction) => "destruction of stockpiled cluster munitions",
        (_, K::Clearance) => "clearance of areas contaminated by cluster munition remnants",
    }
}

/// A date written out in `lang`: "30 April 2026", "30 avril 2026", "30 de abril de 2026".
pub fn long_date(d: NaiveDate, lang: Language) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let m = usize::try_from(d.month0()).unwrap_or(0).min(11);
    match written_in(lang) {
        Language::Fr if d.day() == 1 => format!("1er {} {}", FR[m], d.year()),
        Language::Fr => format!("{} {} {}", d.day(), FR[m], d.year()),
        Language::Es => format!("{} de {} de {}", d.day(), ES[m], d.year()),
        _ => crate::kernel::figures::long_date(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn topics() -> Vec<Topic> {
        let mut t: Vec<Topic> = ObligationKind::ALL
            .iter()
            .flat_map(|&kind| {
                [30, 1, 0, -1, -45].map(|days_remaining| Topic::Deadline {
                    kind,
                    reporting_year: (kind == ObligationKind::AnnualTransparencyReport)
                        .then_some(2025),
                    due_date: date("2026-04-30"),
                    days_remaining,
                })
            })
            .collect();
        t.extend([
            Topic::ReportSubmitted {
                reporting_year: Some(2025),
                initial: false,
            },
            Topic::ReportSubmitted {
                reporting_year: None,
                initial: true,
            },
        ]);
        for outcome in [
            ApplicationStatus::Approved,
            ApplicationStatus::Waitlisted,
            ApplicationStatus::Rejected,
        ] {
            t.push(Topic::SponsorshipDecided {
                meeting: "Thirteenth Meeting of States Parties".into(),
                delegate: "Ana <b>Pérez</b>".into(),
                outcome,
            });
        }
        t.push(Topic::MatchProposed {
            need: "Survey of <contaminated> areas".into(),
            need_state: "Lao People's Democratic Republic".into(),
            offer_state: "Norway".into(),
        });
        for days_remaining in [14, 0, -3] {
            t.push(Topic::DecisionDue {
                reference: "CCM/MSP/2025/4 §12".into(),
                due_on: date("2026-04-30"),
                days_remaining,
            });
        }
        for kind in [
            ObligationKind::StockpileDestruction,
            ObligationKind::Clearance,
        ] {
            for days_remaining in [90, 1, 0] {
                t.push(Topic::ExtensionRequestDue {
                    kind,
                    due_date: date("2030-08-01"),
                    submit_by: date("2026-04-30"),
                    days_remaining,
                    meeting: "Sixteenth <Meeting> of States Parties".into(),
                    meeting_opens: date("2027-01-30"),
                });
            }
        }
        t
    }

    fn message(topic: Topic, language: Language) -> Message {
        Message {
            topic,
            state_name: "Bosnia & <Herzegovina>".into(),
            language,
            portal_url: "https://ccm.example.org".into(),
        }
    }

    #[test]
    fn every_topic_renders_in_every_language_with_the_state_the_date_and_the_article() {
        for topic in topics() {
            for language in [
                Language::En,
                Language::Fr,
                Language::Es,
                Language::Ar,
                Language::Ru,
                Language::Zh,
            ] {
                let m = message(topic.clone(), language);
                let (name, ctx) = context_of(&m, written_in(language));
                let r = render_with(&ENV, tag(written_in(language)), name, ctx)
                    .unwrap_or_else(|e| panic!("{topic:?} in {language:?}: {e:#}"));
                let what = format!("{topic:?} in {language:?}:\n{r:#?}");
                assert!(!r.subject.is_empty(), "{what}");
                assert!(r.subject.chars().all(|c| !c.is_control()), "{what}");
                assert!(r.subject.chars().count() <= MAX_SUBJECT, "{what}");
                assert!(r.text.contains("Bosnia & <Herzegovina>"), "{what}");
                assert!(
                    r.html.contains("Bosnia &amp; &lt;Herzegovina&gt;"),
                    "{what}"
                );
                assert!(!r.html.contains("<Herzegovina>"), "{what}");
                assert!(!r.text.contains("{{") && !r.html.contains("{{"), "{what}");
                assert!(r.html.contains("<html lang=\""), "{what}");
                let path = portal_path(&topic);
                assert!(
                    r.text.contains(&format!("https://ccm.example.org{path}")),
                    "{what}"
                );
                assert!(
                    r.html
                        .contains(&format!("href=\"https://ccm.example.org{path}\"")),
                    "{what}"
                );
                match &topic {
                    Topic::Deadline {
                        kind,
                        days_remaining,
                        reporting_year,
                        ..
                    } => {
                        let due = long_date(date("2026-04-30"), language);
                        assert!(r.text.contains(&due), "{what}");
                        assert!(r.html.contains(&due), "{what}");
                        assert!(r.subject.contains(&due), "{what}");
                        let article = kind.article().trim_start_matches("Article ");
                        assert!(r.text.contains(article), "{what}");
                        assert!(r.html.contains(article), "{what}");
                        let name = obligation_name(*kind, language);
                        assert!(r.text.to_lowercase().contains(name), "{what}");
                        if let Some(y) = reporting_year {
                            assert!(r.text.contains(&y.to_string()), "{what}");
                        }
                        let days = days_remaining.unsigned_abs();
                        if days > 0 {
                            assert!(r.text.contains(&format!("{days} ")), "{what}");
                        }
                    }
                    Topic::DecisionDue { .. } => {
                        let due = long_date(date("2026-04-30"), language);
                        assert!(r.text.contains(&due), "{what}");
                        assert!(r.text.contains("CCM/MSP/2025/4 §12"), "{what}");
                    }
                    Topic::SponsorshipDecided { .. } => {
                        assert!(r.text.contains("Ana <b>Pérez</b>"), "{what}");
                        assert!(
                            r.html.contains("Ana &lt;b&gt;Pérez&lt;&#x2f;b&gt;"),
                            "{what}"
                        );
                    }
                    Topic::MatchProposed { .. } => {
                        assert!(r.text.contains("Survey of <contaminated> areas"), "{what}");
                        assert!(r.html.contains("&lt;contaminated&gt;"), "{what}");
                    }
                    Topic::ExtensionRequestDue {
                        kind,
                        days_remaining,
                        ..
                    } => {
                        let by = long_date(date("2026-04-30"), language);
                        let due = long_date(date("2030-08-01"), language);
                        let opens = long_date(date("2027-01-30"), language);
                        assert!(r.subject.contains(&by), "{what}");
                        for part in [&by, &due, &opens] {
                            assert!(r.text.contains(part.as_str()), "{what}");
                            assert!(r.html.contains(part.as_str()), "{what}");
                        }
                        assert!(
                            r.text.contains("Sixteenth <Meeting> of States Parties"),
                            "{what}"
                        );
                        assert!(r.html.contains("Sixteenth &lt;Meeting&gt;"), "{what}");
                        let article = extension_article(*kind);
                        assert!(r.text.contains(article), "{what}");
                        assert!(r.text.contains(elements_article(*kind)), "{what}");
                        let days = days_remaining.unsigned_abs();
                        if days > 0 {
                            assert!(r.text.contains(&format!("{days} ")), "{what}");
                        }
                    }
                    Topic::ReportSubmitted { .. } => {}
                }
            }
        }
    }

    #[test]
    fn the_language_decides_the_words_and_unsupported_ones_read_english() {
        let topic = Topic::Deadline {
            kind: ObligationKind::AnnualTransparencyReport,
            reporting_year: Some(2025),
            due_date: date("2026-04-30"),
            days_remaining: 30,
        };
        let en = render(&message(topic.clone(), Language::En));
        let fr = render(&message(topic.clone(), Language::Fr));
        let es = render(&message(topic.clone(), Language::Es));
        let zh = render(&message(topic, Language::Zh));
        assert!(en.subject.contains("30 April 2026"), "{en:?}");
        assert!(fr.subject.contains("30 avril 2026"), "{fr:?}");
        assert!(es.subject.contains("30 de abril de 2026"), "{es:?}");
        assert!(fr.text.contains("rapport annuel de transparence"), "{fr:?}");
        assert!(es.text.contains("informe anual de transparencia"), "{es:?}");
        assert_eq!(zh, en);
        assert!(en.html.contains("<html lang=\"en\">"));
        assert!(fr.html.contains("<html lang=\"fr\">"));
        assert!(es.html.contains("<html lang=\"es\">"));
    }

    #[test]
    fn days_remaining_and_overdue_are_told_apart() {
        let at = |days_remaining| {
            render(&message(
                Topic::Deadline {
                    kind: ObligationKind::Clearance,
                    reporting_year: None,
                    due_date: date("2026-08-01"),
                    days_remaining,
                },
                Language::En,
            ))
        };
        assert!(at(30).text.contains("30 days remain"), "{:?}", at(30));
        assert!(at(1).text.contains("1 day remains"), "{:?}", at(1));
        assert!(at(0).text.contains("today"), "{:?}", at(0));
        assert!(at(-1).text.contains("1 day overdue"), "{:?}", at(-1));
        assert!(at(-45).text.contains("45 days overdue"), "{:?}", at(-45));
        assert!(at(-45).subject.starts_with("Overdue"), "{:?}", at(-45));
    }

    #[test]
    fn values_with_line_breaks_never_break_the_subject() {
        let mut m = message(
            Topic::DecisionDue {
                reference: "A\r\nBcc: victim@example.org".into(),
                due_on: date("2026-04-30"),
                days_remaining: 3,
            },
            Language::En,
        );
        m.state_name = "Evil\r\nSubject: x\u{0}\u{7}".into();
        let r = render(&m);
        assert!(!r.subject.contains(['\r', '\n', '\0', '\u{7}']), "{r:?}");
        assert!(r.subject.contains("Evil Subject: x"), "{r:?}");
        assert!(r.text.contains("A Bcc: victim@example.org"), "{r:?}");
        let long = "x".repeat(5000);
        m.state_name = long;
        let r = render(&m);
        assert!(
            r.subject.chars().count() <= MAX_SUBJECT,
            "{}",
            r.subject.len()
        );
        assert!(r.text.len() < 5000, "{}", r.text.len());
    }

    #[test]
    fn the_portal_link_is_escaped_for_its_attribute_and_plain_in_the_text() {
        let mut m = message(
            Topic::ReportSubmitted {
                reporting_year: None,
                initial: true,
            },
            Language::En,
        );
        m.portal_url = "https://ccm.example.org/p?a=1&b=\"><script>".into();
        let r = render(&m);
        assert!(
            r.html.contains(
                "href=\"https://ccm.example.org/p?a=1&amp;b=&quot;&gt;&lt;script&gt;/reports\""
            ),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(
            r.text
                .contains("https://ccm.example.org/p?a=1&b=\"><script>/reports"),
            "{}",
            r.text
        );
    }

    #[test]
    fn one_line_keeps_words_and_bounds_length() {
        assert_eq!(one_line("  a\r\n\tb  c ", 10), "a b c");
        assert_eq!(one_line("abcdef", 4), "abc…");
        assert_eq!(one_line("ab  cdef", 4), "ab…");
        assert_eq!(one_line("", 4), "");
    }

    #[test]
    fn dates_are_written_out_in_each_language() {
        assert_eq!(long_date(date("2026-03-01"), Language::Fr), "1er mars 2026");
        assert_eq!(
            long_date(date("2026-12-25"), Language::Es),
            "25 de diciembre de 2026"
        );
        assert_eq!(
            long_date(date("2026-12-25"), Language::Ru),
            "25 December 2026"
        );
    }

    #[test]
    fn the_fallback_is_one_line_and_escaped() {
        let r = fallback(&message(
            Topic::MatchProposed {
                need: "x\ny".into(),
                need_state: "A".into(),
                offer_state: "B".into(),
            },
            Language::En,
        ));
        assert!(!r.subject.contains('\n'));
        assert!(r.html.contains("&lt;Herzegovina&gt;"));
    }
}
