//! The searchable text of a file: an HTML page without its markup (a WHATWG tokenizer,
//! `html5gum`), the text of a PDF (`pdf-extract`). Knows no domain.
//!
//! PDF extraction reads the whole file and can be slow or fail on a malformed one: it runs on
//! a blocking thread, one at a time in the process (so at most one file's bytes are held for
//! it), under a time limit covering the wait for its turn, the read and the extraction. A
//! failure, a panic in the parser or the time running out gives `None`; the caller keeps the
//! text it had.

use std::future::Future;
use std::time::Duration;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use tokio::sync::Semaphore;

/// One PDF extraction at a time in the process.
static PDF_SLOT: Semaphore = Semaphore::const_new(1);

/// Elements whose content is not text a reader sees. Not `head`, whose end tag may be left
/// out: what it holds besides the title is in these or empty.
const HIDDEN: [&[u8]; 5] = [b"script", b"style", b"template", b"noscript", b"svg"];

/// Elements that break a line.
const BLOCKS: [&[u8]; 24] = [
    b"p",
    b"br",
    b"div",
    b"li",
    b"tr",
    b"td",
    b"th",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"section",
    b"article",
    b"header",
    b"footer",
    b"blockquote",
    b"pre",
    b"table",
    b"ul",
    b"ol",
    b"dt",
    b"dd",
];

/// The text a reader sees in `html`: strings outside tags with entities decoded; scripts,
/// styles and comments left out; block elements and the title as lines of their own;
/// whitespace tidied as by [`tidy`].
pub fn html_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are raw text, not markup: switch state as a browser would.
    emitter.naively_switch_states(true);
    let mut out = String::with_capacity(html.len() / 2);
    let mut hidden = 0usize;
    let mut in_title = false;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.as_slice();
                if name == b"title" {
                    in_title = true;
                } else if HIDDEN.contains(&name) && !tag.self_closing {
                    hidden += 1;
                } else if BLOCKS.contains(&name) {
                    out.push('\n');
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.as_slice();
                if name == b"title" {
                    in_title = false;
                    out.push('\n');
                } else if HIDDEN.contains(&name) {
                    hidden = hidden.saturating_sub(1);
                } else if BLOCKS.contains(&name) {
                    out.push('\n');
                }
            }
            Token::String(s) if hidden == 0 || in_title => {
                out.push_str(&String::from_utf8_lossy(&s));
            }
            _ => {}
        }
    }
    tidy(&out)
}

/// Text with its lines' runs of whitespace made one space, control characters dropped,
/// lines trimmed, and at most one empty line in a row; trimmed at both ends.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_lines = 0usize;
    for line in text.lines() {
        let mut words = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .peekable();
        if words.peek().is_none() {
            blank_lines += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// The text of the PDF `bytes`, tidied; `None` when it cannot be read or has no text (a
/// scan without a text layer, say).
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    let text = pdf_extract::extract_text_from_mem(bytes).ok()?;
    Some(tidy(&text)).filter(|t| !t.is_empty())
}

/// [`pdf_text`] of the bytes `read` gives, on a blocking thread, one at a time in the
/// process, within `limit` (waiting for a turn included). A parser that panics or overruns
/// gives `None`; an overrunning parser keeps its turn until it ends, so runaways never pile
/// up.
pub async fn pdf_text_within<R>(read: R, limit: Duration) -> Option<String>
where
    R: Future<Output = Option<Vec<u8>>>,
{
    let work = async {
        let turn = PDF_SLOT.acquire().await.ok()?;
        let bytes = read.await?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            pdf_text(&bytes)
        })
        .await
        .ok()?
    };
    tokio::time::timeout(limit, work).await.ok()?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_gives_the_text_a_reader_sees() {
        let cases: &[(&str, &str)] = &[
            (
                "<p>Stockpile <b>destruction</b></p>",
                "Stockpile destruction",
            ),
            (
                "<html><head><title>CCM/MSP/2024/7</title><style>p{color:red}</style>\
                 <script>var clearance = '<p>no</p>';</script></head>\
                 <body><h1>Final report</h1><p>Art.&nbsp;4 &amp; 3 &lt;ok&gt;</p></body></html>",
                "CCM/MSP/2024/7\n\nFinal report\n\nArt. 4 & 3 <ok>",
            ),
            ("<!-- hidden comment -->visible", "visible"),
            ("one<br>two<li>three", "one\ntwo\nthree"),
            (
                "<p>caf&eacute; &#x2014; d&#233;minage</p>",
                "café — déminage",
            ),
            ("unclosed <b attr='x", "unclosed"),
            ("<svg><text>drawn</text></svg>shown", "shown"),
            ("", ""),
        ];
        for (html, text) in cases {
            assert_eq!(html_text(html), *text, "{html}");
        }
    }

    #[test]
    fn tidy_collapses_whitespace_and_drops_control_characters() {
        let cases: &[(&str, &str)] = &[
            ("  a \t b  ", "a b"),
            ("a\n\n\n\nb", "a\n\nb"),
            ("a\u{0}b\u{7}c", "a b c"),
            ("\n\n a \n", "a"),
            ("a\r\nb", "a\nb"),
        ];
        for (raw, tidied) in cases {
            assert_eq!(tidy(raw), *tidied, "{raw:?}");
        }
    }

    #[test]
    fn a_broken_pdf_gives_no_text() {
        assert_eq!(pdf_text(b"%PDF-1.7\nnot really a pdf"), None);
        assert_eq!(pdf_text(b""), None);
    }

    #[tokio::test]
    async fn a_pdf_read_that_fails_or_overruns_gives_no_text() {
        assert_eq!(
            pdf_text_within(async { None }, Duration::from_secs(5)).await,
            None
        );
        let slow = async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Some(Vec::new())
        };
        assert_eq!(pdf_text_within(slow, Duration::from_millis(20)).await, None);
    }
}
