//! HTML by minijinja from `templates/reports/document.html`, autoescaped (the template's
//! name ends in `.html`); the charts' SVG is the one value marked safe (view.rs).

use std::sync::LazyLock;

use minijinja::{Environment, Value};

use super::view::{Charts, View};
use super::{Document, TypesetError};

const NAME: &str = "document.html";
const TEMPLATE: &str = include_str!("../../../templates/reports/document.html");

/// The environment with the template parsed, once per process; a template that does not
/// parse is an error of every render (and of the tests), not a panic at start.
static ENV: LazyLock<Result<Environment<'static>, String>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // A name the template reads and the view lacks is an error, never an empty string.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_template(NAME, TEMPLATE)
        .map_err(|e| format!("{e:#}"))?;
    Ok(env)
});

pub(super) fn render(document: &Document) -> Result<String, TypesetError> {
    let env = ENV.as_ref().map_err(|e| TypesetError(e.clone()))?;
    let view = Value::from_serialize(View::of(document, Charts::Inline));
    env.get_template(NAME)
        .and_then(|t| t.render(view))
        .map_err(|e| TypesetError(format!("{e:#}")))
}
