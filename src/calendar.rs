//! iCalendar (RFC 5545) feeds of treaty deadlines, so that a delegation subscribes once and
//! its calendar program shows every obligation with a reminder. Pure: events in, text out.

use chrono::{DateTime, NaiveDate, Utc};

/// One all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across regenerations, so calendar programs update rather than duplicate.
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// Days before the deadline that the one reminder fires.
pub const REMINDER_DAYS: u32 = 30;
/// Longest content line, in octets, before folding (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character, with CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            // The leading space of a continuation line counts towards its 75 octets.
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

/// Renders a VCALENDAR. `name` is the calendar's display name (X-WR-CALNAME), `generated_at`
/// is DTSTAMP for every event.
pub fn render(name: &str, events: &[CalendarEvent], generated_at: DateTime<Utc>) -> String {
    let mut out = String::new();
    let stamp = generated_at.format("%Y%m%dT%H%M%SZ").to_string();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ISU CCM//ccm-isu//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        let end = e.date.succ_opt().unwrap_or(e.date);
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape_text(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", e.date.format("%Y%m%d")),
        );
        push_line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
        );
        push_line(&mut out, &format!("SUMMARY:{}", escape_text(&e.summary)));
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&e.description)),
        );
        push_line(&mut out, "TRANSP:TRANSPARENT");
        push_line(&mut out, "BEGIN:VALARM");
        push_line(&mut out, "ACTION:DISPLAY");
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&e.summary)),
        );
        push_line(&mut out, &format!("TRIGGER:-P{REMINDER_DAYS}D"));
        push_line(&mut out, "END:VALARM");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use icalendar::parser::{read_calendar, unfold};

    use super::*;

    fn event(uid: &str, date: &str, summary: &str, description: &str) -> CalendarEvent {
        CalendarEvent {
            uid: uid.into(),
            date: NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date"),
            summary: summary.into(),
            description: description.into(),
        }
    }

    fn sample() -> String {
        let long =
            "Côte d’Ivoire — rapport annuel au titre de l’article 7, couvrant l’année civile; "
                .repeat(4);
        render(
            "CCM deadlines: Lao PDR",
            &[
                event(
                    "LAO-ANNUAL_TRANSPARENCY_REPORT-2024@ccm-isu",
                    "2025-04-30",
                    "Lao People's Democratic Republic; Article 7(2), report\nline two",
                    &long,
                ),
                event(
                    "LAO-CLEARANCE@ccm-isu",
                    "2030-12-31",
                    "Clearance",
                    "Article 4(1)",
                ),
            ],
            DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default(),
        )
    }

    #[test]
    fn every_line_ends_in_crlf_and_fits_75_octets() {
        let text = sample();
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{line:?} has {} octets", line.len());
            assert!(!line.contains('\n') && !line.contains('\r'));
        }
        assert!(!text.replace("\r\n", "").contains('\n'), "no bare LF");
    }

    #[test]
    fn folding_never_splits_a_character_and_unfolds_to_the_original() {
        let text = sample();
        // Each physical line is valid UTF-8 on its own (String slices would panic otherwise).
        for line in text.split("\r\n") {
            assert!(std::str::from_utf8(line.as_bytes()).is_ok());
        }
        let unfolded = unfold(&text);
        assert!(unfolded.contains(&escape_text(&"Côte d’Ivoire — rapport annuel au titre de l’article 7, couvrant l’année civile; ".repeat(4))));
    }

    #[test]
    fn a_parser_reads_the_events_dates_uids_alarms_and_escaped_text() {
        let text = sample();
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid iCalendar");
        let events: Vec<_> = cal
            .components
            .iter()
            .filter(|c| c.name.as_str() == "VEVENT")
            .collect();
        assert_eq!(events.len(), 2);
        let prop = |c: &icalendar::parser::Component<'_>, name: &str| {
            c.properties
                .iter()
                .find(|p| p.name.as_str() == name)
                .map(|p| p.val.as_str().to_owned())
        };
        assert_eq!(
            prop(events[0], "UID").as_deref(),
            Some("LAO-ANNUAL_TRANSPARENCY_REPORT-2024@ccm-isu")
        );
        assert_eq!(prop(events[0], "DTSTART").as_deref(), Some("20250430"));
        assert_eq!(prop(events[0], "DTEND").as_deref(), Some("20250501"));
        assert_eq!(
            prop(events[1], "DTEND").as_deref(),
            Some("20310101"),
            "31 December ends on 1 January"
        );
        assert_eq!(
            prop(events[0], "SUMMARY").as_deref(),
            Some("Lao People's Democratic Republic; Article 7(2), report\nline two"),
            "escaped text round-trips"
        );
        for e in &events {
            let alarms: Vec<_> = e
                .components
                .iter()
                .filter(|c| c.name.as_str() == "VALARM")
                .collect();
            assert_eq!(alarms.len(), 1);
            assert_eq!(prop(alarms[0], "TRIGGER").as_deref(), Some("-P30D"));
            assert_eq!(prop(alarms[0], "ACTION").as_deref(), Some("DISPLAY"));
        }
        let typed: icalendar::Calendar = text.parse().expect("typed parse");
        assert_eq!(typed.components.len(), 2);
    }

    #[test]
    fn an_empty_calendar_is_still_valid() {
        let text = render("Nothing due", &[], Utc::now());
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid");
        assert!(cal.components.is_empty());
        assert!(text.contains("X-WR-CALNAME:Nothing due\r\n"));
    }

    #[test]
    fn text_escaping_follows_rfc_5545() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\n"), "a\\\\b\\;c\\,d\\ne\\n");
    }
}
