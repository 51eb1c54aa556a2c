//! The history file's own rules, line by line, without a database.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

const TODAY: &str = "2026-12-06";

const HEADER: &str = "record,state,kind,year,submitted_on,link,previous_deadline,new_deadline,granted_on,granted_at,reference,completed_on,since,precision,declared,confidence,sources\n";

fn parse_all(body: &str) -> Result<Vec<Line>, Vec<Fault>> {
    parse(&format!("{HEADER}{body}"), d(TODAY))
}

/// The faults as (line, column), for tables.
fn faults(body: &str) -> Vec<(usize, String)> {
    parse_all(body)
        .expect_err("refused")
        .into_iter()
        .map(|f| (f.line, f.field))
        .collect()
}

#[test]
fn every_kind_of_line_is_read() {
    let lines = parse_all(concat!(
        "report,lao,annual,2015,2016-04-29,https://example.org/lao-2015.pdf,,,,,,,,,,,\n",
        "report,LAO,initial,,2013-03-01,,,,,,,,,,,,\n",
        "\n",
        "extension,DEU,clearance,,,,2020-08-01,2025-08-01,2019-09-30,9MSP,CCM/MSP/2019/13,,,day,,verified,https://a.example/x  https://b.example/y\n",
        "completion,NOR,stockpile_destruction,,,,,,,,,2010-07-16,,day,Press release,verified,\n",
        "records_begin,LAO,all,,,,,,,,,,2011-01-01,,,,\n",
    ))
    .expect("parses");
    let line_numbers: Vec<usize> = lines.iter().map(|l| l.line).collect();
    assert_eq!(
        line_numbers,
        [2, 3, 5, 6, 7],
        "blank lines are skipped, numbers kept"
    );
    assert_eq!(lines[0].state, "LAO");
    assert_eq!(
        lines[0].record,
        Record::Report {
            kind: ReportKind::Annual,
            year: Some(2015),
            submitted_on: d("2016-04-29"),
            link: Some("https://example.org/lao-2015.pdf".into()),
        }
    );
    assert!(matches!(
        &lines[2].record,
        Record::Extension { kind: ObligationKind::Clearance, reference: Some(r), provenance, .. }
            if r == "CCM/MSP/2019/13"
                && provenance.sources.as_deref() == Some("https://a.example/x https://b.example/y")
    ));
    assert_eq!(
        lines[4].record,
        Record::RecordsBegin {
            kinds: ObligationKind::ALL.to_vec(),
            since: d("2011-01-01")
        }
    );
}

#[test]
fn a_header_may_name_only_the_columns_it_uses_in_any_order() {
    let text = "\u{feff}state,kind,record,completed_on\nBIH,clearance,completion,2023-08-31\n";
    let lines = parse(text, d(TODAY)).expect("parses");
    assert!(matches!(lines[0].record, Record::Completion { .. }));
}

#[test]
fn each_bad_line_is_named_with_its_column() {
    let table: [(&str, (usize, &str), &str); 14] = [
        (
            "report,LAO,annual,2015,2016-02-30,,,,,,,,,,,,\n",
            (2, "submitted_on"),
            "malformed date",
        ),
        (
            "report,LAO,annual,,2016-04-29,,,,,,,,,,,,\n",
            (2, "year"),
            "annual without year",
        ),
        (
            "report,LAO,quarterly,2015,2016-04-29,,,,,,,,,,,,\n",
            (2, "kind"),
            "unknown kind",
        ),
        (
            "report,LAO,annual,2015,2027-01-01,,,,,,,,,,,,\n",
            (2, "submitted_on"),
            "in the future",
        ),
        (
            "report,LAO,annual,2015,2016-04-29,ftp://x,,,,,,,,,,,\n",
            (2, "link"),
            "not http(s)",
        ),
        (
            "memo,LAO,annual,2015,2016-04-29,,,,,,,,,,,,\n",
            (2, "record"),
            "unknown record",
        ),
        (
            "report,LA0,annual,2015,2016-04-29,,,,,,,,,,,,\n",
            (2, "state"),
            "not alpha-3",
        ),
        (
            "extension,DEU,clearance,,,,2020-08-01,2020-08-01,2019-09-30,9MSP,,,,,,,\n",
            (2, "new_deadline"),
            "not after the previous",
        ),
        (
            "extension,DEU,annual,,,,2020-08-01,2025-08-01,2019-09-30,9MSP,,,,,,,\n",
            (2, "kind"),
            "reports are not extended",
        ),
        (
            "extension,DEU,clearance,,,,2020-08-01,2025-08-01,2019-09-30,,,,,,,,\n",
            (2, "granted_at"),
            "no meeting",
        ),
        (
            "completion,NOR,clearance,,,,,,,,,2030-01-01,,,,,\n",
            (2, "completed_on"),
            "completion in the future",
        ),
        (
            "completion,NOR,clearance,,,,,,,,,2013-09-30,,exact,,,\n",
            (2, "precision"),
            "unknown precision",
        ),
        (
            "completion,NOR,clearance,2013,,,,,,,,2013-09-30,,,,,\n",
            (2, "year"),
            "a column the record does not use",
        ),
        (
            "records_begin,NOR,annual,,,,,,,,,,2011-13-01,,,,\n",
            (2, "since"),
            "malformed since",
        ),
    ];
    for (body, (line, field), case) in table {
        assert_eq!(faults(body), vec![(line, field.to_owned())], "{case}");
    }
}

#[test]
fn every_fault_of_a_file_is_listed_at_once() {
    let found = faults(concat!(
        "report,LAO,annual,2015,2016-04-29,,,,,,,,,,,,\n",
        "report,LAO,annual,2015,someday,,,,,,,,,,,,\n",
        "completion,NOR,clearance,,,,,,,,,2030-01-01,,,,,\n",
        "records_begin,NOR,weekly,,,,,,,,,,2011-01-01,,,,\n",
    ));
    assert_eq!(
        found,
        vec![
            (3, "submitted_on".to_owned()),
            (4, "completed_on".to_owned()),
            (5, "kind".to_owned())
        ]
    );
}

#[test]
fn the_header_is_checked_first() {
    let unknown = parse("record,state,kind,colour\n", d(TODAY)).expect_err("refused");
    assert_eq!((unknown[0].line, unknown[0].field.as_str()), (1, "colour"));
    let missing = parse("record,state\n", d(TODAY)).expect_err("refused");
    assert_eq!(missing[0].field, "kind");
    let twice = parse("record,state,kind,kind\n", d(TODAY)).expect_err("refused");
    assert!(twice[0].reason.contains("twice"));
}

#[test]
fn text_is_bounded_and_single_line() {
    let long = "x".repeat(101);
    let body =
        format!("extension,DEU,clearance,,,,2020-08-01,2025-08-01,2019-09-30,{long},,,,,,,\n");
    assert_eq!(faults(&body), vec![(2, "granted_at".to_owned())]);
    let body = "completion,NOR,clearance,,,,,,,,,2013-09-30,,,\"two\nlines\",,\n";
    assert_eq!(faults(body), vec![(2, "declared".to_owned())]);
    let many = vec!["https://s.example/a"; MAX_SOURCES + 1].join(" ");
    let body = format!("completion,NOR,clearance,,,,,,,,,2013-09-30,,,,,{many}\n");
    assert_eq!(faults(&body), vec![(2, "sources".to_owned())]);
}

#[test]
fn a_file_is_bounded_in_lines_bytes_and_listed_faults() {
    let line = "report,LAO,annual,2015,2016-04-29,,,,,,,,,,,,\n";
    let big = line.repeat(MAX_LINES + 1);
    let refused = parse_all(&big).expect_err("too many lines");
    assert!(
        refused
            .iter()
            .any(|f| f.reason.contains("at most 10000 lines"))
    );
    let huge = "x".repeat(MAX_BYTES + 1);
    assert_eq!(
        parse(&huge, d(TODAY)).expect_err("too big")[0].field,
        "file"
    );
    let bad = "report,LAO,annual,2015,never,,,,,,,,,,,,\n".repeat(MAX_FAULTS + 50);
    let listed = capped(parse_all(&bad).expect_err("refused"));
    assert_eq!(listed.len(), MAX_FAULTS + 1);
    assert!(listed[MAX_FAULTS].reason.starts_with("50 more faults"));
}

#[test]
fn the_shipped_history_parses() {
    let lines = parse(crate::domain::history::import::SHIPPED, d(TODAY)).expect("parses");
    let count = |f: fn(&Record) -> bool| lines.iter().filter(|l| f(&l.record)).count();
    assert_eq!(count(|r| matches!(r, Record::Extension { .. })), 14);
    assert_eq!(count(|r| matches!(r, Record::Completion { .. })), 40);
}

#[test]
fn the_readme_example_parses() {
    let readme = include_str!("../../../../README.md");
    let section = &readme[readme.find("### Importing the history").expect("section")..];
    let start = section.find("```csv\n").expect("example") + "```csv\n".len();
    let example = &section[start..start + section[start..].find("```").expect("end")];
    let lines = parse(example, d(TODAY)).expect("the README's example parses");
    assert_eq!(lines.len(), 5);
}
