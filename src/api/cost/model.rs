//! What the cost pass needs to know of the schema, read from its SDL once at startup, so
//! that a field added tomorrow is costed by its declared type rather than by a table someone
//! must remember to update: which fields return objects, which return lists, which take
//! `first` (a page), and which take a list of IDs (one item per ID).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use async_graphql::parser::types::{
    BaseType, FieldDefinition, Type, TypeKind, TypeSystemDefinition,
};

/// The schema's fields, as costed.
#[derive(Debug, Default)]
pub struct CostModel {
    /// Object and interface types: their fields by name.
    types: HashMap<String, HashMap<String, FieldCost>>,
    /// Object, interface and union types (introspection's own included): what counts as an
    /// object.
    composite: HashSet<String>,
    /// Root types by operation: query, mutation, subscription.
    roots: [String; 3],
}

/// How one field is costed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCost {
    /// The named type it returns, wrappers removed.
    pub target: String,
    /// How many list wrappers the type has (`[[T]]` is 2).
    pub lists: u8,
    /// It returns an object (or interface, or union).
    pub composite: bool,
    /// It takes `first`: the default the schema declares for it, if any.
    pub page: Option<Option<u64>>,
    /// The name of a list argument of IDs that bounds a list (`nodes(ids:)`).
    pub bounded_by: Option<String>,
}

/// The introspection types that are objects (the SDL leaves them out).
const INTROSPECTION_OBJECTS: [&str; 6] = [
    "__Schema",
    "__Type",
    "__Field",
    "__InputValue",
    "__EnumValue",
    "__Directive",
];

impl CostModel {
    /// The model of `sdl`; an SDL that does not parse gives an empty model (every field then
    /// costs as a scalar, and validation refuses what the schema does not know).
    pub fn from_sdl(sdl: &str) -> Self {
        let mut model = Self {
            roots: ["Query".into(), "Mutation".into(), "Subscription".into()],
            composite: INTROSPECTION_OBJECTS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            ..Self::default()
        };
        let Ok(doc) = async_graphql::parser::parse_schema(sdl) else {
            return model;
        };
        let mut fields: Vec<(String, &[async_graphql::Positioned<FieldDefinition>])> = Vec::new();
        for def in &doc.definitions {
            match def {
                TypeSystemDefinition::Schema(s) => {
                    let s = &s.node;
                    for (slot, name) in [&s.query, &s.mutation, &s.subscription]
                        .into_iter()
                        .enumerate()
                    {
                        if let Some(name) = name {
                            model.roots[slot] = name.node.to_string();
                        }
                    }
                }
                TypeSystemDefinition::Type(t) => {
                    let name = t.node.name.node.to_string();
                    match &t.node.kind {
                        TypeKind::Object(o) => fields.push((name.clone(), &o.fields)),
                        TypeKind::Interface(i) => fields.push((name.clone(), &i.fields)),
                        TypeKind::Union(_) => {}
                        _ => continue,
                    }
                    model.composite.insert(name);
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        for (name, defs) in fields {
            let costed = defs
                .iter()
                .map(|f| (f.node.name.node.to_string(), model.field(&f.node)))
                .collect();
            model.types.insert(name, costed);
        }
        model
    }

    /// The model of this crate's schema, built once.
    pub fn shared() -> Arc<Self> {
        static MODEL: OnceLock<Arc<CostModel>> = OnceLock::new();
        Arc::clone(MODEL.get_or_init(|| Arc::new(Self::from_sdl(&crate::api::schema().sdl()))))
    }

    fn field(&self, def: &FieldDefinition) -> FieldCost {
        let (target, lists) = named(&def.ty.node);
        let page = def
            .arguments
            .iter()
            .find(|a| a.node.name.node == "first" && named(&a.node.ty.node) == ("Int", 0))
            .map(|a| {
                a.node.default_value.as_ref().and_then(|v| match &v.node {
                    async_graphql::Value::Number(n) => n.as_u64(),
                    _ => None,
                })
            });
        let bounded_by = def
            .arguments
            .iter()
            .find(|a| named(&a.node.ty.node) == ("ID", 1))
            .filter(|_| lists > 0)
            .map(|a| a.node.name.node.to_string());
        FieldCost {
            composite: self.composite.contains(target),
            target: target.to_owned(),
            lists,
            page,
            bounded_by,
        }
    }

    /// How `field` of `parent` is costed; None when the schema has no such field.
    pub fn lookup(&self, parent: &str, field: &str) -> Option<&FieldCost> {
        self.types.get(parent).and_then(|t| t.get(field))
    }

    /// Whether values of the type named `name` are objects.
    pub fn is_composite(&self, name: &str) -> bool {
        self.composite.contains(name)
    }

    /// The root type of query (0), mutation (1) or subscription (2) operations.
    pub fn root(&self, slot: usize) -> &str {
        &self.roots[slot.min(2)]
    }
}

/// The named type under a type's wrappers, and how many list wrappers it has.
fn named(ty: &Type) -> (&str, u8) {
    match &ty.base {
        BaseType::Named(n) => (n.as_str(), 0),
        BaseType::List(inner) => {
            let (n, d) = named(inner);
            (n, d.saturating_add(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_reads_lists_pages_and_id_bounds_from_the_sdl() {
        let model = CostModel::from_sdl(
            "type Query { a(first: Int = 7): AConn! b(first: Int): [B!]! nodes(ids: [ID!]!): [B]! n: Int grid: [[B]] }
             type AConn { edges: [B!]! total: Int! }
             type B { id: ID! tags: [String!]! }
             union U = B
             schema { query: Query }",
        );
        let a = model.lookup("Query", "a").expect("a");
        assert_eq!(
            (a.target.as_str(), a.lists, a.composite),
            ("AConn", 0, true)
        );
        assert_eq!(a.page, Some(Some(7)));
        assert_eq!(model.lookup("Query", "b").expect("b").page, Some(None));
        let nodes = model.lookup("Query", "nodes").expect("nodes");
        assert_eq!(nodes.bounded_by.as_deref(), Some("ids"));
        assert_eq!(nodes.page, None);
        assert_eq!(model.lookup("Query", "grid").expect("grid").lists, 2);
        let tags = model.lookup("B", "tags").expect("tags");
        assert!(!tags.composite && tags.lists == 1);
        assert!(model.is_composite("U") && model.is_composite("__Type"));
        assert!(!model.is_composite("String"));
        assert_eq!(model.root(0), "Query");
    }

    #[test]
    fn the_shared_model_knows_this_schema() {
        let model = CostModel::shared();
        let parties = model.lookup("Query", "stateParties").expect("stateParties");
        assert!(parties.composite && parties.page.is_some());
        let obligations = model
            .lookup("StateParty", "obligations")
            .expect("obligations");
        assert_eq!((obligations.lists, obligations.page.is_some()), (1, false));
        assert_eq!(model.root(1), "Mutation");
    }
}
