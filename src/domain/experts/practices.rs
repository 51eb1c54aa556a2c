//! Good practices: add, read, search by text (PostgreSQL `tsvector`, SQLite FTS5, as the
//! records), and the documents and experts each names, filtered by their own rules.
//!
//! Every signed-in user reads every practice ([`visibility::may_read_practices`]); a
//! practice's documents are those the records' rule lets the viewer read
//! ([`records::visibility`]), its experts those the experts' rule does
//! ([`visibility::readable`]): a delegation sees a practice without its RESTRICTED documents
//! and its inactive experts. Only ISU staff add practices; each addition is audited with the
//! documents and experts it names.
//!
//! A search is words, all present, in the title or the summary: the words as the records'
//! search reads them ([`records::search::check`]), handed to each engine as a bound value
//! (PostgreSQL `websearch_to_tsquery('simple', …)` over the generated `search` column;
//! SQLite FTS5 with each word quoted, so that no word is read as syntax).

use std::collections::{BTreeSet, HashMap};

use entity::enums::{ThematicArea, UserRole};
use entity::{
    expert, good_practice, good_practice_document, good_practice_expert, meeting_document,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::visibility;
use crate::auth::Viewer;
use crate::domain::records;
use crate::kernel::clock::now;
use crate::kernel::error::{Code, Refusals, ServiceError};
use crate::kernel::pagination::{self, Direction, Page, PageRequest};
use crate::kernel::uow::{Audited, Uow};
use crate::kernel::validate::{self, Lines, SHORT_TEXT, TEXT};

/// Most documents, and most experts, one practice names.
pub const MAX_LINKS: usize = 50;

impl Audited for good_practice::Model {
    const ENTITY_TYPE: &'static str = "GoodPractice";
    fn audit_id(&self) -> String {
        self.id.to_string()
    }
    fn audit_json(&self) -> serde_json::Value {
        json!({"title": self.title, "area": self.area, "stateCode": self.state_code,
               "summary": self.summary})
    }
}

/// `AddGoodPracticeInput`, as the API hands it over.
#[derive(Clone, Debug)]
pub struct NewPractice {
    pub title: String,
    pub area: ThematicArea,
    pub state_code: Option<String>,
    pub summary: String,
    pub document_ids: Vec<Uuid>,
    pub expert_ids: Vec<Uuid>,
}

/// `ids` without repeats, in their first order.
fn distinct(ids: &[Uuid]) -> Vec<Uuid> {
    let mut seen = BTreeSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

/// Refuses a list of more than [`MAX_LINKS`] IDs, and IDs of `found` that name nothing.
fn check_links(r: &mut Refusals, field: &str, what: &str, ids: &[Uuid], found: &BTreeSet<Uuid>) {
    if ids.len() > MAX_LINKS {
        r.push(
            Code::InvalidInput,
            &["input", field],
            format!("A good practice names at most {MAX_LINKS} {what}s."),
        );
    } else if ids.iter().any(|id| !found.contains(id)) {
        r.push(
            Code::NotFound,
            &["input", field],
            format!("No such {what}."),
        );
    }
}

/// `addGoodPractice` (ISU staff). The title is 1 to 200 characters on one line, the summary
/// 1 to 10 000; the State, when given, exists; every document and expert named exists (IDs
/// given twice count once). Written with its links and one audit entry in one transaction.
pub async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    new: NewPractice,
) -> Result<good_practice::Model, ServiceError> {
    let actor = viewer
        .require_role(&[UserRole::IsuStaff, UserRole::IsuAdmin])?
        .user_id;
    let mut r = Refusals::default();
    validate::required(
        &mut r,
        &["input", "title"],
        &new.title,
        SHORT_TEXT,
        Lines::One,
    );
    validate::required(
        &mut r,
        &["input", "summary"],
        &new.summary,
        TEXT,
        Lines::Many,
    );
    let state_code = validate::trimmed(new.state_code).map(|c| c.to_uppercase());
    if let Some(code) = &state_code
        && crate::domain::states::service::by_code(db, code)
            .await?
            .is_none()
    {
        r.push(
            Code::NotFound,
            &["input", "stateCode"],
            format!("No State has the code {code}."),
        );
    }
    let documents = distinct(&new.document_ids);
    let experts = distinct(&new.expert_ids);
    let found_documents: BTreeSet<Uuid> = if documents.is_empty() || documents.len() > MAX_LINKS {
        BTreeSet::new()
    } else {
        meeting_document::Entity::find()
            .filter(meeting_document::Column::Id.is_in(documents.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect()
    };
    check_links(
        &mut r,
        "documentIds",
        "document",
        &documents,
        &found_documents,
    );
    let found_experts: BTreeSet<Uuid> = if experts.is_empty() || experts.len() > MAX_LINKS {
        BTreeSet::new()
    } else {
        expert::Entity::find()
            .filter(expert::Column::Id.is_in(experts.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    check_links(&mut r, "expertIds", "expert", &experts, &found_experts);
    r.finish()?;
    let uow = Uow::begin(db, Some(actor), "addGoodPractice").await?;
    let t = now();
    let created = good_practice::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(new.title.trim().to_owned()),
        area: Set(new.area),
        state_code: Set(state_code),
        summary: Set(new.summary.trim().to_owned()),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(uow.txn())
    .await?;
    if !documents.is_empty() {
        good_practice_document::Entity::insert_many(documents.iter().map(|d| {
            good_practice_document::ActiveModel {
                practice_id: Set(created.id),
                document_id: Set(*d),
            }
        }))
        .exec(uow.txn())
        .await?;
    }
    if !experts.is_empty() {
        // An expert erased meanwhile fails the foreign key: the whole addition is undone.
        good_practice_expert::Entity::insert_many(experts.iter().map(|e| {
            good_practice_expert::ActiveModel {
                practice_id: Set(created.id),
                expert_id: Set(*e),
            }
        }))
        .exec(uow.txn())
        .await?;
    }
    let mut after = created.audit_json();
    after["documentIds"] = json!(documents);
    after["expertIds"] = json!(experts);
    uow.record(
        good_practice::Model::ENTITY_TYPE,
        created.id,
        None,
        Some(after),
    )
    .await?;
    uow.commit().await?;
    Ok(created)
}

/// The practices of `ids` that `viewer` may read.
pub async fn get_many(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<Vec<good_practice::Model>, ServiceError> {
    if ids.is_empty() || !visibility::may_read_practices(viewer) {
        return Ok(Vec::new());
    }
    Ok(good_practice::Entity::find()
        .filter(good_practice::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// The condition that keeps the practices whose title or summary hold every word of
/// `search`, on `backend`'s engine; the query a bound value.
fn matching(backend: DatabaseBackend, search: &str) -> Result<Expr, ServiceError> {
    let words = records::search::check(search).map_err(|_| {
        ServiceError::refused(
            Code::InvalidInput,
            &["search"],
            format!(
                "`search` must hold a word and be at most {} characters.",
                records::search::MAX_QUERY
            ),
        )
    })?;
    let q = records::search::quoted(&words);
    match backend {
        DatabaseBackend::Postgres => Ok(Expr::cust_with_values(
            "good_practices.search @@ websearch_to_tsquery('simple', $1)",
            [q],
        )),
        DatabaseBackend::Sqlite => Ok(Expr::cust_with_values(
            "good_practices.id IN (SELECT id FROM good_practices_fts \
                 WHERE good_practices_fts MATCH ?)",
            [q],
        )),
        other => Err(ServiceError::Internal(format!(
            "no full-text search on {other:?}"
        ))),
    }
}

/// A page of practices, in `area` and matching `search` (words all present) when given;
/// newest first. A blank search is no search; one without a word, or longer than the
/// records' search allows, is refused. Signed-in users.
pub async fn list(
    db: &DatabaseConnection,
    viewer: &Viewer,
    area: Option<ThematicArea>,
    search: Option<String>,
    page: PageRequest,
) -> Result<Page<good_practice::Model>, ServiceError> {
    viewer.require()?;
    let mut q = good_practice::Entity::find();
    if let Some(area) = area {
        q = q.filter(good_practice::Column::Area.eq(area));
    }
    if let Some(search) = validate::trimmed(search) {
        q = q.filter(matching(db.get_database_backend(), &search)?);
    }
    let after = page.after_id()?;
    Ok(pagination::fetch(
        db,
        q,
        good_practice::Column::Id,
        Direction::Descending,
        after,
        page.limit,
    )
    .await?)
}

/// The newest `limit` practices of each of `areas` that `viewer` may read (a need's
/// practices), in one statement. Every area asked for is in the answer.
pub async fn in_areas(
    db: &DatabaseConnection,
    viewer: &Viewer,
    areas: &[ThematicArea],
    limit: u64,
) -> Result<HashMap<ThematicArea, Vec<good_practice::Model>>, ServiceError> {
    if !visibility::may_read_practices(viewer) || limit == 0 {
        return Ok(areas.iter().map(|a| (*a, Vec::new())).collect());
    }
    let pages = pagination::fetch_grouped(
        db,
        good_practice::Entity::find(),
        good_practice::Column::Area,
        areas,
        |p: &good_practice::Model| p.area,
        good_practice::Column::Id,
        Direction::Descending,
        None::<Uuid>,
        limit,
    )
    .await?;
    Ok(pages.into_iter().map(|(a, p)| (a, p.items)).collect())
}

/// The links of the practices of `ids` (pairs practice, other), in one statement.
async fn links<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
    documents: bool,
) -> Result<Vec<(Uuid, Uuid)>, ServiceError> {
    Ok(if documents {
        good_practice_document::Entity::find()
            .filter(good_practice_document::Column::PracticeId.is_in(ids.iter().copied()))
            .all(conn)
            .await?
            .into_iter()
            .map(|l| (l.practice_id, l.document_id))
            .collect()
    } else {
        good_practice_expert::Entity::find()
            .filter(good_practice_expert::Column::PracticeId.is_in(ids.iter().copied()))
            .all(conn)
            .await?
            .into_iter()
            .map(|l| (l.practice_id, l.expert_id))
            .collect()
    })
}

/// Hands each practice of `ids` the rows its links name, in the rows' order; every practice
/// asked for is in the answer.
fn group<M: Clone>(
    ids: &[Uuid],
    links: &[(Uuid, Uuid)],
    rows: Vec<M>,
    id_of: impl Fn(&M) -> Uuid,
) -> HashMap<Uuid, Vec<M>> {
    let mut out: HashMap<Uuid, Vec<M>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    let mut of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (practice, other) in links {
        of.entry(*other).or_default().push(*practice);
    }
    for row in rows {
        for practice in of.get(&id_of(&row)).into_iter().flatten() {
            out.entry(*practice).or_default().push(row.clone());
        }
    }
    out
}

/// The documents each practice of `ids` names that `viewer` may read, oldest first; two
/// statements whatever the number of practices.
pub async fn documents_of(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<meeting_document::Model>>, ServiceError> {
    if ids.is_empty() || !visibility::may_read_practices(viewer) {
        return Ok(ids.iter().map(|id| (*id, Vec::new())).collect());
    }
    let links = links(db, ids, true).await?;
    let named: BTreeSet<Uuid> = links.iter().map(|(_, d)| *d).collect();
    let rows = if named.is_empty() {
        Vec::new()
    } else {
        meeting_document::Entity::find()
            .filter(meeting_document::Column::Id.is_in(named))
            .filter(records::visibility::readable(
                viewer,
                meeting_document::Column::Access,
            ))
            .order_by_asc(meeting_document::Column::Id)
            .all(db)
            .await?
    };
    Ok(group(ids, &links, rows, |d| d.id))
}

/// The experts each practice of `ids` names that `viewer` may read, by name; two statements
/// whatever the number of practices.
pub async fn experts_of(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<expert::Model>>, ServiceError> {
    if ids.is_empty() || !visibility::may_read_practices(viewer) {
        return Ok(ids.iter().map(|id| (*id, Vec::new())).collect());
    }
    let links = links(db, ids, false).await?;
    let named: BTreeSet<Uuid> = links.iter().map(|(_, e)| *e).collect();
    let rows = if named.is_empty() {
        Vec::new()
    } else {
        expert::Entity::find()
            .filter(expert::Column::Id.is_in(named))
            .filter(visibility::readable(viewer))
            .order_by_asc(expert::Column::FullName)
            .order_by_asc(expert::Column::Id)
            .all(db)
            .await?
    };
    Ok(group(ids, &links, rows, |e| e.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_grouped_by_practice_in_the_rows_order() {
        let (p, q) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let (a, b, c) = (
            Uuid::from_u128(10),
            Uuid::from_u128(11),
            Uuid::from_u128(12),
        );
        let links = [(p, b), (p, a), (q, a)];
        let grouped = group(&[p, q, Uuid::from_u128(3)], &links, vec![a, b, c], |x| *x);
        assert_eq!(grouped[&p], [a, b]);
        assert_eq!(grouped[&q], [a]);
        assert!(grouped[&Uuid::from_u128(3)].is_empty());
    }

    #[test]
    fn the_words_are_a_bound_value_on_both_engines() {
        use sea_orm::QueryTrait;
        for backend in [DatabaseBackend::Sqlite, DatabaseBackend::Postgres] {
            let q = good_practice::Entity::find()
                .filter(good_practice::Column::Title.eq("x"))
                .filter(matching(backend, "Fencing OR 'x'").expect("words"))
                .build(backend);
            assert!(!q.sql.contains("fencing"), "{}", q.sql);
            let values = q.values.map(|v| v.0).unwrap_or_default();
            assert_eq!(
                values,
                [
                    sea_orm::Value::from("x"),
                    sea_orm::Value::from("\"fencing\" \"or\" \"x\"")
                ],
                "{backend:?}"
            );
        }
    }

    #[test]
    fn searches_are_words() {
        assert!(matching(DatabaseBackend::Sqlite, "marking; fencing").is_ok());
        assert!(matching(DatabaseBackend::Sqlite, "!!!").is_err());
        assert!(matching(DatabaseBackend::Postgres, &"a ".repeat(400)).is_err());
    }
}
