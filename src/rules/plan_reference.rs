//! Which action plan actions a workplan activity's `actionPlanReference` names: "LAP action
//! 38", "Action 38", "38", "Actions 43–46", "LAP actions 2, 5 and 7". Free text as people
//! write it: numbers standing alone, lists and ranges of them; a number written as part of
//! something else (an indicator code such as "43.1", a year, "para. 27(c)") names nothing.

/// Highest action number a reference may name.
const MAX_ACTION: i32 = 100;
/// Widest range "a–b" that counts (a plan section, not a typo such as "4-400").
const MAX_RANGE: i32 = 20;

/// One token of a reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    Number(i32),
    Word(&'a str),
    Dash,
    /// A comma, a semicolon, "and", "&", "/".
    Joiner,
    /// Anything else: a number glued to other characters, a bracket.
    Other,
}

fn tokens(reference: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = reference;
    while let Some(c) = rest.chars().next() {
        let len = c.len_utf8();
        if c.is_whitespace() {
            rest = &rest[len..];
        } else if matches!(c, '-' | '–' | '—') {
            out.push(Token::Dash);
            rest = &rest[len..];
        } else if matches!(c, ',' | ';' | '&' | '/' | '+') {
            out.push(Token::Joiner);
            rest = &rest[len..];
        } else if c.is_alphanumeric() || c == '.' || c == '#' {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '#'))
                .unwrap_or(rest.len());
            let word = rest[..end].trim_end_matches('.').trim_start_matches('#');
            out.push(
                if word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() {
                    word.parse()
                        .ok()
                        .filter(|n| (1..=MAX_ACTION).contains(n))
                        .map_or(Token::Other, Token::Number)
                } else if word.eq_ignore_ascii_case("and") || word.eq_ignore_ascii_case("et") {
                    Token::Joiner
                } else if word.chars().all(char::is_alphabetic) && !word.is_empty() {
                    Token::Word(word)
                } else {
                    Token::Other
                },
            );
            rest = &rest[end..];
        } else {
            out.push(Token::Other);
            rest = &rest[len..];
        }
    }
    out
}

/// The action numbers `reference` names, ascending, each once. A number counts when the
/// reference is only numbers (and joiners), or when it follows the word "action", "actions"
/// or "LAP" (any case), directly or in a list or range that does.
pub fn actions(reference: &str) -> Vec<i32> {
    let tokens = tokens(reference);
    let bare = tokens
        .iter()
        .all(|t| matches!(t, Token::Number(_) | Token::Joiner | Token::Dash));
    let mut out = std::collections::BTreeSet::new();
    let mut listing = bare;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::Word(w) => {
                listing = ["action", "actions", "lap"]
                    .iter()
                    .any(|l| w.eq_ignore_ascii_case(l));
            }
            Token::Number(a) if listing => {
                if let (Some(Token::Dash), Some(Token::Number(b))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if a <= *b && b - a <= MAX_RANGE {
                        out.extend(a..=*b);
                    }
                    i += 2;
                } else {
                    out.insert(a);
                }
            }
            Token::Joiner => {}
            _ => listing = bare,
        }
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_actions_people_mean() {
        let cases: &[(&str, &[i32])] = &[
            ("LAP action 38", &[38]),
            ("Action 38", &[38]),
            ("38", &[38]),
            ("  38 ", &[38]),
            ("action 44.", &[44]),
            ("LAP Actions 43–46", &[43, 44, 45, 46]),
            ("LAP actions 2, 5 and 7", &[2, 5, 7]),
            ("Actions 12-14; 17", &[12, 13, 14, 17]),
            ("38, 39", &[38, 39]),
            ("Lausanne Action Plan action #21", &[21]),
            ("LAP indicator 43.1", &[]),
            ("action 43.1", &[]),
            ("2025 workplan, para. 27(c)", &[]),
            ("LAP 38", &[38]),
            ("Workplan 38", &[]),
            ("Action 0", &[]),
            ("Action 101", &[]),
            ("Actions 4-40", &[]),
            ("Actions 9–3", &[]),
            ("", &[]),
            ("action", &[]),
            ("Action 38 and section 4", &[38]),
        ];
        for (reference, expected) in cases {
            assert_eq!(actions(reference), *expected, "{reference:?}");
        }
    }
}
