//! The walk behind [`super::estimate()`]: each fragment is costed once and remembered, so a
//! document whose fragments spread one another twice over (2^N fields once expanded) costs
//! N steps here, and arithmetic saturates instead of overflowing.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::{Name, Value, Variables};

use super::model::CostModel;

/// What a list without a known bound is counted as, and the most a page (`first`) counts.
pub const UNBOUNDED: u64 = 100;

/// What a selection costs, per object it is selected on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cost {
    /// Fields once fragments are spread out.
    pub fields: u64,
    /// Objects it may return, lists multiplied out.
    pub objects: u64,
}

impl Cost {
    fn add(self, other: Self) -> Self {
        Self {
            fields: self.fields.saturating_add(other.fields),
            objects: self.objects.saturating_add(other.objects),
        }
    }
}

/// Most fragments spread one inside another: the walk (and validation after it) recurses
/// once per level, and a megabyte of fragments each spreading the next must not exhaust the
/// stack. The parser allows 64 nested selection sets; the same here.
pub const MAX_SPREAD_NESTING: usize = 64;

/// Why a document has no finite cost.
#[derive(Debug, PartialEq, Eq)]
pub enum Unbounded {
    /// A fragment that spreads itself, directly or through others.
    Cycle(String),
    /// Fragments spread inside one another more than [`MAX_SPREAD_NESTING`] deep.
    Nesting,
}

pub struct Walker<'a> {
    model: &'a CostModel,
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    /// The default values of the costed operation's variables.
    defaults: HashMap<&'a str, &'a Value>,
    /// Fragments costed, by name and the page size they are spread under.
    done: HashMap<(&'a str, Option<u64>), Cost>,
    /// Fragments being costed: spreading one of them again is a cycle.
    active: HashSet<&'a str>,
}

impl<'a> Walker<'a> {
    pub fn new(
        model: &'a CostModel,
        doc: &'a ExecutableDocument,
        variables: &'a Variables,
    ) -> Self {
        Self {
            model,
            doc,
            variables,
            defaults: HashMap::new(),
            done: HashMap::new(),
            active: HashSet::new(),
        }
    }

    /// Costs `set` with the variable defaults of `op`.
    pub fn with_defaults(
        mut self,
        op: &'a async_graphql::parser::types::OperationDefinition,
    ) -> Self {
        self.defaults = op
            .variable_definitions
            .iter()
            .filter_map(|v| {
                v.node
                    .default_value
                    .as_ref()
                    .map(|d| (v.node.name.node.as_str(), &d.node))
            })
            .collect();
        self
    }

    /// The cost of a fragment definition, as validation visits it.
    pub fn fragment(&mut self, name: &'a Name) -> Result<Cost, Unbounded> {
        self.spread(name, None)
    }

    /// The cost of `set` on one object of type `on` (None: a type the schema does not
    /// have, whose fields count as scalars). `page` is the page size when the object is a
    /// page (its lists hold `page` items).
    pub fn set(
        &mut self,
        on: Option<&'a str>,
        set: &'a SelectionSet,
        page: Option<u64>,
    ) -> Result<Cost, Unbounded> {
        let mut cost = Cost::default();
        for item in &set.items {
            let part = match &item.node {
                Selection::Field(f) => self.field(on, &f.node, page)?,
                Selection::InlineFragment(f) => {
                    let on = match &f.node.type_condition {
                        Some(c) => self.known(c.node.on.node.as_str()),
                        None => on,
                    };
                    self.set(on, &f.node.selection_set.node, page)?
                }
                Selection::FragmentSpread(s) => self.spread(&s.node.fragment_name.node, page)?,
            };
            cost = cost.add(part);
        }
        Ok(cost)
    }

    fn known(&self, name: &'a str) -> Option<&'a str> {
        self.model.is_composite(name).then_some(name)
    }

    fn spread(&mut self, name: &'a Name, page: Option<u64>) -> Result<Cost, Unbounded> {
        let key = (name.as_str(), page);
        if let Some(cost) = self.done.get(&key) {
            return Ok(*cost);
        }
        // A fragment the document does not define: validation's to refuse.
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Ok(Cost::default());
        };
        if !self.active.insert(name.as_str()) {
            return Err(Unbounded::Cycle(name.to_string()));
        }
        if self.active.len() > MAX_SPREAD_NESTING {
            return Err(Unbounded::Nesting);
        }
        let on = self.known(fragment.node.type_condition.node.on.node.as_str());
        let cost = self.set(on, &fragment.node.selection_set.node, page)?;
        self.active.remove(name.as_str());
        self.done.insert(key, cost);
        Ok(cost)
    }

    fn field(
        &mut self,
        on: Option<&'a str>,
        field: &'a Field,
        page: Option<u64>,
    ) -> Result<Cost, Unbounded> {
        let name = field.name.node.as_str();
        let children = &field.selection_set.node;
        let model: &'a CostModel = self.model;
        let Some(costed) = on.and_then(|t| model.lookup(t, name)) else {
            // `__typename`, introspection (bounded by the schema, and by the guard at run
            // time), or a field validation will refuse: one object when it has a selection.
            let child = self.set(None, children, None)?;
            let own = u64::from(!children.items.is_empty());
            return Ok(Cost {
                fields: child.fields.saturating_add(1),
                objects: child.objects.saturating_add(own),
            });
        };
        let first = costed.page.map(|default| self.first(field, default));
        let count = if costed.lists == 0 {
            1
        } else {
            let outer = first
                .or_else(|| {
                    costed
                        .bounded_by
                        .as_deref()
                        .map(|arg| self.list_len(field, arg))
                })
                .or(page)
                .unwrap_or(UNBOUNDED);
            (1..costed.lists).fold(outer, |n, _| n.saturating_mul(UNBOUNDED))
        };
        if !costed.composite {
            return Ok(Cost {
                fields: 1,
                objects: 0,
            });
        }
        let inner_page = if costed.lists == 0 { first } else { None };
        let child = self.set(Some(costed.target.as_str()), children, inner_page)?;
        Ok(Cost {
            fields: child.fields.saturating_add(1),
            objects: count.saturating_mul(child.objects.saturating_add(1)),
        })
    }

    /// The value of an argument, its variables replaced by their values (or defaults);
    /// None when absent or when a variable has no value.
    fn argument(&self, field: &'a Field, arg: &str) -> Option<Value> {
        let (_, value) = field.arguments.iter().find(|(n, _)| n.node == arg)?;
        value
            .node
            .clone()
            .into_const_with(|name| {
                self.variables
                    .get(&name)
                    .cloned()
                    .or_else(|| self.defaults.get(name.as_str()).map(|d| (*d).clone()))
                    .ok_or(())
            })
            .ok()
    }

    /// `first`, from 0 to [`UNBOUNDED`]; absent, the schema's default, else [`UNBOUNDED`].
    fn first(&self, field: &'a Field, default: Option<u64>) -> u64 {
        match self.argument(field, "first") {
            Some(Value::Number(n)) => match n.as_i64() {
                Some(v) if v < 0 => 0,
                Some(v) => u64::try_from(v).unwrap_or(UNBOUNDED).min(UNBOUNDED),
                None => UNBOUNDED,
            },
            None | Some(Value::Null) => default.unwrap_or(UNBOUNDED).min(UNBOUNDED),
            Some(_) => UNBOUNDED,
        }
    }

    /// The length of a list argument (one item per element), else [`UNBOUNDED`].
    fn list_len(&self, field: &'a Field, arg: &str) -> u64 {
        match self.argument(field, arg) {
            Some(Value::List(items)) => u64::try_from(items.len()).unwrap_or(u64::MAX),
            // A single value is coerced to a list of one.
            Some(Value::String(_)) => 1,
            _ => UNBOUNDED,
        }
    }
}
