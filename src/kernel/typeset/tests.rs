//! The fixture report through both renderers, and the gate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::NaiveDate;

use super::*;

/// Text that typst markup would read as code, emphasis, math, a reference, a label or the
/// end of a content block, had it been spliced into the template.
const MARKUP: &str = "Agenda #strong[x] *bold* _it_ $x^2$ @ref <label> ] \\ end";

const SVG: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" "#,
    r#"viewBox="0 0 200 100" width="200" height="100" role="img">"#,
    r#"<title>Budget execution</title><desc>Bars</desc>"#,
    r##"<rect x="10" y="20" width="40" height="70" fill="#1f4e8c"/>"##,
    r##"<rect x="60" y="50" width="40" height="40" fill="#8c1f4e"/>"##,
    "</svg>"
);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn column(title: &str, numeric: bool) -> Column {
    Column {
        title: title.into(),
        numeric,
    }
}

/// Two sections, the first with a subsection; facts, paragraphs, a table of 120 rows (it
/// must break across pages), an empty table and a figure.
fn fixture() -> Document {
    let rows = (1..=120)
        .map(|i| {
            vec![
                format!("State number {i}"),
                if i == 1 {
                    "CHF 1,234,567.00".to_owned()
                } else {
                    format!("CHF {i},000.00")
                },
                format!("{i}"),
            ]
        })
        .collect();
    Document {
        title: "Annual report of the Implementation Support Unit, 2026".into(),
        subtitle: Some("Activities and finances".into()),
        author: "Implementation Support Unit of the Convention on Cluster Munitions".into(),
        issued_on: day(2026, 12, 6),
        as_of: day(2026, 11, 30),
        lang: "en".into(),
        sections: vec![
            Section {
                heading: "Reporting compliance".into(),
                blocks: vec![
                    Block::Paragraph {
                        text: "Annual reports required and submitted.".into(),
                    },
                    Block::Facts {
                        items: vec![
                            Fact {
                                label: "Entry into force".into(),
                                value: "1 August 2010".into(),
                            },
                            Fact {
                                label: "Reports on time".into(),
                                value: "87.3 %".into(),
                            },
                        ],
                    },
                    Block::Figure(Figure {
                        caption: "Budget and spent per category".into(),
                        svg: SVG.into(),
                    }),
                ],
                subsections: vec![Section {
                    heading: "Contributions received".into(),
                    blocks: vec![Block::Table(Table {
                        caption: "Contributions by State".into(),
                        columns: vec![
                            column("Contributor", false),
                            column("Invoiced amount", true),
                            column("Rank", true),
                        ],
                        rows,
                        empty: "No contributions recorded.".into(),
                    })],
                    subsections: vec![],
                }],
            },
            Section {
                heading: "Cooperation and assistance".into(),
                blocks: vec![
                    Block::Paragraph {
                        text: MARKUP.into(),
                    },
                    Block::Table(Table {
                        caption: "Needs by thematic area".into(),
                        columns: vec![column("Area", false), column("Needs", true)],
                        rows: vec![],
                        empty: "No needs recorded.".into(),
                    }),
                    Block::Table(Table {
                        caption: "Statements".into(),
                        columns: vec![column("Said", false), column("Count", true)],
                        rows: vec![
                            vec!["<script>alert(1)</script>".into(), "1".into()],
                            // A short row: padded, never shifting the cells after it.
                            vec!["Only one cell".into()],
                        ],
                        empty: "None.".into(),
                    }),
                ],
                subsections: vec![],
            },
        ],
    }
}

/// The PDF and its text, each run of white space one space (lines wrap where typst wraps).
fn pdf_text(document: &Document) -> (Vec<u8>, String) {
    let bytes = pdf(document).unwrap_or_else(|e| panic!("{e}"));
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap_or_else(|e| panic!("{e}"));
    (bytes, text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn the_pdf_holds_the_title_block_contents_headings_tables_and_page_numbers() {
    let (bytes, text) = pdf_text(&fixture());
    assert!(bytes.starts_with(b"%PDF-"));
    for expected in [
        "Annual report of the Implementation Support Unit, 2026",
        "Activities and finances",
        "Implementation Support Unit of the Convention on Cluster Munitions",
        "Issued on 6 December 2026",
        "Data as of 30 November 2026",
        "Contents",
        "Entry into force",
        "1 August 2010",
        "87.3 %",
        "CHF 1,234,567.00",
        "State number 120",
        "Contributions by State",
        "Budget and spent per category",
        "No needs recorded.",
        "Page 1 of",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Numbered headings, each once in the table of contents (with its page) and once in
    // the body.
    for heading in [
        "1. Reporting compliance",
        "1.1 Contributions received",
        "2. Cooperation and assistance",
    ] {
        assert_eq!(text.matches(heading).count(), 2, "{heading}:\n{text}");
    }
    assert!(
        text.contains("Contents 1. Reporting compliance . . ."),
        "{text}"
    );
    // 120 rows do not fit one page: the table breaks, and its header row repeats on each
    // page it spans; the footer counts the pages.
    let headers = text.matches("Invoiced amount").count();
    assert!(headers >= 3, "header row seen {headers} times:\n{text}");
    let pages = text.matches("Page ").count();
    assert!(pages >= 4, "{pages} pages:\n{text}");
    assert!(text.contains(&format!("Page {pages} of {pages}")), "{text}");
    // The empty table is said, not drawn as a header without rows.
    assert!(!text.contains("Area"), "{text}");
}

#[test]
fn user_text_with_typst_markup_comes_out_literally_in_the_pdf() {
    let (_, text) = pdf_text(&fixture());
    for literal in [
        "#strong[x]",
        "*bold*",
        "_it_",
        "$x^2$",
        "@ref",
        "<label>",
        "] \\ end",
        "<script>alert(1)</script>",
    ] {
        assert!(text.contains(literal), "{literal:?} missing from:\n{text}");
    }
}

#[test]
fn a_template_error_is_a_typeset_error_with_typsts_message() {
    let mut document = fixture();
    // typst refuses a language that is not an ISO 639 code.
    document.lang = "english".into();
    let Err(e) = pdf(&document) else {
        panic!("a document in language `english` was typeset");
    };
    assert!(e.0.contains("document.typ line"), "{e}");
}

#[test]
fn fonts_and_the_library_are_built_once_for_every_render() {
    let document = fixture();
    let first = pdf(&document).unwrap_or_else(|e| panic!("{e}"));
    let second = pdf(&document).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pdf::shared_builds(), 1);
    // Same data, same bytes: the date comes from the document, not the clock.
    assert_eq!(first, second);
}

#[test]
fn the_html_page_holds_the_same_content_escaped_with_the_chart_inline() {
    let page = html(&fixture()).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.starts_with("<!doctype html>"), "{page}");
    for expected in [
        r#"<html lang="en">"#,
        r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#,
        "<title>Annual report of the Implementation Support Unit, 2026</title>",
        "<style>",
        "Issued on <time datetime=\"2026-12-06\">6 December 2026</time>",
        "Data as of <time datetime=\"2026-11-30\">30 November 2026</time>",
        // The table of contents links each numbered heading.
        r##"<span class="number">1.</span> <a href="#section-1">Reporting compliance</a>"##,
        r##"<span class="number">1.1</span> <a href="#section-1-1">Contributions received</a>"##,
        r#"<h3 id="section-1-1"><span class="number">1.1</span> Contributions received</h3>"#,
        "<caption>Table 1: Contributions by State</caption>",
        r#"<th scope="col" class="num">Invoiced amount</th>"#,
        r#"<td class="num">CHF 1,234,567.00</td>"#,
        "State number 120",
        "<dt>Entry into force</dt><dd>1 August 2010</dd>",
        "<figcaption>Figure 1: Budget and spent per category</figcaption>",
        r#"<svg viewBox="0 0 200 100""#,
        "<title>Budget execution</title>",
        "No needs recorded.",
        // The second table with rows is table 2: the empty one is not numbered.
        "<caption>Table 2: Statements</caption>",
        "&lt;script&gt;alert(1)&lt;",
        // The short row padded to its two columns.
        "<td>Only one cell</td><td class=\"num\"></td>",
    ] {
        assert!(
            page.contains(expected),
            "{expected:?} missing from:\n{page}"
        );
    }
    // User text escaped, typst markup left as it is.
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains("#strong[x] *bold* _it_ $x^2$ @ref &lt;label&gt; ]"),
        "{page}"
    );
    // Nothing to fetch: no address, no XML declaration inside the page.
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "{page}"
    );
    assert!(!page.contains("<?xml"), "{page}");
    assert!(
        !page.contains("<script") && !page.contains(" src="),
        "{page}"
    );
}

#[test]
fn an_svg_is_inlined_without_declaration_or_namespace_addresses() {
    let cases = [
        (
            SVG,
            r#"<svg viewBox="0 0 200 100" width="200" height="100" role="img">"#,
        ),
        (
            "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg width='8' xmlns='http://www.w3.org/2000/svg'><g/></svg>",
            "<svg width='8'><g/></svg>",
        ),
        ("<svg><g/></svg>", "<svg><g/></svg>"),
        // Not an SVG: shown as text, never as markup.
        ("<b>not a chart</b>", "&lt;b&gt;not a chart&lt;&#x2f;b&gt;"),
    ];
    for (svg, starts) in cases {
        let inline = view::inline_svg(svg);
        assert!(inline.starts_with(starts), "{svg} → {inline}");
        assert!(!inline.contains("http://"), "{svg} → {inline}");
    }
}

/// The app's gate would be shared with every other test of the process: these use their own.
static TEST_GATE: Gate = Gate::new(MAX_CONCURRENT_RENDERS);
static PANIC_GATE: Gate = Gate::new(1);

#[tokio::test]
async fn a_render_waits_for_a_slot_and_is_refused_when_none_comes_free() {
    let held: Vec<_> = (0..MAX_CONCURRENT_RENDERS)
        .map(|_| TEST_GATE.slots.try_acquire())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    let ran = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    let refused = TEST_GATE
        .enter(Duration::from_millis(20), move || {
            counter.fetch_add(1, Ordering::SeqCst)
        })
        .await;
    assert_eq!(
        refused.err(),
        Some(GateError::Busy {
            retry_after_secs: RETRY_AFTER_SECS
        })
    );
    assert_eq!(ran.load(Ordering::SeqCst), 0, "a refused render ran");

    // A slot freed while a render waits: it runs.
    let counter = ran.clone();
    let waiting = tokio::spawn(TEST_GATE.enter(Duration::from_secs(30), move || {
        counter.fetch_add(1, Ordering::SeqCst);
        "typeset"
    }));
    drop(held);
    assert_eq!(waiting.await.ok().and_then(Result::ok), Some("typeset"));
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    // Every slot is back once the renders end.
    assert_eq!(TEST_GATE.slots.available_permits(), MAX_CONCURRENT_RENDERS);
}

#[tokio::test]
async fn a_render_that_panics_is_reported_and_frees_its_slot() {
    #[allow(clippy::panic)]
    let got = PANIC_GATE
        .enter(Duration::from_secs(1), || -> u8 { panic!("layout") })
        .await;
    assert_eq!(got, Err(GateError::Panicked));
    let after = PANIC_GATE.enter(Duration::from_secs(1), || 7).await;
    assert_eq!(after, Ok(7));
}

#[tokio::test]
async fn the_apps_gate_renders_a_document() {
    let document = fixture();
    let got = Gate::run(Duration::from_secs(60), move || html(&document)).await;
    assert!(matches!(got, Ok(Ok(page)) if page.contains("Reporting compliance")));
}
