//! Rows as read from the database (`*Row`) and as written (`New*`, `*Changes`).

pub mod account;
pub mod relation;
pub mod status;

pub use account::{AccountRow, NewAccount, NewUser, UserRow};
pub use relation::{
    BlockRow, BookmarkRow, FavouriteRow, FeedEntryRow, FollowRow, MuteRow, NotificationRow, PinRow,
    TombstoneRow,
};
pub use status::{
    MentionRow, NewStatus, StatusChanges, StatusEditRow, StatusRow, StatusTagRow, TagRow,
};
