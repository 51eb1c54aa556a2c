//! iCalendar (RFC 5545) feeds of treaty deadlines, so that a delegation subscribes once and
//! its calendar program (Outlook, Google Calendar, Apple Calendar) shows every obligation as
//! an all-day event with one reminder. Pure: events in, text out.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// One all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across regenerations, so calendar programs update rather than duplicate.
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// The one reminder: 30 days before the start of the event (RFC 5545 §3.3.6 duration).
const REMINDER_TRIGGER: &str = "-P30D";
/// Longest content line, in octets, excluding the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Renders a VCALENDAR. `name` is the calendar's display name (X-WR-CALNAME), `generated_at`
/// is DTSTAMP for every event. The output depends on nothing else, so the same arguments give
/// the same bytes: the feeds pass the start of their day rather than the time of the request,
/// so that their `ETag` holds while their content does.
///
/// Each event lasts its whole day: DTEND is the next day, the exclusive end (RFC 5545
/// §3.6.1). An event whose date has no four-digit year (outside 0000–9999, which the DATE
/// value cannot write) is left out rather than written malformed; on 9999-12-31 DTEND is
/// omitted, which means the same one day.
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
        let Some(start) = ical_date(e.date) else {
            continue;
        };
        let end = e.date.succ_opt().and_then(ical_date);
        let summary = escape_text(&e.summary);
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape_text(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{stamp}"));
        push_line(&mut out, &format!("DTSTART;VALUE=DATE:{start}"));
        if let Some(end) = end {
            push_line(&mut out, &format!("DTEND;VALUE=DATE:{end}"));
        }
        push_line(&mut out, &format!("SUMMARY:{summary}"));
        push_line(
            &mut out,
            &format!("DESCRIPTION:{}", escape_text(&e.description)),
        );
        push_line(&mut out, "TRANSP:TRANSPARENT");
        push_line(&mut out, "BEGIN:VALARM");
        push_line(&mut out, "ACTION:DISPLAY");
        push_line(&mut out, &format!("DESCRIPTION:{summary}"));
        push_line(&mut out, &format!("TRIGGER:{REMINDER_TRIGGER}"));
        push_line(&mut out, "END:VALARM");
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// A DATE value (RFC 5545 §3.3.4), `YYYYMMDD`, if the year has four digits.
fn ical_date(d: NaiveDate) -> Option<String> {
    (0..=9999)
        .contains(&d.year())
        .then(|| d.format("%Y%m%d").to_string())
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma are escaped, a line
/// break (LF, CRLF or CR) becomes `\n`, and the other control characters, which TEXT may not
/// contain, are dropped (the tab is kept).
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_ascii_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line with CRLF, folded so that no physical line exceeds 75 octets.
/// It folds between characters, never inside a UTF-8 sequence; a continuation line starts
/// with one space, which counts towards its 75 octets.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use icalendar::parser::{Component, read_calendar, unfold};
    use icalendar::{Component as _, DatePerhapsTime};

    use super::*;

    const LAO_SUMMARY: &str = "Lao People's Democratic Republic; Article 7(2), report\nline two";

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn stamp() -> DateTime<Utc> {
        "2026-11-24T10:15:00Z".parse().expect("instant")
    }

    fn event(uid: &str, on: &str, summary: &str, description: &str) -> CalendarEvent {
        CalendarEvent {
            uid: uid.into(),
            date: date(on),
            summary: summary.into(),
            description: description.into(),
        }
    }

    /// Over 200 bytes of non-ASCII text, with commas and semicolons to escape.
    fn long_description() -> String {
        "Côte d’Ivoire — rapport annuel au titre de l’article 7, couvrant l’année civile; "
            .repeat(4)
    }

    fn sample() -> String {
        render(
            "CCM deadlines: Lao PDR, Côte d’Ivoire",
            &[
                event(
                    "LAO-ANNUAL_TRANSPARENCY_REPORT-2024@ccm-isu",
                    "2025-04-30",
                    LAO_SUMMARY,
                    &long_description(),
                ),
                event(
                    "LAO-CLEARANCE@ccm-isu",
                    "2030-12-31",
                    "Clearance",
                    "Article 4(1)",
                ),
            ],
            stamp(),
        )
    }

    /// Every value of the property `name` directly in `c`.
    fn values(c: &Component<'_>, name: &str) -> Vec<String> {
        c.properties
            .iter()
            .filter(|p| p.name.as_str() == name)
            .map(|p| p.val.as_str().to_owned())
            .collect()
    }

    /// The one value of the property `name` in `c`; fails if it is missing or repeated.
    fn value(c: &Component<'_>, name: &str) -> String {
        let mut all = values(c, name);
        assert_eq!(all.len(), 1, "{name} appears once in {}", c.name.as_str());
        all.remove(0)
    }

    fn children<'c, 'a>(c: &'c [Component<'a>], name: &str) -> Vec<&'c Component<'a>> {
        c.iter().filter(|c| c.name.as_str() == name).collect()
    }

    #[test]
    fn renders_exactly_the_expected_lines_for_one_event() {
        let text = render(
            "CCM deadlines: Norway",
            &[event("NOR-X@ccm-isu", "2026-08-01", "Due", "Details")],
            stamp(),
        );
        assert_eq!(
            text,
            "BEGIN:VCALENDAR\r\n\
             VERSION:2.0\r\n\
             PRODID:-//ISU CCM//ccm-isu//EN\r\n\
             CALSCALE:GREGORIAN\r\n\
             METHOD:PUBLISH\r\n\
             X-WR-CALNAME:CCM deadlines: Norway\r\n\
             BEGIN:VEVENT\r\n\
             UID:NOR-X@ccm-isu\r\n\
             DTSTAMP:20261124T101500Z\r\n\
             DTSTART;VALUE=DATE:20260801\r\n\
             DTEND;VALUE=DATE:20260802\r\n\
             SUMMARY:Due\r\n\
             DESCRIPTION:Details\r\n\
             TRANSP:TRANSPARENT\r\n\
             BEGIN:VALARM\r\n\
             ACTION:DISPLAY\r\n\
             DESCRIPTION:Due\r\n\
             TRIGGER:-P30D\r\n\
             END:VALARM\r\n\
             END:VEVENT\r\n\
             END:VCALENDAR\r\n"
        );
    }

    #[test]
    fn every_line_ends_with_crlf_and_fits_in_75_octets() {
        let text = sample();
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !text.replace("\r\n", "").contains(['\r', '\n']),
            "no bare CR or LF"
        );
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert!(lines.iter().any(|l| l.starts_with(' ')), "something folded");
        for line in lines {
            assert!(line.len() <= 75, "{line:?} has {} octets", line.len());
        }
    }

    #[test]
    fn folding_never_splits_a_multi_byte_character() {
        // Pad so that a 2-, 3- or 4-byte character straddles octet 75 at every offset.
        for c in ['é', '—', '𝄞'] {
            for pad in 0..4 {
                let line = format!(
                    "DESCRIPTION:{}{}",
                    "x".repeat(pad),
                    c.to_string().repeat(60)
                );
                let mut out = String::new();
                push_line(&mut out, &line);
                let physical: Vec<&[u8]> = out
                    .as_bytes()
                    .split(|&b| b == b'\n')
                    .filter(|l| !l.is_empty())
                    .map(|l| l.strip_suffix(b"\r").expect("CRLF"))
                    .collect();
                for (i, bytes) in physical.iter().enumerate() {
                    assert!(bytes.len() <= 75, "{c} pad {pad}: {} octets", bytes.len());
                    let text = std::str::from_utf8(bytes).expect("whole characters");
                    if i > 0 {
                        assert!(text.starts_with(' ') && !text.starts_with("  "));
                    }
                    if i + 1 < physical.len() {
                        // Folded only when the next character would not fit.
                        assert!(
                            bytes.len() + c.len_utf8() > 75,
                            "{c} pad {pad}: fold too early"
                        );
                    }
                }
                assert_eq!(
                    out.replace("\r\n ", ""),
                    format!("{line}\r\n"),
                    "unfolds back"
                );
            }
        }
    }

    #[test]
    fn a_parser_reads_back_the_events_dates_uids_and_stamps() {
        let text = sample();
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid iCalendar");
        for (name, expected) in [
            ("VERSION", "2.0"),
            ("PRODID", "-//ISU CCM//ccm-isu//EN"),
            ("CALSCALE", "GREGORIAN"),
            ("METHOD", "PUBLISH"),
        ] {
            let found: Vec<_> = cal
                .properties
                .iter()
                .filter(|p| p.name.as_str() == name)
                .map(|p| p.val.as_str())
                .collect();
            assert_eq!(found, [expected], "{name}");
        }
        let events = children(&cal.components, "VEVENT");
        assert_eq!(events.len(), 2);
        assert_eq!(cal.components.len(), 2, "nothing but events");
        for (e, uid, start, end) in [
            (
                events[0],
                "LAO-ANNUAL_TRANSPARENCY_REPORT-2024@ccm-isu",
                "20250430",
                "20250501",
            ),
            (events[1], "LAO-CLEARANCE@ccm-isu", "20301231", "20310101"),
        ] {
            assert_eq!(value(e, "UID"), uid);
            assert_eq!(value(e, "DTSTAMP"), "20261124T101500Z");
            assert_eq!(value(e, "DTSTART"), start);
            assert_eq!(value(e, "DTEND"), end);
            assert_eq!(value(e, "TRANSP"), "TRANSPARENT");
            for prop in ["DTSTART", "DTEND"] {
                let p = e.find_prop(prop).expect(prop);
                assert_eq!(p.params.len(), 1);
                assert_eq!(p.params[0].key.as_str(), "VALUE");
                assert_eq!(p.params[0].val.as_ref().map(|v| v.as_str()), Some("DATE"));
            }
        }

        // The typed model reads the same instants and all-day dates.
        let typed: icalendar::Calendar = text.parse().expect("typed parse");
        let typed: Vec<_> = typed.events().collect();
        assert_eq!(typed.len(), 2);
        assert_eq!(typed[1].get_uid(), Some("LAO-CLEARANCE@ccm-isu"));
        assert_eq!(typed[1].get_timestamp(), Some(stamp()));
        assert_eq!(
            typed[1].get_start(),
            Some(DatePerhapsTime::Date(date("2030-12-31")))
        );
        assert_eq!(
            typed[1].get_end(),
            Some(DatePerhapsTime::Date(date("2031-01-01")))
        );
    }

    #[test]
    fn escaped_text_round_trips_through_a_parser() {
        let text = sample();
        assert!(long_description().len() > 200);
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid iCalendar");
        let name: Vec<_> = cal
            .properties
            .iter()
            .filter(|p| p.name.as_str() == "X-WR-CALNAME")
            .map(|p| p.val.as_str())
            .collect();
        assert_eq!(name, ["CCM deadlines: Lao PDR, Côte d’Ivoire"]);
        let e = children(&cal.components, "VEVENT")[0];
        assert_eq!(value(e, "SUMMARY"), LAO_SUMMARY);
        assert_eq!(value(e, "DESCRIPTION"), long_description());
        let alarm = children(&e.components, "VALARM")[0];
        assert_eq!(value(alarm, "DESCRIPTION"), LAO_SUMMARY);

        let typed: icalendar::Calendar = text.parse().expect("typed parse");
        let first = typed.events().next().expect("an event");
        assert_eq!(first.get_summary(), Some(LAO_SUMMARY));
        assert_eq!(first.get_description(), Some(long_description().as_str()));
    }

    #[test]
    fn each_event_has_exactly_one_display_alarm_30_days_before() {
        let text = sample();
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid iCalendar");
        for e in children(&cal.components, "VEVENT") {
            assert_eq!(e.components.len(), 1, "only the alarm is nested");
            let alarm = children(&e.components, "VALARM")[0];
            assert_eq!(value(alarm, "ACTION"), "DISPLAY");
            assert_eq!(value(alarm, "TRIGGER"), "-P30D");
            assert_eq!(value(alarm, "DESCRIPTION"), value(e, "SUMMARY"));
        }
    }

    #[test]
    fn dtend_is_the_next_day_across_months_years_and_leap_days() {
        for (on, next) in [
            ("2030-12-31", "20310101"),
            ("2026-01-31", "20260201"),
            ("2028-02-28", "20280229"),
            ("2028-02-29", "20280301"),
            ("2027-02-28", "20270301"),
        ] {
            let text = render("x", &[event("u", on, "s", "d")], stamp());
            assert!(
                text.contains(&format!("\r\nDTEND;VALUE=DATE:{next}\r\n")),
                "{on} ends on {next}"
            );
        }
    }

    #[test]
    fn an_empty_calendar_parses_and_keeps_its_header() {
        let text = render("Nothing due", &[], stamp());
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid iCalendar");
        assert!(cal.components.is_empty());
        let names: Vec<_> = cal.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME"]
        );
        let typed: icalendar::Calendar = text.parse().expect("typed parse");
        assert_eq!(typed.get_name(), Some("Nothing due"));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("X-WR-CALNAME:Nothing due\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn text_escaping_follows_rfc_5545_and_drops_control_characters() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(
            escape_text("tab\there\u{0}\u{b}\u{1f}\u{7f}."),
            "tab\there."
        );
        assert_eq!(
            escape_text("a:b \"c\" — é"),
            "a:b \"c\" — é",
            "others verbatim"
        );
    }

    #[test]
    fn dates_a_date_value_cannot_write_are_left_out_not_malformed() {
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("date");
        let text = render(
            "edge",
            &[
                CalendarEvent {
                    date: NaiveDate::MAX,
                    ..event("far", "2026-01-01", "s", "d")
                },
                CalendarEvent {
                    date: last,
                    ..event("last", "2026-01-01", "s", "d")
                },
            ],
            stamp(),
        );
        let unfolded = unfold(&text);
        let cal = read_calendar(&unfolded).expect("valid iCalendar");
        let events = children(&cal.components, "VEVENT");
        assert_eq!(events.len(), 1);
        assert_eq!(value(events[0], "UID"), "last");
        assert_eq!(value(events[0], "DTSTART"), "99991231");
        assert!(values(events[0], "DTEND").is_empty(), "one day implied");
    }
}
