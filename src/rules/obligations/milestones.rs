//! Extension requests' dates and contents (docs/domain.md §3a): which meeting would have to
//! extend a deadline, the last day to submit the request to it, and the elements a request
//! must set out. Plain data in, plain data out.
//!
//! - [`deciding_meeting`]: the last Meeting of States Parties or Review Conference that opens
//!   on or before the deadline, among the meetings recorded. A meeting that opens on the
//!   deadline itself still decides it; one that opens the day after is too late.
//! - [`submit_by`]: nine calendar months before that meeting opens (the same day of the
//!   month, or the month's last day when it has none: a meeting opening on 30 November gives
//!   28 February, or 29 in a leap year), never after the deadline.
//! - [`milestone`]: both for a deadline, and the days left from today.
//! - [`elements`]: the provisions a request must answer, Article 3(4)(a)–(f) for stockpiles,
//!   Article 4(6)(a)–(i) for clearance, plus Article 4(8) when the same clearance obligation
//!   was extended before; [`requirement`] says what each asks for; [`missing`] lists those
//!   without text.
//! - [`requested_months`] and [`maximum_months`]: how long a request asks for, and the
//!   article's longest step.

use chrono::{Months, NaiveDate};

use super::ObligationKind;

/// Calendar months between the last day to submit a request and the opening of the meeting
/// that considers it (Articles 3(3) and 4(5) as practised since the 8th MSP).
pub const SUBMISSION_MONTHS: u32 = 9;

/// A recorded meeting, as the rule sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeetingFacts<K> {
    /// The caller's key for the meeting (its ID), handed back in the answer.
    pub key: K,
    /// A Meeting of States Parties or a Review Conference: the meetings that decide
    /// extension requests. Intersessional and other meetings do not.
    pub decides_extensions: bool,
    pub opens_on: NaiveDate,
}

/// When a request to extend a deadline must be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Milestone<K> {
    /// The meeting that would have to decide it; `None` when no meeting that decides
    /// extensions opens on or before the deadline.
    pub deciding_meeting: Option<K>,
    /// The last day to submit the request; `None` without a deciding meeting.
    pub submit_by: Option<NaiveDate>,
    /// Days from today to `submit_by`, negative once it has passed.
    pub days_to_submit: Option<i64>,
}

/// The last meeting that decides extensions and opens on or before `deadline`. Of two
/// opening the same day, the later in `meetings` (the caller's order) wins, so the answer
/// does not depend on sorting by key.
pub fn deciding_meeting<K: Copy>(deadline: NaiveDate, meetings: &[MeetingFacts<K>]) -> Option<K> {
    deciding(deadline, meetings).map(|m| m.key)
}

fn deciding<K>(deadline: NaiveDate, meetings: &[MeetingFacts<K>]) -> Option<&MeetingFacts<K>> {
    meetings
        .iter()
        .filter(|m| m.decides_extensions && m.opens_on <= deadline)
        .fold(None::<&MeetingFacts<K>>, |best, m| match best {
            Some(b) if b.opens_on > m.opens_on => Some(b),
            _ => Some(m),
        })
}

/// Nine calendar months before `meeting_opens`, never after `deadline`. `None` only for a
/// date chrono cannot represent.
pub fn submit_by(meeting_opens: NaiveDate, deadline: NaiveDate) -> Option<NaiveDate> {
    meeting_opens
        .checked_sub_months(Months::new(SUBMISSION_MONTHS))
        .map(|day| day.min(deadline))
}

/// The milestone of `deadline` on `today`.
pub fn milestone<K: Copy>(
    deadline: NaiveDate,
    meetings: &[MeetingFacts<K>],
    today: NaiveDate,
) -> Milestone<K> {
    let meeting = deciding(deadline, meetings);
    let submit_by = meeting.and_then(|m| submit_by(m.opens_on, deadline));
    Milestone {
        deciding_meeting: meeting.map(|m| m.key),
        submit_by,
        days_to_submit: submit_by.map(|day| (day - today).num_days()),
    }
}

/// The provisions a request to extend `kind` must set out, in the treaty's order; empty for
/// reports, which are never extended. `extended_before`: the same obligation was extended
/// before, so a clearance request also reports on that extension (Article 4(8)).
pub fn elements(kind: ObligationKind, extended_before: bool) -> Vec<&'static str> {
    const ARTICLE_3: [&str; 6] = [
        "Article 3(4)(a)",
        "Article 3(4)(b)",
        "Article 3(4)(c)",
        "Article 3(4)(d)",
        "Article 3(4)(e)",
        "Article 3(4)(f)",
    ];
    const ARTICLE_4: [&str; 9] = [
        "Article 4(6)(a)",
        "Article 4(6)(b)",
        "Article 4(6)(c)",
        "Article 4(6)(d)",
        "Article 4(6)(e)",
        "Article 4(6)(f)",
        "Article 4(6)(g)",
        "Article 4(6)(h)",
        "Article 4(6)(i)",
    ];
    match kind {
        ObligationKind::StockpileDestruction => ARTICLE_3.to_vec(),
        ObligationKind::Clearance => {
            let mut list = ARTICLE_4.to_vec();
            if extended_before {
                list.push("Article 4(8)");
            }
            list
        }
        ObligationKind::InitialTransparencyReport | ObligationKind::AnnualTransparencyReport => {
            Vec::new()
        }
    }
}

/// What `provision` asks a request to set out, in one line (docs/domain.md §3a); `None` for a
/// provision [`elements`] never lists.
pub fn requirement(provision: &str) -> Option<&'static str> {
    Some(match provision {
        "Article 3(4)(a)" | "Article 4(6)(a)" => "The duration of the proposed extension",
        "Article 3(4)(b)" => {
            "A detailed explanation of the reasons, including the financial and technical means \
             available and required, and any exceptional circumstances"
        }
        "Article 3(4)(c)" => "A plan for how and when stockpile destruction will be completed",
        "Article 3(4)(d)" => {
            "The quantity and type of cluster munitions and submunitions held at entry into \
             force and discovered since"
        }
        "Article 3(4)(e)" => "The quantity and type destroyed since entry into force",
        "Article 3(4)(f)" => {
            "The quantity and type remaining, and the expected annual rate of destruction"
        }
        "Article 4(6)(b)" => {
            "A detailed explanation of the reasons, including the financial and technical means \
             available and required"
        }
        "Article 4(6)(c)" => "The preparation of future work and the status of work done so far",
        "Article 4(6)(d)" => "The total contaminated area at entry into force and identified since",
        "Article 4(6)(e)" => "The total area cleared since entry into force",
        "Article 4(6)(f)" => "The total contaminated area remaining during the extension",
        "Article 4(6)(g)" => {
            "The circumstances that impeded clearance and may impede it during the extension"
        }
        "Article 4(6)(h)" => {
            "The humanitarian, social, economic and environmental implications of the extension"
        }
        "Article 4(6)(i)" => "Any other information relevant to the request",
        "Article 4(8)" => "What was done during the previous extension",
        _ => return None,
    })
}

/// The longest single extension the article allows, in months: 48 for stockpile
/// destruction (Article 3(3)), 60 for clearance (Article 4(5)); `None` for reports.
pub fn maximum_months(kind: ObligationKind) -> Option<u32> {
    match kind {
        ObligationKind::StockpileDestruction => Some(super::engine::STOCKPILE_EXTENSION_MONTHS),
        ObligationKind::Clearance => Some(super::engine::CLEARANCE_EXTENSION_MONTHS),
        ObligationKind::InitialTransparencyReport | ObligationKind::AnnualTransparencyReport => {
            None
        }
    }
}

/// Whole calendar months from `current` to `requested`: the most `m` with `current` plus `m`
/// months (clamped to a month's end, as treaty dates are) on or before `requested`; 0 when
/// `requested` is not after `current`.
pub fn requested_months(current: NaiveDate, requested: NaiveDate) -> u32 {
    use chrono::Datelike;
    if requested <= current {
        return 0;
    }
    let span = (requested.year() - current.year()) * 12 + requested.month() as i32
        - current.month() as i32;
    let mut months = u32::try_from(span.max(0)).unwrap_or(0);
    while months > 0
        && current
            .checked_add_months(Months::new(months))
            .is_none_or(|day| day > requested)
    {
        months -= 1;
    }
    months
}

/// The provisions of `required` that have no text in `answered` (provision, text) pairs:
/// a request is complete when this is empty. Text that is only white space is no answer.
pub fn missing<'a>(required: &[&'a str], answered: &[(&str, &str)]) -> Vec<&'a str> {
    required
        .iter()
        .copied()
        .filter(|p| {
            !answered
                .iter()
                .any(|(provision, text)| provision == p && !text.trim().is_empty())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn msp(key: u8, opens: NaiveDate) -> MeetingFacts<u8> {
        MeetingFacts {
            key,
            decides_extensions: true,
            opens_on: opens,
        }
    }

    fn intersessional(key: u8, opens: NaiveDate) -> MeetingFacts<u8> {
        MeetingFacts {
            key,
            decides_extensions: false,
            opens_on: opens,
        }
    }

    #[test]
    fn the_deciding_meeting_is_the_last_that_opens_on_or_before_the_deadline() {
        let meetings = [
            msp(1, day(2025, 9, 15)),
            intersessional(2, day(2026, 5, 10)),
            msp(3, day(2026, 9, 14)),
            msp(4, day(2027, 9, 13)),
        ];
        let cases = [
            ("between two MSPs", day(2027, 8, 1), Some(3)),
            ("on the opening day itself", day(2026, 9, 14), Some(3)),
            ("the day before an opening", day(2026, 9, 13), Some(1)),
            (
                "an intersessional does not decide",
                day(2026, 6, 1),
                Some(1),
            ),
            ("before the only meetings", day(2025, 9, 14), None),
            ("after the last", day(2031, 1, 1), Some(4)),
        ];
        for (what, deadline, want) in cases {
            assert_eq!(deciding_meeting(deadline, &meetings), want, "{what}");
        }
        assert_eq!(
            deciding_meeting::<u8>(day(2027, 1, 1), &[]),
            None,
            "none recorded"
        );
    }

    #[test]
    fn submission_is_due_nine_calendar_months_before_the_opening_never_after_the_deadline() {
        let cases = [
            (
                "same day of the month",
                day(2026, 9, 14),
                day(2027, 8, 1),
                day(2025, 12, 14),
            ),
            (
                "30 November gives 28 February",
                day(2026, 11, 30),
                day(2027, 8, 1),
                day(2026, 2, 28),
            ),
            (
                "29 February in a leap year",
                day(2028, 11, 30),
                day(2029, 8, 1),
                day(2028, 2, 29),
            ),
            (
                "31 May gives 31 August",
                day(2027, 5, 31),
                day(2028, 1, 1),
                day(2026, 8, 31),
            ),
            (
                "31 October gives 31 January",
                day(2026, 10, 31),
                day(2027, 1, 1),
                day(2026, 1, 31),
            ),
            (
                "a meeting on the deadline",
                day(2026, 9, 14),
                day(2026, 9, 14),
                day(2025, 12, 14),
            ),
        ];
        for (what, opens, deadline, want) in cases {
            assert_eq!(submit_by(opens, deadline), Some(want), "{what}");
        }
        // The rule's guard: were a meeting opening after the deadline ever given, the day
        // to submit would still not pass the deadline.
        assert_eq!(
            submit_by(day(2027, 9, 1), day(2026, 1, 1)),
            Some(day(2026, 1, 1))
        );
    }

    #[test]
    fn a_milestone_counts_the_days_left_and_is_empty_without_a_meeting() {
        let meetings = [msp(7, day(2026, 11, 30)), msp(8, day(2027, 9, 13))];
        let today = day(2026, 1, 31);
        let m = milestone(day(2027, 8, 1), &meetings, today);
        assert_eq!(
            m,
            Milestone {
                deciding_meeting: Some(7),
                submit_by: Some(day(2026, 2, 28)),
                days_to_submit: Some(28),
            }
        );
        let passed = milestone(day(2027, 8, 1), &meetings, day(2026, 3, 2));
        assert_eq!(passed.days_to_submit, Some(-2), "negative once passed");
        let none = milestone(day(2026, 8, 1), &meetings, today);
        assert_eq!(
            none,
            Milestone {
                deciding_meeting: None,
                submit_by: None,
                days_to_submit: None,
            },
            "a deadline before the only meetings"
        );
        assert_eq!(milestone::<u8>(day(2027, 8, 1), &[], today).submit_by, None);
    }

    #[test]
    fn two_meetings_opening_the_same_day_give_one_answer() {
        let meetings = [msp(1, day(2026, 9, 14)), msp(2, day(2026, 9, 14))];
        let m = milestone(day(2027, 1, 1), &meetings, day(2026, 1, 1));
        assert_eq!(m.deciding_meeting, Some(2));
        assert_eq!(m.submit_by, Some(day(2025, 12, 14)));
    }

    #[test]
    fn a_request_sets_out_what_its_article_lists() {
        let stock = elements(ObligationKind::StockpileDestruction, true);
        assert_eq!(stock.len(), 6);
        assert_eq!(stock.first(), Some(&"Article 3(4)(a)"));
        assert_eq!(stock.last(), Some(&"Article 3(4)(f)"));
        let first = elements(ObligationKind::Clearance, false);
        assert_eq!(first.len(), 9);
        assert_eq!(first.last(), Some(&"Article 4(6)(i)"));
        let further = elements(ObligationKind::Clearance, true);
        assert_eq!(further.len(), 10);
        assert_eq!(further.last(), Some(&"Article 4(8)"));
        assert!(elements(ObligationKind::AnnualTransparencyReport, false).is_empty());

        let required = elements(ObligationKind::StockpileDestruction, false);
        let answered = [
            ("Article 3(4)(a)", "Forty-eight months."),
            ("Article 3(4)(b)", "   "),
            ("Article 3(4)(c)", "A plan."),
            ("Article 9(9)", "Not a provision of this request."),
        ];
        assert_eq!(
            missing(&required, &answered),
            [
                "Article 3(4)(b)",
                "Article 3(4)(d)",
                "Article 3(4)(e)",
                "Article 3(4)(f)"
            ]
        );
        let all: Vec<(&str, &str)> = required.iter().map(|p| (*p, "Text.")).collect();
        assert!(missing(&required, &all).is_empty());
    }

    #[test]
    fn every_element_says_what_it_asks_for() {
        for kind in ObligationKind::ALL {
            for provision in elements(kind, true) {
                let text = requirement(provision);
                assert!(
                    text.is_some_and(|t| !t.is_empty() && !t.contains("  ")),
                    "{provision}"
                );
            }
        }
        assert_eq!(
            requirement("Article 4(8)"),
            Some("What was done during the previous extension")
        );
        assert_eq!(requirement("Article 7(1)"), None);
        assert_eq!(
            maximum_months(ObligationKind::StockpileDestruction),
            Some(48)
        );
        assert_eq!(maximum_months(ObligationKind::Clearance), Some(60));
        assert_eq!(
            maximum_months(ObligationKind::AnnualTransparencyReport),
            None
        );
    }

    #[test]
    fn requested_months_are_whole_calendar_months() {
        let cases = [
            ("exactly five years", day(2026, 8, 1), day(2031, 8, 1), 60),
            (
                "a day short of five years",
                day(2026, 8, 1),
                day(2031, 7, 31),
                59,
            ),
            ("a day over", day(2026, 8, 1), day(2031, 8, 2), 60),
            (
                "month end to month end",
                day(2026, 1, 31),
                day(2026, 2, 28),
                1,
            ),
            (
                "to a shorter month's last day",
                day(2027, 8, 31),
                day(2028, 2, 29),
                6,
            ),
            ("less than a month", day(2026, 8, 1), day(2026, 8, 31), 0),
            ("the same day", day(2026, 8, 1), day(2026, 8, 1), 0),
            ("before it", day(2026, 8, 1), day(2025, 8, 1), 0),
        ];
        for (what, current, requested, want) in cases {
            assert_eq!(requested_months(current, requested), want, "{what}");
        }
    }
}
