"""Mastodon.py, with its default settings, against two running Kakehashi instances.

Covers every tier-1 call of ../shared/reference/mastodon-api.md that Mastodon.py has. Warnings
are errors (pytest.ini), so a version warning from Mastodon.py fails the suite. Tests share the
signed-in members (session fixtures in conftest.py) but each makes the posts it looks for.
"""

from __future__ import annotations

import threading
import uuid

import pytest
import requests
from mastodon import (
    Mastodon,
    MastodonNotFoundError,
    MastodonUnauthorizedError,
    StreamListener,
)

from conftest import (
    ALPHA_DOMAIN,
    ALPHA_URL,
    ALPHA_USER,
    BETA_DOMAIN,
    BETA_USER,
    eventually,
    png,
    sign_in,
)


def marker() -> str:
    """A word no other post contains, to find a post again."""
    return "k" + uuid.uuid4().hex[:12]


def ids(page) -> list[str]:
    return [item.id for item in page]


# ---- signing in, instance, version --------------------------------------------------------------


def test_signs_in_through_the_login_form(alpha, beta):
    me = alpha.account_verify_credentials()
    assert me.username == ALPHA_USER and me.acct == ALPHA_USER
    assert me.source.privacy in ("public", "unlisted", "private", "direct")
    assert me.avatar.startswith("http") and me.header.startswith("http")
    assert alpha.me().id == me.id
    assert alpha.app_verify_credentials().name == f"Kakehashi client test ({ALPHA_USER})"
    assert beta.account_verify_credentials().acct == BETA_USER


def test_reads_the_instance_and_its_version(alpha):
    assert alpha.retrieve_mastodon_version(fail_hard=True) == "4.2.0"
    assert alpha.verify_minimum_version("4.2.0") and not alpha.verify_minimum_version("4.3.0")
    v1 = alpha.instance_v1()
    assert v1.uri == ALPHA_DOMAIN and v1.version.startswith("4.2.0 (compatible; Kakehashi ")
    assert v1.urls.streaming_api == f"ws://{ALPHA_DOMAIN}"
    v2 = alpha.instance_v2()
    assert v2.domain == ALPHA_DOMAIN and v2.configuration.statuses.max_characters > 0
    assert alpha.instance().domain == ALPHA_DOMAIN
    assert alpha.instance_nodeinfo().software.name == "kakehashi"
    info = alpha.oauth_authorization_server_info()
    assert "authorization_code" in info.grant_types_supported
    assert info.token_endpoint == f"{ALPHA_URL}/oauth/token"
    assert alpha.instance_health()
    assert alpha.stream_healthy()
    assert isinstance(alpha.instance_rules(), list)
    assert isinstance(alpha.instance_peers(), list)
    assert isinstance(alpha.instance_activity(), list)
    assert alpha.instance_extended_description().content is not None


def test_version_check_on_accepts_every_tier_one_call():
    """The same client with Mastodon.py's version checking switched on ("created": each call must
    exist in the version the server claims) raises nothing and warns nothing."""
    client = sign_in(ALPHA_URL, ALPHA_USER)
    checked = Mastodon(
        access_token=client.access_token, api_base_url=ALPHA_URL, version_check_mode="created"
    )
    assert (checked.mastodon_major, checked.mastodon_minor) == (4, 2)
    me = checked.account_verify_credentials()
    posted = checked.status_post(f"version check {marker()}", visibility="unlisted")
    for call in (
        lambda: checked.timeline_home(limit=1),
        lambda: checked.timeline_public(limit=1),
        lambda: checked.timeline_hashtag("kakehashi", limit=1),
        lambda: checked.status(posted),
        lambda: checked.status_context(posted),
        lambda: checked.status_source(posted),
        lambda: checked.status_history(posted),
        lambda: checked.status_favourited_by(posted),
        lambda: checked.status_reblogged_by(posted),
        lambda: checked.account(me),
        lambda: checked.account_lookup(ALPHA_USER),
        lambda: checked.account_statuses(me, limit=1),
        lambda: checked.account_followers(me),
        lambda: checked.account_following(me),
        lambda: checked.account_relationships(me),
        lambda: checked.account_search(ALPHA_USER),
        lambda: checked.search_v2(ALPHA_USER),
        lambda: checked.notifications(limit=1),
        lambda: checked.bookmarks(),
        lambda: checked.favourites(),
        lambda: checked.follow_requests(),
        lambda: checked.mutes(),
        lambda: checked.blocks(),
        lambda: checked.lists(),
        lambda: checked.markers_get(["home"]),
        lambda: checked.preferences(),
        lambda: checked.filters(),
        lambda: checked.filters_v2(),
        lambda: checked.custom_emojis(),
        lambda: checked.announcements(),
        lambda: checked.trending_tags(),
        lambda: checked.suggestions(),
        lambda: checked.instance(),
    ):
        call()
    checked.status_delete(posted)


# ---- posting with an image ------------------------------------------------------------------------


def test_posts_with_an_image(alpha):
    media = alpha.media_post(
        png(), mime_type="image/png", description="a gradient", focus=(0.5, -0.25),
        file_name="gradient.png", synchronous=True,
    )
    assert media.type == "image" and media.url, media
    assert media.description == "a gradient"
    assert alpha.media(media).url == media.url
    updated = alpha.media_update(media, description="a blue gradient")
    assert updated.description == "a blue gradient"
    image = requests.get(media.url, timeout=10)
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")
    assert requests.get(media.preview_url, timeout=10).status_code == 200

    word = marker()
    key = f"idempotency-{word}"
    status = alpha.status_post(f"画像つき {word} #kakehashi", media_ids=[media], idempotency_key=key)
    again = alpha.status_post(f"画像つき {word} #kakehashi", media_ids=[media], idempotency_key=key)
    assert again.id == status.id, "the Idempotency-Key did not give back the first status"
    assert [m.id for m in status.media_attachments] == [media.id]
    assert status.media_attachments[0].description == "a blue gradient"
    assert word in status.content and status.account.acct == ALPHA_USER

    assert alpha.status(status).id == status.id
    assert alpha.status_source(status).text == f"画像つき {word} #kakehashi"
    edited = alpha.status_update(status, f"画像つき {word} (edited) #kakehashi", media_ids=[media])
    assert "edited" in edited.content and edited.edited_at is not None
    history = alpha.status_history(status)
    assert len(history) == 2 and "edited" in history[-1].content

    reply = alpha.status_reply(status, f"a reply {marker()}")
    context = alpha.status_context(status)
    assert reply.id in ids(context.descendants) and context.ancestors == []
    assert ids(alpha.status_context(reply).ancestors) == [status.id]

    assert status.id in ids(alpha.account_statuses(alpha.me(), only_media=True))
    # exclude_replies keeps replies to oneself, as Mastodon does.
    assert reply.id in ids(alpha.account_statuses(alpha.me(), exclude_replies=True))
    pinned = alpha.status_pin(status)
    assert pinned.pinned
    assert ids(alpha.account_statuses(alpha.me(), pinned=True)) == [status.id]
    alpha.status_unpin(status)

    tagged = alpha.timeline_hashtag("kakehashi")
    assert status.id in ids(tagged)
    assert status.id in ids(alpha.timeline_public(only_media=True, local=True))

    deleted = alpha.status_delete(reply)
    # Mastodon.py puts "@hanako " in front of a reply (it mentions whom it answers).
    assert deleted.id == reply.id and "a reply" in deleted.text
    with pytest.raises(MastodonNotFoundError):
        alpha.status(reply)


# ---- timelines and paging -----------------------------------------------------------------------


def test_pages_home_and_public_timelines(alpha):
    word = marker()
    posted = [alpha.status_post(f"page {i} {word}") for i in range(5)]
    newest_first = [s.id for s in reversed(posted)]

    first = alpha.timeline_home(limit=2)
    assert ids(first) == newest_first[:2]
    second = alpha.fetch_next(first)
    assert ids(second) == newest_first[2:4]
    third = alpha.fetch_next(second)
    assert ids(third)[:1] == newest_first[4:5]
    back = alpha.fetch_previous(third)
    assert ids(back) == newest_first[2:4]
    # Newer than the newest: an empty page, or None.
    assert not alpha.fetch_previous(first)

    everything = alpha.fetch_remaining(alpha.timeline_home(limit=3))
    assert newest_first == [i for i in ids(everything) if i in newest_first]

    local = alpha.timeline_public(local=True, limit=2)
    assert ids(local) == newest_first[:2]
    assert ids(alpha.fetch_next(local)) == newest_first[2:4]
    assert alpha.timeline_local(limit=1)[0].id == newest_first[0]
    assert newest_first[0] not in ids(alpha.timeline_public(remote=True))

    # since_id / min_id: the newest above it, or the ones right after it.
    assert ids(alpha.timeline_home(since_id=posted[1].id, limit=2)) == newest_first[:2]
    assert ids(alpha.timeline_home(min_id=posted[1].id, limit=2)) == [posted[3].id, posted[2].id]


# ---- following across instances ---------------------------------------------------------------


def test_follows_a_member_of_the_other_instance_and_sees_their_posts(alpha, beta, following):
    remote = following
    assert alpha.account(remote).acct == f"{BETA_USER}@{BETA_DOMAIN}"
    found = alpha.account_search(f"{BETA_USER}@{BETA_DOMAIN}", resolve=True)
    assert remote.id in ids(found)
    assert alpha.account_lookup(f"{BETA_USER}@{BETA_DOMAIN}").id == remote.id
    assert remote.id in ids(alpha.account_following(alpha.me()))
    # On beta, the member under test is a follower (a remote account there).
    me_on_beta = f"{ALPHA_USER}@{ALPHA_DOMAIN}"
    assert me_on_beta in [a.acct for a in beta.account_followers(beta.me())]

    word = marker()
    status = beta.status_post(f"from beta {word}")
    arrived = eventually(
        "beta's post in alpha's home timeline",
        lambda: [s for s in alpha.timeline_home(limit=20) if word in s.content],
    )
    assert arrived[0].account.id == remote.id and arrived[0].uri == status.uri
    assert word in alpha.account_statuses(remote)[0].content
    assert arrived[0].id in ids(alpha.timeline_public(remote=True))

    # A URL search finds the same post.
    assert [s.id for s in alpha.search_v2(status.uri, resolve=True).statuses] == [arrived[0].id]
    # search() picks v1 or v2 by the version the server claims (v2 since 2.4.1).
    assert remote.id in ids(alpha.search(f"{BETA_USER}@{BETA_DOMAIN}").accounts)


# ---- interactions and notifications -----------------------------------------------------------


def test_favourites_boosts_bookmarks_and_notifications(alpha, neighbour, beta, following):
    mine = alpha.status_post(f"mine {marker()}")
    neighbour_id = neighbour.me().id

    favourited = neighbour.status_favourite(mine)
    assert favourited.favourited and favourited.favourites_count == 1
    assert ids(alpha.status_favourited_by(mine)) == [neighbour_id]
    boosted = neighbour.status_reblog(mine)
    assert boosted.reblog.id == mine.id
    assert ids(alpha.status_reblogged_by(mine)) == [neighbour_id]
    followed = neighbour.account_follow(alpha.me())
    assert followed.following

    def of(kind):
        return [n for n in alpha.notifications(types=[kind]) if n.account.id == neighbour_id]

    favourite = eventually("a favourite notification", lambda: of("favourite"))[0]
    assert favourite.status.id == mine.id
    assert eventually("a reblog notification", lambda: of("reblog"))
    assert eventually("a follow notification", lambda: of("follow"))
    assert all(n.type != "favourite" for n in alpha.notifications(exclude_types=["favourite"]))
    assert alpha.notifications(id=favourite.id).id == favourite.id
    alpha.notifications_dismiss(favourite)
    assert favourite.id not in ids(alpha.notifications())

    unfavourited = neighbour.status_unfavourite(mine)
    assert not unfavourited.favourited and unfavourited.favourites_count == 0
    assert not neighbour.status_unreblog(mine).reblogged

    # Across instances: alpha favourites beta's post, beta is told.
    word = marker()
    theirs_on_beta = beta.status_post(f"favourite me {word}")
    theirs = eventually(
        "beta's post on alpha",
        lambda: [s for s in alpha.timeline_home(limit=20) if word in s.content],
    )[0]
    assert alpha.status_favourite(theirs).favourited
    assert theirs.id in ids(alpha.favourites())
    assert alpha.status_bookmark(theirs).bookmarked
    assert theirs.id in ids(alpha.bookmarks())
    assert not alpha.status_unbookmark(theirs).bookmarked
    remote_favourite = eventually(
        "the favourite notification on beta",
        lambda: [
            n for n in beta.notifications(types=["favourite"])
            if n.status.id == theirs_on_beta.id
        ],
    )[0]
    assert remote_favourite.account.acct == f"{ALPHA_USER}@{ALPHA_DOMAIN}"
    assert alpha.me().id in ids(alpha.status_favourited_by(theirs))

    alpha.notifications_clear()
    assert alpha.notifications() == []


# ---- streaming ----------------------------------------------------------------------------------


class Collector(StreamListener):
    def __init__(self):
        self.updates = []
        self.notifications = []
        self.errors = []
        self.changed = threading.Condition()

    def on_update(self, status):
        with self.changed:
            self.updates.append(status)
            self.changed.notify_all()

    def on_notification(self, notification):
        with self.changed:
            self.notifications.append(notification)
            self.changed.notify_all()

    def on_abort(self, err):
        self.errors.append(err)

    def wait_for(self, what, predicate, timeout=20.0):
        with self.changed:
            if not self.changed.wait_for(lambda: predicate(self), timeout=timeout):
                pytest.fail(f"no {what} over the stream within {timeout}s; errors: {self.errors}")


def test_streams_updates_over_server_sent_events(alpha, neighbour, beta, following):
    listener = Collector()
    handle = alpha.stream_user(listener, run_async=True, timeout=60)
    try:
        # The thread connects by itself; the answer's headers mean we are subscribed.
        eventually("the stream to connect", lambda: handle.connection is not None, timeout=10, interval=0.05)

        word = marker()
        beta.status_post(f"streamed across instances {word}")
        listener.wait_for(
            "update from beta", lambda c: any(word in s.content for s in c.updates)
        )
        update = next(s for s in listener.updates if word in s.content)
        assert update.account.acct == f"{BETA_USER}@{BETA_DOMAIN}"

        mine = alpha.status_post(f"stream me {marker()}")
        neighbour.status_favourite(mine)
        listener.wait_for(
            "favourite notification",
            lambda c: any(n.type == "favourite" and n.status.id == mine.id for n in c.notifications),
        )
        assert not listener.errors
    finally:
        # Closing waits for the reading thread, which wakes only with the next byte (the 30 s
        # keep-alive comment); the thread is a daemon, so let it finish on its own.
        threading.Thread(target=handle.close, daemon=True).start()


# ---- the rest of tier 1 ---------------------------------------------------------------------------


def test_updates_the_profile_and_answers_follow_requests(alpha, neighbour):
    # Mastodon.py sends a multipart form with fields_attributes[i][name] and source[privacy].
    updated = alpha.account_update_credentials(
        display_name="花子 (Mastodon.py)",
        note="自治体DXの担当です",
        avatar=png(80, 80),
        avatar_mime_type="image/png",
        fields=[("部署", "情報政策課"), ("Web", "https://example.org/")],
        default_privacy="unlisted",
    )
    assert updated.display_name == "花子 (Mastodon.py)"
    assert [f.name for f in updated.fields] == ["部署", "Web"]
    assert updated.source.privacy == "unlisted"
    assert updated.avatar.startswith("http")
    assert alpha.account_verify_credentials().source.note == "自治体DXの担当です"
    alpha.account_update_credentials(default_privacy="public")

    # A locked account gets requests, which it authorizes or rejects.
    me = alpha.me()
    assert neighbour.account_update_credentials(locked=True).locked
    try:
        asked = alpha.account_follow(neighbour.me())
        assert asked.requested and not asked.following
        assert me.id in ids(neighbour.follow_requests())
        relationship = neighbour.follow_request_authorize(me)
        assert relationship.followed_by
        assert neighbour.follow_requests() == []
        (rel,) = alpha.account_relationships(neighbour.me())
        assert rel.following
        alpha.account_unfollow(neighbour.me())
    finally:
        neighbour.account_update_credentials(locked=False)



def test_relationships_and_start_up_calls(alpha, neighbour, following):
    remote = following
    (rel,) = alpha.account_relationships(remote)
    assert rel.following and not rel.blocking and not rel.muting
    assert alpha.account_mute(remote).muting
    assert remote.id in ids(alpha.mutes())
    assert not alpha.account_unmute(remote).muting
    other = neighbour.me()
    assert alpha.account_block(other).blocking
    assert other.id in ids(alpha.blocks())
    assert not alpha.account_unblock(other).blocking
    assert alpha.follow_requests() == []

    assert alpha.custom_emojis() == []
    assert alpha.preferences()["posting:default:visibility"] in ("public", "unlisted", "private")
    assert alpha.filters() == [] and alpha.filters_v2() == []
    assert alpha.announcements() == []
    assert alpha.trending_tags() == [] and alpha.trending_statuses() == []
    assert alpha.trending_links() == [] and alpha.suggestions() == []
    assert alpha.followed_tags() == []
    created = alpha.list_create("同僚")
    assert created.id in ids(alpha.lists())
    alpha.list_delete(created)
    home = alpha.timeline_home(limit=1)[0]
    alpha.markers_set(["home"], [home])
    assert alpha.markers_get(["home"]).home.last_read_id == home.id
    with pytest.raises(MastodonNotFoundError):
        alpha.push_subscription()


def test_unfollows_and_revokes_the_token(alpha, beta):
    remote = alpha.search_v2(f"@{BETA_USER}@{BETA_DOMAIN}", resolve=True).accounts[0]
    assert not alpha.account_unfollow(remote).following
    client = sign_in(ALPHA_URL, ALPHA_USER)
    token = client.access_token
    assert client.account_verify_credentials().username == ALPHA_USER
    client.revoke_access_token(allow_http=True)
    stale = Mastodon(access_token=token, api_base_url=ALPHA_URL)
    with pytest.raises(MastodonUnauthorizedError):
        stale.account_verify_credentials()
