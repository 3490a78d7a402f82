//! v1 filters: each keyword of a v2 filter seen as a filter of its own (its id is the
//! keyword's; `irreversible` is the `hide` action).

use super::manage::{FilterInput, KeywordInput, check_text, create, list, update};
use crate::db::models::{FilterKeywordRow, FilterRow};
use crate::db::{Db, store};
use crate::error::AppError;

/// A v1 filter: one keyword of a v2 filter, with the filter's context, expiry and action
/// (`irreversible` is the `hide` action).
#[derive(Debug, Clone)]
pub struct V1Filter {
    pub keyword: FilterKeywordRow,
    pub filter: FilterRow,
}

/// What a v1 client sends.
#[derive(Debug, Clone, Default)]
pub struct V1Input {
    pub phrase: Option<String>,
    pub context: Option<Vec<String>>,
    pub irreversible: Option<bool>,
    pub whole_word: Option<bool>,
    pub expires_in: Option<Option<i64>>,
}

pub async fn v1_list(db: &Db, account_id: i64) -> Result<Vec<V1Filter>, AppError> {
    Ok(list(db, account_id)
        .await?
        .into_iter()
        .flat_map(|v| {
            let filter = v.filter;
            v.keywords.into_iter().map(move |keyword| V1Filter {
                keyword,
                filter: filter.clone(),
            })
        })
        .collect())
}

pub async fn v1_get(db: &Db, account_id: i64, id: i64) -> Result<V1Filter, AppError> {
    db.run(move |conn| {
        let (keyword, filter) =
            store::filters::find_keyword(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        Ok(V1Filter { keyword, filter })
    })
    .await
}

/// Creates a filter titled by its phrase, with that one keyword.
pub async fn v1_create(db: &Db, account_id: i64, input: V1Input) -> Result<V1Filter, AppError> {
    let phrase = check_text("Phrase", input.phrase.as_deref().unwrap_or_default())?;
    let created = create(
        db,
        account_id,
        FilterInput {
            title: Some(phrase.clone()),
            context: input.context,
            action: Some(
                if input.irreversible.unwrap_or(false) {
                    "hide"
                } else {
                    "warn"
                }
                .to_owned(),
            ),
            expires_in: input.expires_in,
            keywords: vec![KeywordInput {
                id: None,
                keyword: Some(phrase),
                whole_word: Some(input.whole_word.unwrap_or(true)),
                destroy: false,
            }],
        },
    )
    .await?;
    let keyword = created
        .keywords
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("a new v1 filter has no keyword"))?;
    Ok(V1Filter {
        keyword,
        filter: created.filter,
    })
}

/// Changes the keyword and its filter's context, action and expiry.
pub async fn v1_update(
    db: &Db,
    account_id: i64,
    id: i64,
    input: V1Input,
) -> Result<V1Filter, AppError> {
    let V1Filter { keyword, filter } = v1_get(db, account_id, id).await?;
    update(
        db,
        account_id,
        filter.id,
        FilterInput {
            title: None,
            context: input.context,
            action: input
                .irreversible
                .map(|hide| if hide { "hide" } else { "warn" }.to_owned()),
            expires_in: input.expires_in,
            keywords: vec![KeywordInput {
                id: Some(keyword.id),
                keyword: input.phrase,
                whole_word: input.whole_word,
                destroy: false,
            }],
        },
    )
    .await?;
    v1_get(db, account_id, id).await
}

/// Removes the keyword, and its filter when nothing is left in it.
pub async fn v1_delete(db: &Db, account_id: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        let (keyword, filter) =
            store::filters::find_keyword(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        store::filters::delete_keyword(conn, keyword.id)?;
        if store::filters::keywords_of(conn, &[filter.id])?.is_empty()
            && store::filters::statuses_of(conn, &[filter.id])?.is_empty()
        {
            store::filters::delete(conn, filter.id)?;
        }
        Ok(())
    })
    .await
}
