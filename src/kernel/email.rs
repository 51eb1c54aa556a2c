//! Email addresses as the system stores and sends to them: the checks of an address's form
//! (ASCII, one `@` between a valid local part and a domain with a dot and a name for its
//! last label) and of its characters (no control character anywhere, line breaks included:
//! an address may go into a message header). Used by every domain that keeps an address.

use crate::kernel::error::{Code, Refusals};
use crate::kernel::validate::{self, Lines};

/// Longest address, in characters (RFC 5321's path limit).
pub const EMAIL_TEXT: usize = 254;
/// Longest local part (before the `@`).
const LOCAL_PART: usize = 64;
/// Longest domain.
const DOMAIN: usize = 253;
/// Longest label of a domain.
const LABEL: usize = 63;

/// Characters an address's local part may hold besides letters and digits (RFC 5322's
/// `atext`): no space, comma, angle bracket, double quote, parenthesis, colon, semicolon,
/// backslash or square bracket.
const LOCAL_SPECIALS: &str = "!#$%&'*+-/=?^_`{|}~";

/// Why `address` (trimmed, non-empty) is not an address we send to; the address as it is
/// stored (its domain in lower case) otherwise.
fn parse_email(address: &str) -> Result<String, &'static str> {
    if !address.is_ascii() {
        return Err("use ASCII characters only (an international domain in its xn-- form)");
    }
    let Some((local, domain)) = address.split_once('@') else {
        return Err("it has no @");
    };
    if domain.contains('@') {
        return Err("it has more than one @");
    }
    if local.is_empty() || local.len() > LOCAL_PART {
        return Err("the part before the @ must be 1 to 64 characters");
    }
    if !local
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || LOCAL_SPECIALS.contains(c))
    {
        return Err(
            "the part before the @ holds a character an address may not (a space, a comma, \
             an angle bracket or a quote, say)",
        );
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err("the part before the @ may not begin or end with a dot, or hold two in a row");
    }
    if domain.is_empty() || domain.len() > DOMAIN {
        return Err("the domain must be 1 to 253 characters");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("the domain must have a dot, e.g. example.org");
    }
    for label in &labels {
        if label.is_empty()
            || label.len() > LABEL
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(
                "each part of the domain is 1 to 63 letters, digits or hyphens, without a \
                 hyphen at either end",
            );
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("the domain must end in a name, not a number");
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

/// The checks of an address, refusing on `field`: no control character anywhere (line
/// breaks included, before trimming), 1 to [`EMAIL_TEXT`] characters once trimmed, one `@`
/// between a valid local part and a domain with a dot. The address as stored when it passes.
pub fn check_email(r: &mut Refusals, field: &[&str], raw: &str) -> Option<String> {
    let name = field.last().copied().unwrap_or("email");
    if validate::has_control(raw, Lines::One) {
        r.push(
            Code::InvalidInput,
            field,
            format!("`{name}` must not contain control characters or line breaks."),
        );
        return None;
    }
    let address = raw.trim();
    if address.is_empty() || address.chars().count() > EMAIL_TEXT {
        r.push(
            Code::InvalidInput,
            field,
            format!("`{name}` must be 1 to {EMAIL_TEXT} characters."),
        );
        return None;
    }
    match parse_email(address) {
        Ok(stored) => Some(stored),
        Err(why) => {
            r.push(
                Code::InvalidInput,
                field,
                format!("`{name}` is not a valid email address: {why}."),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::error::ServiceError;

    fn check(raw: &str) -> Option<String> {
        let mut r = Refusals::default();
        let out = check_email(&mut r, &["input", "email"], raw);
        assert_eq!(out.is_some(), r.is_empty(), "{raw:?}");
        out
    }

    #[test]
    fn addresses_are_checked_for_their_form_and_stored_with_a_lower_case_domain() {
        for (raw, stored) in [
            ("focal.point@Mofa.GOV.la", "focal.point@mofa.gov.la"),
            ("  a@b.co  ", "a@b.co"),
            ("First.Last+ccm@example.org", "First.Last+ccm@example.org"),
            ("o'brien@example.ie", "o'brien@example.ie"),
            ("x@xn--80ak6aa92e.com", "x@xn--80ak6aa92e.com"),
            ("a_b-c@sub.domain-x.example", "a_b-c@sub.domain-x.example"),
        ] {
            assert_eq!(check(raw).as_deref(), Some(stored), "{raw}");
        }
        let long_local = format!("{}@example.org", "a".repeat(65));
        let long_label = format!("a@{}.org", "b".repeat(64));
        let too_long = format!("{}@{}.org", "a".repeat(60), "b.".repeat(100));
        for raw in [
            "",
            "   ",
            "no-at.example.org",
            "two@@example.org",
            "a@b@example.org",
            "@example.org",
            "a@",
            "a@localhost",
            "a@example.",
            "a@.example.org",
            "a@exa..mple.org",
            "a@-example.org",
            "a@example-.org",
            "a@1.2.3.4",
            "a@exam_ple.org",
            ".a@example.org",
            "a.@example.org",
            "a..b@example.org",
            "a b@example.org",
            "a,b@example.org",
            "<a@example.org>",
            "\"a\"@example.org",
            "a;b@example.org",
            "a(b)@example.org",
            "a\\b@example.org",
            "josé@example.org",
            "a@exämple.org",
            "a@example.org\r\nBcc: victim@example.org",
            "a@example.org\n",
            "\ta@example.org",
            "a@example.org\u{0}",
            &long_local,
            &long_label,
            &too_long,
        ] {
            assert_eq!(check(raw), None, "{raw:?} is refused");
        }
    }

    #[test]
    fn a_header_injection_is_refused_with_its_own_message() {
        let mut r = Refusals::default();
        check_email(&mut r, &["input", "email"], "a@example.org\r\nBcc: x@y.org");
        match r.finish() {
            Err(ServiceError::Refused(v)) => {
                assert_eq!(v.len(), 1);
                assert_eq!(v[0].code, Code::InvalidInput);
                assert!(v[0].message.contains("line breaks"), "{}", v[0].message);
            }
            other => panic!("{other:?}"),
        }
    }
}
