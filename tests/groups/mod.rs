//! Groups across instances: membership by following, posts relayed by the group, approval,
//! bans, members-only posts and moderators' deletions.

mod federation;
pub(crate) mod interop;
