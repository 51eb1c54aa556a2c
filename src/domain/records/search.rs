//! Full-text search over the documents and decisions a viewer may read, ranked, with a
//! highlighted snippet: PostgreSQL `tsvector` (`websearch_to_tsquery`, `ts_rank`,
//! `ts_headline`) or SQLite FTS5 (`bm25`, `snippet`), as the migration set them up. The
//! query is passed as a bound value on both: no input reaches the SQL text.

use entity::enums::Language;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, FromQueryResult, Statement};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::kernel::error::{Code, ServiceError};

/// Longest query, in characters.
pub const MAX_QUERY: usize = 500;
/// Words of a query that count; the rest are ignored.
const MAX_WORDS: usize = 32;

/// Marks around matched words, from the engines, before the snippet is escaped.
const START: &str = "\u{E000}";
const STOP: &str = "\u{E001}";

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    Document,
    Decision,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub kind: HitKind,
    pub id: Uuid,
    /// Higher is better; comparable within one search.
    pub score: f64,
    /// HTML-escaped, with matched words in `<mark></mark>`.
    pub snippet: String,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    kind: String,
    id: Uuid,
    score: f64,
    snippet: Option<String>,
    /// Every match, not only this page's: `count(*) OVER ()`.
    total: i64,
}

/// The words of `query` that search: letters and digits, at most [`MAX_WORDS`].
fn words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(str::to_lowercase)
        .collect()
}

/// Escapes `text` for HTML and turns the engines' marks into `<mark></mark>`.
fn snippet_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out.replace(START, "<mark>").replace(STOP, "</mark>")
}

/// The words of a query as both engines read them verbatim: each in double quotes (words hold
/// letters and digits only, never a quote), so that none is syntax ("or" is neither
/// PostgreSQL's OR nor FTS5's), joined by spaces: every word must be present.
pub fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks a query: not blank, not longer than [`MAX_QUERY`], with a word to search.
pub fn check(query: &str) -> Result<Vec<String>, ServiceError> {
    let refuse = |m: &str| ServiceError::refused(Code::InvalidInput, &["query"], m);
    if query.chars().count() > MAX_QUERY {
        return Err(refuse(&format!(
            "A search is at most {MAX_QUERY} characters."
        )));
    }
    let w = words(query);
    if w.is_empty() {
        return Err(refuse("Give at least one word to search for."));
    }
    Ok(w)
}

/// One page of hits for `query` (words all present), best first, then documents before
/// decisions, then by ID; `offset` rows skipped. With `language`, documents in that
/// language only (decisions have none and are all kept). Returns the page and the total.
pub async fn search(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &str,
    language: Option<Language>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Hit>, u64), ServiceError> {
    let words = check(query)?;
    let everything = viewer.is_isu();
    let language = language.map(|l| sea_orm::ActiveEnum::to_value(&l));
    let backend = db.get_database_backend();
    let (count_sql, page_sql, values): (&str, &str, Vec<sea_orm::Value>) = match backend {
        DatabaseBackend::Postgres => {
            // Every word, as a plain word: `websearch_to_tsquery` of the words, each quoted,
            // so that a word such as "or" is searched for rather than read as an operator.
            let q = quoted(&words);
            let first = words.first().cloned().unwrap_or_default();
            (
                POSTGRES_COUNT,
                POSTGRES_PAGE,
                vec![
                    q.into(),
                    everything.into(),
                    language.into(),
                    (limit as i64).into(),
                    (offset as i64).into(),
                    first.into(),
                ],
            )
        }
        DatabaseBackend::Sqlite => {
            // Each word quoted: FTS5 reads it as a string, never as syntax.
            let q = quoted(&words);
            (
                SQLITE_COUNT,
                SQLITE_PAGE,
                vec![
                    q.into(),
                    everything.into(),
                    language.into(),
                    (limit as i64).into(),
                    (offset as i64).into(),
                ],
            )
        }
        other => {
            return Err(ServiceError::Internal(format!(
                "no full-text search on {other:?}"
            )));
        }
    };
    let count = Statement::from_sql_and_values(backend, count_sql, values[..3].to_vec());
    let rows = Row::find_by_statement(Statement::from_sql_and_values(backend, page_sql, values))
        .all(db)
        .await?;
    // Each row carries the total; a page past the end has none, and only then is it counted.
    let total = match rows.first() {
        Some(row) => row.total,
        None if offset == 0 => 0,
        None => db
            .query_one_raw(count)
            .await?
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or_default(),
    };
    let hits = rows
        .into_iter()
        .map(|r| Hit {
            kind: if r.kind == "D" {
                HitKind::Document
            } else {
                HitKind::Decision
            },
            id: r.id,
            score: r.score,
            snippet: snippet_html(r.snippet.as_deref().unwrap_or_default()),
        })
        .collect();
    Ok((hits, u64::try_from(total).unwrap_or_default()))
}

/// $1 the query, $2 whether RESTRICTED rows count, $3 a language or NULL. Asked only for a
/// page past the last, which has no row to carry the total.
const POSTGRES_COUNT: &str = "SELECT count(*) FROM (
    SELECT d.id FROM meeting_documents d, websearch_to_tsquery('simple', $1) q
     WHERE d.search @@ q AND ($2 OR d.access = 'PUBLIC') AND ($3::text IS NULL OR d.language = $3)
    UNION ALL
    SELECT r.id FROM decisions r, websearch_to_tsquery('simple', $1) q
     WHERE r.search @@ q AND ($2 OR r.access = 'PUBLIC')) m";

/// The snippet of a document comes from 1 200 characters around the first place its text
/// holds the query's first word (`$6`), not from the whole text: `ts_headline` reads every
/// character it is given, and a page of 20 long documents would cost it tens of
/// milliseconds.
const POSTGRES_PAGE: &str = "
    WITH page AS (
      SELECT kind, id, score, count(*) OVER () AS total FROM (
        SELECT 'D' AS kind, d.id, ts_rank(d.search, q)::float8 AS score
          FROM meeting_documents d, websearch_to_tsquery('simple', $1) q
         WHERE d.search @@ q AND ($2 OR d.access = 'PUBLIC') AND ($3::text IS NULL OR d.language = $3)
        UNION ALL
        SELECT 'R' AS kind, r.id, ts_rank(r.search, q)::float8 AS score
          FROM decisions r, websearch_to_tsquery('simple', $1) q
         WHERE r.search @@ q AND ($2 OR r.access = 'PUBLIC')) m
       ORDER BY score DESC, kind, id
       LIMIT $4 OFFSET $5)
    SELECT p.kind, p.id, p.score, p.total,
           ts_headline('simple',
                       coalesce(nullif(substr(d.text,
                                              greatest(1, strpos(lower(d.text), $6) - 300),
                                              1200), ''),
                                d.title, r.text),
                       websearch_to_tsquery('simple', $1),
                       'StartSel=\u{E000}, StopSel=\u{E001}, MaxWords=30, MinWords=12, MaxFragments=1')
             AS snippet
      FROM page p
      LEFT JOIN meeting_documents d ON p.kind = 'D' AND d.id = p.id
      LEFT JOIN decisions r ON p.kind = 'R' AND r.id = p.id
     ORDER BY p.score DESC, p.kind, p.id";

const SQLITE_COUNT: &str = "
    SELECT count(*) FROM records_fts
     WHERE records_fts MATCH $1 AND ($2 OR access = 'PUBLIC')
       AND ($3 IS NULL OR kind = 'R' OR language = $3)";

/// bm25 is lower for better matches: its negation is the score. Headings weigh ten times
/// the body. FTS5's functions may not sit beside a window function: the hits are ranked
/// first, then the page's rows are matched again for their snippets.
const SQLITE_PAGE: &str = "
    WITH hits AS MATERIALIZED (
      SELECT rowid AS r, kind, id, -bm25(records_fts, 0, 0, 0, 0, 10.0, 1.0) AS score
        FROM records_fts
       WHERE records_fts MATCH $1 AND ($2 OR access = 'PUBLIC')
         AND ($3 IS NULL OR kind = 'R' OR language = $3)),
    page AS (
      SELECT r, kind, id, score, count(*) OVER () AS total FROM hits
       ORDER BY score DESC, kind, id
       LIMIT $4 OFFSET $5)
    SELECT p.kind, p.id, p.score, p.total,
           snippet(records_fts, -1, '\u{E000}', '\u{E001}', '…', 30) AS snippet
      FROM page p JOIN records_fts ON records_fts.rowid = p.r
     WHERE records_fts MATCH $1
     ORDER BY p.score DESC, p.kind, p.id";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_words_and_snippets_are_escaped() {
        assert_eq!(
            words("Stockpile  destruction, art. 3!"),
            ["stockpile", "destruction", "art", "3"]
        );
        assert_eq!(
            words("\"; DROP TABLE decisions; --"),
            ["drop", "table", "decisions"]
        );
        assert!(check("   ").is_err());
        assert!(check(&"a".repeat(MAX_QUERY + 1)).is_err());
        assert_eq!(
            snippet_html("a <b> & \u{E000}clearance\u{E001}"),
            "a &lt;b&gt; &amp; <mark>clearance</mark>"
        );
    }
}
