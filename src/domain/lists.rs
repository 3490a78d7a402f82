//! Lists: named sets of followed accounts with their own timelines; exclusive lists keep their
//! members out of the home timeline.

use chrono::Utc;

use crate::db::models::{AccountRow, ListAccountRow, ListRow, StatusRow};
use crate::db::store::{self, Page};
use crate::db::{Db, DbConnection, ids};
use crate::error::AppError;

/// Which replies a list's timeline shows.
pub const REPLIES_POLICIES: &[&str] = &["followed", "list", "none"];
const TITLE_MAX: usize = 256;

/// What a client sends to create or change a list; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub title: Option<String>,
    pub replies_policy: Option<String>,
    pub exclusive: Option<bool>,
}

fn check_title(title: &str) -> Result<String, AppError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(AppError::Unprocessable(
            "Validation failed: Title can't be blank".to_owned(),
        ));
    }
    if title.chars().count() > TITLE_MAX {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: Title is too long (maximum is {TITLE_MAX} characters)"
        )));
    }
    Ok(title.to_owned())
}

fn check_policy(policy: &str) -> Result<String, AppError> {
    if REPLIES_POLICIES.contains(&policy) {
        Ok(policy.to_owned())
    } else {
        Err(AppError::Unprocessable(format!(
            "Validation failed: Replies policy \"{policy}\" is not one of followed, list, none"
        )))
    }
}

fn own(conn: &mut DbConnection, owner: i64, id: i64) -> Result<ListRow, AppError> {
    store::lists::find(conn, owner, id)?.ok_or(AppError::NotFound)
}

pub async fn all(db: &Db, owner: i64) -> Result<Vec<ListRow>, AppError> {
    db.run(move |conn| Ok(store::lists::of_account(conn, owner)?))
        .await
}

pub async fn get(db: &Db, owner: i64, id: i64) -> Result<ListRow, AppError> {
    db.run(move |conn| own(conn, owner, id)).await
}

pub async fn create(db: &Db, owner: i64, input: ListInput) -> Result<ListRow, AppError> {
    let title = check_title(input.title.as_deref().unwrap_or_default())?;
    let replies_policy = check_policy(input.replies_policy.as_deref().unwrap_or("list"))?;
    db.run(move |conn| {
        let now = Utc::now().naive_utc();
        let row = ListRow {
            id: ids::next_id(),
            account_id: owner,
            title,
            replies_policy,
            exclusive: input.exclusive.unwrap_or(false),
            created_at: now,
            updated_at: now,
        };
        store::lists::insert(conn, &row)?;
        Ok(row)
    })
    .await
}

pub async fn update(db: &Db, owner: i64, id: i64, input: ListInput) -> Result<ListRow, AppError> {
    db.transaction(move |conn| {
        let mut row = own(conn, owner, id)?;
        if let Some(title) = &input.title {
            row.title = check_title(title)?;
        }
        if let Some(policy) = &input.replies_policy {
            row.replies_policy = check_policy(policy)?;
        }
        if let Some(exclusive) = input.exclusive {
            row.exclusive = exclusive;
        }
        row.updated_at = Utc::now().naive_utc();
        store::lists::update(conn, &row)?;
        Ok(row)
    })
    .await
}

pub async fn delete(db: &Db, owner: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        own(conn, owner, id)?;
        store::lists::delete(conn, id)?;
        Ok(())
    })
    .await
}

/// A page of a list's members (newest addition first).
pub async fn members(
    db: &Db,
    owner: i64,
    id: i64,
    page: Page,
) -> Result<Vec<(ListAccountRow, AccountRow)>, AppError> {
    db.run(move |conn| {
        own(conn, owner, id)?;
        Ok(store::lists::members_page(conn, id, &page)?)
    })
    .await
}

/// Adds accounts the owner follows (or asked to follow) to a list.
pub async fn add_members(
    db: &Db,
    owner: i64,
    id: i64,
    account_ids: Vec<i64>,
) -> Result<(), AppError> {
    db.transaction(move |conn| {
        own(conn, owner, id)?;
        for account_id in account_ids {
            store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
            if store::relations::find_follow(conn, owner, account_id)?.is_none() {
                return Err(AppError::Unprocessable(
                    "Validation failed: You must be following an account to add it to a list"
                        .to_owned(),
                ));
            }
            store::lists::add_member(
                conn,
                &ListAccountRow {
                    id: ids::next_id(),
                    list_id: id,
                    account_id,
                    created_at: Utc::now().naive_utc(),
                },
            )?;
        }
        Ok(())
    })
    .await
}

pub async fn remove_members(
    db: &Db,
    owner: i64,
    id: i64,
    account_ids: Vec<i64>,
) -> Result<(), AppError> {
    db.transaction(move |conn| {
        own(conn, owner, id)?;
        store::lists::remove_members(conn, id, &account_ids)?;
        Ok(())
    })
    .await
}

/// The owner's lists that include an account.
pub async fn containing(db: &Db, owner: i64, account_id: i64) -> Result<Vec<ListRow>, AppError> {
    db.run(move |conn| {
        store::accounts::find_by_id(conn, account_id)?.ok_or(AppError::NotFound)?;
        Ok(store::lists::containing(conn, owner, account_id)?)
    })
    .await
}

/// A list's timeline, without the statuses of accounts the owner muted or blocked.
pub fn timeline(
    conn: &mut DbConnection,
    owner: i64,
    id: i64,
    page: &Page,
) -> Result<Vec<StatusRow>, AppError> {
    let list = own(conn, owner, id)?;
    let hidden = store::relations::hidden_accounts(conn, owner, Utc::now().naive_utc())?;
    Ok(store::lists::timeline(conn, &list, &hidden, page)?)
}

/// Drops from home timeline rows what the members of the owner's exclusive lists posted or
/// boosted.
pub fn without_exclusive(
    conn: &mut DbConnection,
    owner: i64,
    rows: Vec<StatusRow>,
) -> Result<Vec<StatusRow>, AppError> {
    let exclusive = store::lists::exclusive_members(conn, owner)?;
    if exclusive.is_empty() {
        return Ok(rows);
    }
    Ok(rows
        .into_iter()
        .filter(|s| !exclusive.contains(&s.account_id))
        .collect())
}
