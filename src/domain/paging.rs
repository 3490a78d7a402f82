//! Mastodon's id-based paging, for queries over rows with increasing ids (snowflakes, or the row
//! ids of follows and favourites):
//!
//! - `max_id`: only items with `id < max_id` (older than it; "next page" in the `Link` header);
//! - `since_id`: only items with `id > since_id`, and of those the **newest** `limit`;
//! - `min_id`: only items with `id > min_id`, and of those the **oldest** `limit`, the ones right
//!   after `min_id` ("previous page"; Tusky fills gaps and polls notifications with it).
//!
//! Results are always returned newest first. A query scans descending, or ascending when
//! `min_id` is given, then [`Page::finish`] puts the rows back in order.

/// Largest page a client may ask for, and the default.
pub const MAX_LIMIT: i64 = 40;
pub const DEFAULT_LIMIT: i64 = 20;

/// A page to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    /// Already clamped to 1..=`MAX_LIMIT`.
    pub limit: i64,
}

/// Which way a page query scans the ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// `ORDER BY id DESC` (no `min_id`).
    Descending,
    /// `ORDER BY id ASC` (`min_id` given); reverse the rows afterwards.
    Ascending,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            max_id: None,
            since_id: None,
            min_id: None,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Page {
    /// A page with `limit` clamped as Mastodon does (default 20, at most 40, at least 1).
    pub fn new(
        max_id: Option<i64>,
        since_id: Option<i64>,
        min_id: Option<i64>,
        limit: Option<i64>,
    ) -> Page {
        Page {
            max_id,
            since_id,
            min_id,
            limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        }
    }

    /// The first (newest) page of `limit` items.
    pub fn first(limit: i64) -> Page {
        Page {
            limit,
            ..Page::default()
        }
    }

    /// Same, with another largest page size (Mastodon allows 80 for some account lists).
    pub fn with_max_limit(mut self, max: i64) -> Page {
        self.limit = self.limit.min(max);
        self
    }

    /// Exclusive upper bound: `id < upper`.
    pub fn upper(&self) -> Option<i64> {
        self.max_id
    }

    /// Exclusive lower bound: `id > lower` (the larger of `since_id` and `min_id`).
    pub fn lower(&self) -> Option<i64> {
        match (self.since_id, self.min_id) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn scan(&self) -> Scan {
        if self.min_id.is_some() {
            Scan::Ascending
        } else {
            Scan::Descending
        }
    }

    /// Puts rows fetched in [`Page::scan`] order back newest first.
    pub fn finish<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.scan() == Scan::Ascending {
            rows.reverse();
        }
        rows
    }

    /// The page applied to ids in memory (a reference for what a query must return).
    pub fn select(&self, ids: &[i64]) -> Vec<i64> {
        let mut matching: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| self.upper().is_none_or(|max| *id < max))
            .filter(|id| self.lower().is_none_or(|min| *id > min))
            .collect();
        match self.scan() {
            Scan::Descending => matching.sort_unstable_by(|a, b| b.cmp(a)),
            Scan::Ascending => matching.sort_unstable(),
        }
        matching.truncate(self.limit as usize);
        self.finish(matching)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_id_takes_the_newest_and_min_id_the_oldest() {
        let ids: Vec<i64> = (1..=10).collect();
        let page = |max, since, min, limit| Page::new(max, since, min, Some(limit));
        assert_eq!(page(None, None, None, 3).select(&ids), vec![10, 9, 8]);
        assert_eq!(page(Some(8), None, None, 3).select(&ids), vec![7, 6, 5]);
        assert_eq!(page(None, Some(4), None, 3).select(&ids), vec![10, 9, 8]);
        assert_eq!(page(None, None, Some(4), 3).select(&ids), vec![7, 6, 5]);
        assert_eq!(
            page(Some(9), None, Some(2), 10).select(&ids),
            vec![8, 7, 6, 5, 4, 3]
        );
    }

    #[test]
    fn limits_are_clamped() {
        assert_eq!(Page::new(None, None, None, None).limit, 20);
        assert_eq!(Page::new(None, None, None, Some(500)).limit, 40);
        assert_eq!(Page::new(None, None, None, Some(0)).limit, 1);
    }
}
