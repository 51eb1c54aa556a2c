//! Table tests of the drawing and the CSV: the SVG parses as XML and holds what a reader
//! needs (title, description, axis labels, legend, each figure); the CSV holds the figures.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_default()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn compliance() -> Chart {
    Chart {
        title: "Annual reports, 2021–2023".into(),
        description: "Reports required, submitted and on time per year.".into(),
        body: ChartBody::Bars(Bars {
            x_label: "Reporting year".into(),
            y_label: "Reports".into(),
            categories: vec!["2021".into(), "2022".into(), "2023".into()],
            series: vec![
                Series {
                    name: "Required".into(),
                    values: vec![Some(dec("110")), Some(dec("111")), Some(dec("1234"))],
                },
                Series {
                    name: "Submitted".into(),
                    values: vec![Some(dec("90")), None, Some(dec("80"))],
                },
            ],
            share: Some(Share {
                axis_label: "On time (%)".into(),
                series: Series {
                    name: "On-time share".into(),
                    values: vec![Some(dec("81.818")), None, Some(dec("100"))],
                },
            }),
            references: vec![
                Reference {
                    name: "Target".into(),
                    value: dec("85"),
                    on_share_axis: true,
                },
                Reference {
                    name: "Baseline".into(),
                    value: dec("50"),
                    on_share_axis: false,
                },
            ],
        }),
    }
}

fn obligations(rows: usize) -> Chart {
    Chart {
        title: "Deadlines <Articles 3 & 4>".into(),
        description: "Deadlines per State \"in force\".".into(),
        body: ChartBody::Timeline(Timeline {
            x_label: "Deadline (year)".into(),
            y_label: "State party".into(),
            rows: (0..rows)
                .map(|i| TimelineRow {
                    label: format!("State {i}"),
                    marks: vec![
                        Mark {
                            date: day(2018, 8, 1),
                            series: "Stockpile destruction".into(),
                            style: MarkStyle::Superseded,
                            note: "1 August 2018".into(),
                        },
                        Mark {
                            date: day(2022, 8, 1),
                            series: "Stockpile destruction".into(),
                            style: MarkStyle::Extended,
                            note: "1 August 2022 (extended)".into(),
                        },
                        Mark {
                            date: day(2020, 8, 1),
                            series: "Clearance".into(),
                            style: MarkStyle::Completed,
                            note: "=completed".into(),
                        },
                    ],
                })
                .collect(),
            today: Some(day(2026, 12, 6)),
        }),
    }
}

/// The parsed document's root, checked for what every chart must have; returns every
/// text node's content.
fn check_document(svg: &str, height: u32) -> Vec<String> {
    assert!(svg.starts_with("<svg "), "{}", &svg[..svg.len().min(80)]);
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 800 {height}").as_str())
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(children[0].tag_name().name(), "title");
    assert_eq!(children[1].tag_name().name(), "desc");
    let ids: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap_or_default()
        .split(' ')
        .collect();
    assert_eq!(
        ids,
        [
            children[0].attribute("id").unwrap_or("?"),
            children[1].attribute("id").unwrap_or("?")
        ]
    );
    // No external reference of any kind.
    assert!(!svg.contains("href"));
    assert!(!svg.contains("<?xml"));
    let mut texts = Vec::new();
    for n in root.descendants().filter(|n| n.has_tag_name("text")) {
        let size: f64 = n
            .attribute("font-size")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.0);
        assert!(size >= 13.0, "text {:?} at {size} px", n.text());
        texts.push(n.text().unwrap_or_default().trim().to_owned());
    }
    texts
}

#[test]
fn bars_hold_title_desc_axes_legend_and_every_figure() {
    let chart = compliance();
    let svg = svg(&chart);
    let texts = check_document(&svg, 450);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    let root = doc.root_element();
    let title = root.first_element_child().and_then(|n| n.text());
    assert_eq!(title, Some("Annual reports, 2021–2023"));
    assert!(svg.contains("Reports required, submitted and on time per year."));
    for want in [
        // Heading, axis labels, categories, legend.
        "Annual reports, 2021–2023",
        "Reporting year",
        "Reports",
        "On time (%)",
        "2021",
        "2023",
        "Required",
        "Submitted",
        "On-time share",
        "Target",
        "Baseline",
        // Data labels: grouped counts, one-decimal shares, the reference figures.
        "110",
        "111",
        "1,234",
        "90",
        "80",
        "81.8 %",
        "100.0 %",
        "85.0 %",
        "50",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "{want:?} missing in {texts:?}"
        );
    }
    // A missing figure draws nothing: 3 bars of Required and 2 of Submitted, each colour
    // once more in the legend.
    let filled = |colour: &str| {
        root.descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(colour))
            .count()
    };
    assert_eq!(filled("#0072B2"), 3 + 1);
    assert_eq!(filled("#E69F00"), 2 + 1);
    assert!(!texts.iter().any(|t| t == "No data"));
}

#[test]
fn text_is_escaped_and_ids_differ_between_charts() {
    let a = svg(&obligations(2));
    let texts = check_document(&a, 450);
    assert!(a.contains("<title id=\"chart-"));
    assert!(a.contains("Deadlines &lt;Articles 3 &amp; 4&gt;"));
    assert!(a.contains("&quot;in force&quot;"));
    assert!(texts.iter().any(|t| t == "Deadlines <Articles 3 & 4>"));
    let b = svg(&compliance());
    let id = |s: &str| {
        s.split("<title id=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .map(str::to_owned)
    };
    assert_ne!(id(&a), id(&b));
    // The same chart reads the same (stable ETags).
    assert_eq!(svg(&compliance()), b);
}

#[test]
fn timeline_marks_notes_and_today() {
    let svg = svg(&obligations(3));
    let texts = check_document(&svg, 450);
    for want in [
        "Deadline (year)",
        "State party",
        "State 0",
        "State 2",
        "Stockpile destruction",
        "Clearance",
        "Completed",
        "Extended",
        "Superseded",
        "Today",
        "Aug 2022",
        "2020",
    ] {
        assert!(
            texts.iter().any(|t| t == want),
            "{want:?} missing in {texts:?}"
        );
    }
    // Only the deadline in force is labelled: not the superseded or completed marks.
    for absent in ["Aug 2018", "1 August 2018", "=completed", "Aug 2020"] {
        assert!(
            !texts.iter().any(|t| t == absent),
            "{absent:?} drawn in {texts:?}"
        );
    }
    // Completed marks are hollow: a circle with no fill.
    assert!(svg.contains("fill=\"none\""));
    // Superseded marks are faint.
    assert!(svg.contains("opacity=\"0.35\""));
}

#[test]
fn many_rows_grow_the_chart_and_the_rest_is_noted() {
    let few = obligations(10);
    assert_eq!(drawing::height(&few), 450);
    let many = obligations(60);
    let height = drawing::height(&many);
    assert_eq!(height, 110 + 30 * ROW_HEIGHT + 24);
    let svg = svg(&many);
    let texts = check_document(&svg, height);
    assert!(texts.iter().any(|t| t == "State 29"));
    assert!(!texts.iter().any(|t| t == "State 30"));
    let note = "The first 30 of 60 rows are drawn; the CSV holds every row.";
    assert!(texts.iter().any(|t| t == note));
    assert!(svg.contains(&format!("in force&quot;. {note}</desc>")));
    // Every row in the CSV: a header and three marks each.
    let csv = String::from_utf8(csv(&many)).unwrap_or_default();
    assert_eq!(csv.lines().count(), 1 + 60 * 3);
}

#[test]
fn empty_charts_say_no_data() {
    let mut bars = compliance();
    if let ChartBody::Bars(b) = &mut bars.body {
        b.categories.clear();
        for s in &mut b.series {
            s.values.clear();
        }
        b.share = None;
        b.references.clear();
    }
    let texts = check_document(&svg(&bars), 450);
    assert!(texts.iter().any(|t| t == "No data"));
    assert!(texts.iter().any(|t| t == "Reporting year"));
    let empty = obligations(0);
    let texts = check_document(&svg(&empty), 450);
    assert!(texts.iter().any(|t| t == "No data"));
    assert!(texts.iter().any(|t| t == "State party"));
    assert_eq!(
        String::from_utf8(csv(&empty)).unwrap_or_default(),
        "State party,Series,Deadline (year),Style,Note\r\n"
    );
}

#[test]
fn wide_figures_and_long_categories_turn_vertical() {
    let categories: Vec<String> = (0..13).map(|i| format!("Other States ({i})")).collect();
    let values: Vec<Option<Decimal>> = (0..13)
        .map(|i| Some(dec("1234567.89") * Decimal::from(i + 1)))
        .collect();
    let chart = Chart {
        title: "Contributions".into(),
        description: "By State.".into(),
        body: ChartBody::Bars(Bars {
            x_label: "State party".into(),
            y_label: "CHF".into(),
            categories,
            series: vec![
                Series {
                    name: "Invoiced".into(),
                    values: values.clone(),
                },
                Series {
                    name: "Received".into(),
                    values: values.clone(),
                },
                Series {
                    name: "Outstanding".into(),
                    values,
                },
            ],
            share: None,
            references: vec![],
        }),
    };
    let svg = svg(&chart);
    let texts = check_document(&svg, 450);
    assert!(texts.iter().any(|t| t == "16,049,382.57"));
    assert!(texts.iter().any(|t| t == "Other States (12)"));
    assert!(svg.contains("rotate(270"));
}

#[test]
fn csv_rows_equal_the_figures() {
    let out = String::from_utf8(csv(&compliance())).unwrap_or_default();
    assert_eq!(
        out,
        "Reporting year,Required,Submitted,On-time share,Target,Baseline\r\n\
         2021,110,90,81.8,85,50\r\n\
         2022,111,,,85,50\r\n\
         2023,1234,80,100.0,85,50\r\n"
    );
    let out = String::from_utf8(csv(&obligations(1))).unwrap_or_default();
    assert_eq!(
        out,
        "State party,Series,Deadline (year),Style,Note\r\n\
         State 0,Stockpile destruction,2018-08-01,superseded,1 August 2018\r\n\
         State 0,Stockpile destruction,2022-08-01,extended,1 August 2022 (extended)\r\n\
         State 0,Clearance,2020-08-01,completed,'=completed\r\n"
    );
}
