//! Rows as read from the database (`*Row`) and as written (`New*`, `*Changes`).

pub mod account;
pub mod client;
pub mod event;
pub mod federation;
pub mod filter;
pub mod group;
pub mod list;
pub mod media;
pub mod oauth;
pub mod relation;
pub mod settings;
pub mod status;

pub use account::{AccountRow, NewAccount, NewUser, UserRow};
pub use client::{
    ConversationMarkRow, EndorsementRow, IdempotencyKeyRow, MarkerRow, StatusApplicationRow,
};
pub use event::{
    CalendarTokenRow, EventRow, EventSeriesRow, NewParticipant, ParticipantRow, PartnerRow,
};
pub use federation::{ActivityRow, DeliveryRow, InstanceRow, ReceivedActivityRow};
pub use filter::{FilterKeywordRow, FilterRow, FilterStatusRow};
pub use group::{
    GroupBanRow, GroupInviteRow, GroupReportRow, GroupRoleRow, GroupRow, ModerationLogRow,
};
pub use list::{ListAccountRow, ListRow};
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
