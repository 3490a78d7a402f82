//! What a change causes beyond its rows: activities to send to other instances and events for
//! live streams. Collected while the change runs, written (activities) in the same transaction and
//! published (events) after it commits.

use crate::db::models::{AccountRow, BlockRow, FavouriteRow, FollowRow, PartnerRow, StatusRow};

/// An activity to send, described by what happened; `federation_glue::outbox` turns it into JSON
/// and recipients inside the same transaction.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "a handful per change, gone once rendered; boxing would only add noise"
)]
pub enum Outgoing {
    /// A local status was posted (or a boost: `Announce`).
    CreateStatus {
        status_id: i64,
    },
    /// A local status was edited.
    UpdateStatus {
        status_id: i64,
    },
    /// A local status was deleted; the rows are gone, so what is needed is kept here, with the
    /// inboxes that had received it.
    DeleteStatus {
        status: StatusRow,
        inboxes: Vec<String>,
    },
    /// A local boost was undone.
    UndoAnnounce {
        reblog: StatusRow,
        inboxes: Vec<String>,
    },
    Follow {
        follow: FollowRow,
        target: AccountRow,
    },
    UndoFollow {
        follow: FollowRow,
        target: AccountRow,
    },
    /// A local account accepts a remote follower.
    AcceptFollow {
        follow: FollowRow,
        follower: AccountRow,
    },
    /// A local account rejects (or removes) a remote follower.
    RejectFollow {
        follow: FollowRow,
        follower: AccountRow,
    },
    Like {
        favourite: FavouriteRow,
        status: StatusRow,
    },
    UndoLike {
        favourite: FavouriteRow,
        status: StatusRow,
    },
    Block {
        block: BlockRow,
        target: AccountRow,
    },
    UndoBlock {
        block: BlockRow,
        target: AccountRow,
    },
    /// A local actor's profile changed.
    UpdateActor {
        account_id: i64,
    },
    /// A local group relays a post it accepted (FEP-1b12 `Announce(Create)`): the activity as
    /// received from a remote author, or (for local authors) our own `Create`.
    GroupRelay {
        group_id: i64,
        status_id: i64,
        activity: Option<serde_json::Value>,
    },
    /// A moderator removed a post from a local group: the group announces the deletion and undoes
    /// its boost.
    GroupDelete {
        group_id: i64,
        moderator: AccountRow,
        object_ap_id: String,
        boost: Option<StatusRow>,
        inboxes: Vec<String>,
    },
    /// Our instance actor follows a partner instance's actor or a relay.
    PartnerFollow {
        partner: PartnerRow,
        target: AccountRow,
    },
    /// Our instance actor stops following a partner or relay.
    PartnerUndo {
        partner: PartnerRow,
        target: AccountRow,
    },
    /// Taking part in an event across servers.
    Rsvp(RsvpOutgoing),
}

/// Event participation activities (`federation_glue::events` renders them).
#[derive(Debug, Clone)]
pub enum RsvpOutgoing {
    /// `Accept` or `Reject` of a remote participant's `Join` to a local event.
    Answer { participant_id: i64, accept: bool },
    /// A local member's `Join` to a remote event.
    Join { participant_id: i64 },
    /// A local member's `Leave` of a remote event (the participation is gone already).
    Leave {
        event_id: i64,
        account_id: i64,
        join_ap_id: Option<String>,
    },
}

/// Something live streams may want to show.
#[derive(Debug, Clone)]
pub enum StreamEvent {
    /// A status (or boost) is new. `home` lists the local members whose home feed received it.
    StatusCreated {
        status_id: i64,
        home: Vec<i64>,
    },
    StatusUpdated {
        status_id: i64,
    },
    StatusDeleted {
        status_id: i64,
    },
    Notification {
        account_id: i64,
        notification_id: i64,
    },
}

/// The effects of one change.
#[derive(Debug, Default)]
pub struct Effects {
    pub outgoing: Vec<Outgoing>,
    pub events: Vec<StreamEvent>,
}

impl Effects {
    pub fn send(&mut self, outgoing: Outgoing) {
        self.outgoing.push(outgoing);
    }

    pub fn publish(&mut self, event: StreamEvent) {
        self.events.push(event);
    }
}
