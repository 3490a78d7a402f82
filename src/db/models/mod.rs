//! Rows as read from the database (`*Row`) and as written (`New*`, `*Changes`).

pub mod account;
pub mod federation;
pub mod group;
pub mod media;
pub mod oauth;
pub mod relation;
pub mod settings;
pub mod status;

pub use account::{AccountRow, NewAccount, NewUser, UserRow};
pub use federation::{ActivityRow, DeliveryRow, InstanceRow, ReceivedActivityRow};
pub use group::{
    GroupBanRow, GroupInviteRow, GroupReportRow, GroupRoleRow, GroupRow, ModerationLogRow,
};
pub use media::{MediaProcessed, MediaRow};
pub use oauth::{AccessTokenRow, ApplicationRow, AuthorizationCodeRow, ServerSecretRow};
pub use relation::{
    BlockRow, BookmarkRow, FavouriteRow, FeedEntryRow, FollowRow, MuteRow, NotificationRow, PinRow,
    TombstoneRow,
};
pub use settings::UserSettingsRow;
pub use status::{
    MentionRow, NewStatus, StatusChanges, StatusEditRow, StatusRow, StatusTagRow, TagRow,
};
