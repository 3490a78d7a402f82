//! Rows as read from the database (`*Row`) and as written (`New*`, `*Changes`).

pub mod account;
pub mod federation;
pub mod relation;
pub mod status;

pub use account::{AccountRow, NewAccount, NewUser, UserRow};
pub use federation::{ActivityRow, DeliveryRow, InstanceRow, ReceivedActivityRow};
pub use relation::{
    BlockRow, BookmarkRow, FavouriteRow, FeedEntryRow, FollowRow, MuteRow, NotificationRow, PinRow,
    TombstoneRow,
};
pub use status::{
    MentionRow, NewStatus, StatusChanges, StatusEditRow, StatusRow, StatusTagRow, TagRow,
};
