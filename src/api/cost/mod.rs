//! Query cost, checked before async-graphql validates a document.
//!
//! Validation expands fragment spreads wherever they occur, so a kilobyte whose fragments
//! each spread the previous one twice takes exponential time to validate, before any limit
//! of async-graphql's applies; and its complexity counts a list without `first` as one item,
//! so six nested lists pass as cheap and return hundreds of thousands of objects. This pass
//! reads the parsed document once, each fragment costed once ([`estimate()`]), and refuses
//! with `QUERY_TOO_COMPLEX` what would expand to too many fields or could return too many
//! objects, before validation or execution start:
//!
//! - fields: every operation and fragment definition of the document, spread out, as
//!   validation visits them all whichever operation is selected;
//! - objects: the selected operation's, a page counting its `first` (absent: the schema's
//!   default, else 100; at most 100), a list bounded by a list of IDs counting one per ID,
//!   any other list 100, nesting multiplying (the model: [`model::CostModel`], read from the
//!   schema).
//!
//! A model can be wrong, so [`Budget`] counts the objects the lists actually hold as they are
//! resolved and stops an operation past a hard cap; and `crate::http` bounds the bytes of a
//! response.

mod estimate;
mod guard;
pub mod model;

use std::sync::Arc;

use async_graphql::Variables;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};

pub use estimate::{Cost, MAX_SPREAD_NESTING, UNBOUNDED, Unbounded};
pub use guard::{Budget, Objects, charge};
pub use model::CostModel;

use super::limits::Refusal;
use crate::kernel::config::Settings;

/// `extensions.code` of a request refused for its cost, before or while it runs.
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

/// The configured limits (see the README, "Security").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CostLimits {
    /// Most fields a document may expand to (`ISU_MAX_QUERY_FIELDS`).
    pub max_fields: u64,
    /// Most objects the selected operation may be estimated to return
    /// (`ISU_MAX_QUERY_OBJECTS`).
    pub max_objects: u64,
    /// Most objects one operation may resolve (`ISU_MAX_RESOLVED_OBJECTS`).
    pub max_resolved_objects: u64,
    /// Most bytes of one response body (`ISU_MAX_RESPONSE_BYTES`).
    pub max_response_bytes: usize,
}

impl CostLimits {
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            max_fields: settings.max_query_fields,
            max_objects: settings.max_query_objects,
            max_resolved_objects: settings.max_resolved_objects,
            max_response_bytes: settings.max_response_bytes,
        }
    }
}

/// The limits and the schema's model, shared by every request.
#[derive(Clone)]
pub struct QueryCost {
    pub limits: CostLimits,
    pub model: Arc<CostModel>,
}

impl QueryCost {
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            limits: CostLimits::from_settings(settings),
            model: CostModel::shared(),
        }
    }

    /// The estimate of `doc`, or the refusal of a document over the limits (or with a
    /// fragment cycle).
    pub fn check(
        &self,
        doc: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> Result<DocumentCost, Refusal> {
        let cost = estimate(&self.model, doc, operation_name, variables).map_err(|u| {
            too_complex(match u {
                Unbounded::Cycle(f) => format!(
                    "Fragment `{f}` spreads itself, directly or through other fragments: it \
                     never ends."
                ),
                Unbounded::Nesting => format!(
                    "Fragments are spread inside one another more than {MAX_SPREAD_NESTING} \
                     deep."
                ),
            })
        })?;
        let limits = &self.limits;
        if cost.fields > limits.max_fields {
            return Err(too_complex(format!(
                "The document expands to {} fields once its fragments are spread, at most {}.",
                cost.fields, limits.max_fields
            )));
        }
        if cost.objects > limits.max_objects {
            return Err(too_complex(format!(
                "The query may return about {} objects, at most {}: ask for smaller pages \
                 (`first`) or fewer nested lists (a list without `first` counts 100).",
                cost.objects, limits.max_objects
            )));
        }
        Ok(cost)
    }

    /// A fresh run-time budget for one operation.
    pub fn budget(&self) -> Budget {
        Budget::new(self.limits.max_resolved_objects)
    }
}

/// What a document costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocumentCost {
    /// Fields of every operation and fragment definition, spread out.
    pub fields: u64,
    /// Objects the selected operation may return.
    pub objects: u64,
}

/// The cost of `doc` when `operation_name` runs with `variables`. When no operation goes by
/// that name (validation refuses the document), the costliest one counts. Linear in the
/// document's size: each fragment is costed once per page size it is spread under.
pub fn estimate(
    model: &CostModel,
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Result<DocumentCost, Unbounded> {
    let root = |ty: OperationType| {
        model.root(match ty {
            OperationType::Query => 0,
            OperationType::Mutation => 1,
            OperationType::Subscription => 2,
        })
    };
    // Fields, as validation visits them: every fragment definition, every operation.
    let mut walker = estimate::Walker::new(model, doc, variables);
    let mut fields = 0u64;
    for name in doc.fragments.keys() {
        fields = fields.saturating_add(walker.fragment(name)?.fields);
    }
    let mut selected = Vec::new();
    for (name, op) in doc.operations.iter() {
        let on = root(op.node.ty);
        fields = fields.saturating_add(
            walker
                .set(Some(on), &op.node.selection_set.node, None)?
                .fields,
        );
        let chosen = match (&doc.operations, operation_name) {
            (DocumentOperations::Single(_), _) => true,
            (DocumentOperations::Multiple(ops), Some(wanted)) if ops.contains_key(wanted) => {
                name.is_some_and(|n| n.as_str() == wanted)
            }
            _ => true,
        };
        if chosen {
            selected.push((on, &op.node));
        }
    }
    // Objects, for the operation that runs, with its variables' defaults.
    let mut objects = 0u64;
    for (on, op) in selected {
        let mut walker = estimate::Walker::new(model, doc, variables).with_defaults(op);
        objects = objects.max(walker.set(Some(on), &op.selection_set.node, None)?.objects);
    }
    Ok(DocumentCost { fields, objects })
}

/// A refusal for cost.
pub fn too_complex(message: String) -> Refusal {
    Refusal {
        code: QUERY_TOO_COMPLEX,
        message,
    }
}

#[cfg(test)]
mod tests;
