// masto.js against two running Kakehashi instances (started by tests/clients/run): sign in through
// our login form, post with an image, page timelines through `Link` headers with masto's
// paginator, follow a member of the other instance, favourite, notifications, and an update over
// the WebSocket streaming API. Steps the tests share are memoised, so each test can run alone.

import assert from "node:assert/strict";
import { test } from "node:test";

import { createStreamingAPIClient } from "masto";

import {
  ALPHA_DOMAIN,
  ALPHA_NEIGHBOUR,
  ALPHA_URL,
  ALPHA_USER,
  BETA_DOMAIN,
  BETA_URL,
  BETA_USER,
  CALLBACK,
  LoopbackWebSocket,
  collect,
  eventually,
  marker,
  once,
  png,
  signIn,
  sleep,
} from "./support.mjs";

const alpha = once(() => signIn(ALPHA_URL, ALPHA_USER));
const neighbour = once(() => signIn(ALPHA_URL, ALPHA_NEIGHBOUR, { redirectUri: CALLBACK }));
const beta = once(() => signIn(BETA_URL, BETA_USER, { redirectUri: CALLBACK, pkce: true }));

const ids = (items) => items.map((item) => item.id);
const REMOTE_ACCT = `${BETA_USER}@${BETA_DOMAIN}`;

/** The member under test follows the beta member (found by v2 search), and beta has accepted. */
const following = once(async () => {
  const { rest } = await alpha();
  await beta();
  const found = await rest.v2.search.list({ q: `@${REMOTE_ACCT}`, resolve: true, type: "accounts" });
  assert.deepEqual(found.accounts.map((a) => a.acct), [REMOTE_ACCT]);
  const remote = found.accounts[0];
  const relationship = await rest.v1.accounts.$select(remote.id).follow();
  assert.equal(relationship.id, remote.id);
  assert.ok(relationship.following || relationship.requested, JSON.stringify(relationship));
  await eventually("beta to accept the follow", async () => {
    const [rel] = await rest.v1.accounts.relationships.fetch({ id: [remote.id] });
    return rel.following;
  });
  return remote;
});

/** Waits until a post containing `word` is in the home timeline of `rest`. */
const inHome = (rest, word) =>
  eventually(`a post with ${word} in the home timeline`, async () => {
    const page = await rest.v1.timelines.home.list({ limit: 20 });
    return page.find((s) => s.content.includes(word));
  });

test("signs in through the login form and reads the instance", async () => {
  const { rest, token } = await alpha();
  assert.equal(token.scope, "read write follow push");
  const me = await rest.v1.accounts.verifyCredentials();
  assert.equal(me.username, ALPHA_USER);
  assert.equal(me.acct, ALPHA_USER);
  assert.match(me.avatar, /^http/);
  const app = await rest.v1.apps.verifyCredentials();
  assert.equal(app.name, `Kakehashi client test (masto.js, ${ALPHA_USER})`);

  const instance = await rest.v2.instance.fetch();
  assert.equal(instance.domain, ALPHA_DOMAIN);
  assert.match(instance.version, /^4\.2\.0 \(compatible; Kakehashi /);
  assert.equal(instance.configuration.urls.streaming, `ws://${ALPHA_DOMAIN}`);
  const v1 = await rest.v1.instance.fetch();
  assert.equal(v1.uri, ALPHA_DOMAIN);

  const { rest: betaRest } = await beta(); // PKCE and a redirect URI with state
  assert.equal((await betaRest.v1.accounts.verifyCredentials()).username, BETA_USER);
});

test("posts with an image", async () => {
  const { rest } = await alpha();
  // masto.js uploads to /api/v2/media and polls /api/v1/media/:id until `url` is set.
  const media = await rest.v2.media.create({
    file: new Blob([png()], { type: "image/png" }),
    description: "a gradient",
    focus: "0.5,-0.25",
  });
  assert.equal(media.type, "image");
  assert.match(media.url, /^http:\/\//);
  const updated = await rest.v1.media.$select(media.id).update({ description: "a blue gradient" });
  assert.equal(updated.description, "a blue gradient");
  const image = await fetch(media.url);
  assert.equal(image.status, 200);
  assert.match(image.headers.get("content-type"), /^image\//);
  await image.arrayBuffer();

  const word = marker();
  const key = `idempotency-${word}`;
  const params = { status: `画像つき ${word} #kakehashi`, mediaIds: [media.id], visibility: "public" };
  const meta = { requestInit: { headers: { "Idempotency-Key": key } } };
  const status = await rest.v1.statuses.create(params, meta);
  const again = await rest.v1.statuses.create(params, meta);
  assert.equal(again.id, status.id, "the Idempotency-Key did not give back the first status");
  assert.deepEqual(ids(status.mediaAttachments), [media.id]);
  assert.equal(status.mediaAttachments[0].description, "a blue gradient");
  assert.ok(status.content.includes(word));

  const fetched = await rest.v1.statuses.$select(status.id).fetch();
  assert.equal(fetched.id, status.id);
  const edited = await rest.v1.statuses.$select(status.id).update({
    status: `画像つき ${word} (edited)`,
    mediaIds: [media.id],
  });
  assert.ok(edited.content.includes("edited") && edited.editedAt);
  const history = await rest.v1.statuses.$select(status.id).history.list();
  assert.equal(history.length, 2);
  const source = await rest.v1.statuses.$select(status.id).source.fetch();
  assert.equal(source.text, `画像つき ${word} (edited)`);

  const reply = await rest.v1.statuses.create({ status: `a reply ${marker()}`, inReplyToId: status.id });
  const context = await rest.v1.statuses.$select(status.id).context.fetch();
  assert.deepEqual(ids(context.descendants), [reply.id]);
  const deleted = await rest.v1.statuses.$select(reply.id).remove();
  assert.ok(deleted.text.startsWith("a reply"));

  const me = await rest.v1.accounts.verifyCredentials();
  const withMedia = await rest.v1.accounts.$select(me.id).statuses.list({ onlyMedia: true });
  assert.ok(ids(withMedia).includes(status.id));
});

test("pages timelines through Link headers with the paginator", async () => {
  const { rest } = await alpha();
  const word = marker();
  const posted = [];
  for (let i = 0; i < 5; i++) posted.push(await rest.v1.statuses.create({ status: `page ${i} ${word}` }));
  const newestFirst = ids(posted).reverse();

  // for await over the paginator: each step follows rel="next" of the Link header.
  const pages = await collect(rest.v1.timelines.home.list({ limit: 2 }));
  assert.deepEqual(ids(pages[0]), newestFirst.slice(0, 2));
  assert.deepEqual(ids(pages[1]), newestFirst.slice(2, 4));
  assert.equal(pages[2][0].id, newestFirst[4]);
  const seen = pages.flat().map((s) => s.id).filter((id) => newestFirst.includes(id));
  assert.deepEqual(seen, newestFirst);

  // .values() on the public timeline, local only.
  const local = [];
  for await (const page of rest.v1.timelines.public.list({ local: true, limit: 2 }).values()) {
    local.push(...page);
    if (local.length >= 4) break;
  }
  assert.deepEqual(ids(local.slice(0, 4)), newestFirst.slice(0, 4));

  // Backwards: from below posted[2], rel="prev" (min_id) walks up to the newest.
  const up = rest.v1.timelines.home.list({ limit: 2, maxId: posted[2].id }).setDirection("prev");
  const upPages = await collect(up, 6);
  assert.deepEqual(ids(upPages[0]), [posted[1].id, posted[0].id]);
  assert.deepEqual(ids(upPages[1]), [posted[3].id, posted[2].id]);
  assert.deepEqual(ids(upPages[2]), [posted[4].id]);
});

test("follows a member of the other instance and sees their posts arrive", async () => {
  const { rest } = await alpha();
  const { rest: betaRest } = await beta();
  const remote = await following();
  const looked = await rest.v1.accounts.lookup({ acct: REMOTE_ACCT });
  assert.equal(looked.id, remote.id);
  const searched = await rest.v1.accounts.search.list({ q: REMOTE_ACCT, resolve: true });
  assert.ok(ids(searched).includes(remote.id));

  const word = marker();
  const status = await betaRest.v1.statuses.create({ status: `from beta ${word}` });
  const arrived = await inHome(rest, word);
  assert.equal(arrived.account.acct, REMOTE_ACCT);
  assert.equal(arrived.uri, status.uri);

  const followers = await collect(betaRest.v1.accounts.$select(status.account.id).followers.list());
  assert.ok(followers.flat().some((a) => a.acct === `${ALPHA_USER}@${ALPHA_DOMAIN}`));
});

test("favourites and notifications, locally and across instances", async () => {
  const { rest } = await alpha();
  const { rest: neighbourRest } = await neighbour();
  const { rest: betaRest } = await beta();
  await following();
  const neighbourId = (await neighbourRest.v1.accounts.verifyCredentials()).id;

  const mine = await rest.v1.statuses.create({ status: `mine ${marker()}` });
  const favourited = await neighbourRest.v1.statuses.$select(mine.id).favourite();
  assert.equal(favourited.favourited, true);
  assert.equal(favourited.favouritesCount, 1);
  const by = await rest.v1.statuses.$select(mine.id).favouritedBy.list();
  assert.deepEqual(ids(by), [neighbourId]);

  const notification = await eventually("a favourite notification", async () => {
    const list = await rest.v1.notifications.list({ types: ["favourite"] });
    return list.find((n) => n.status?.id === mine.id && n.account.id === neighbourId);
  });
  assert.equal(notification.type, "favourite");
  const none = await rest.v1.notifications.list({ excludeTypes: ["favourite"] });
  assert.ok(none.every((n) => n.type !== "favourite"));
  assert.equal((await rest.v1.notifications.$select(notification.id).fetch()).id, notification.id);
  await rest.v1.notifications.$select(notification.id).dismiss();

  // Across instances: alpha favourites beta's post, and beta's member is notified.
  const word = marker();
  const theirs = await betaRest.v1.statuses.create({ status: `favourite me ${word}` });
  const onAlpha = await inHome(rest, word);
  const fav = await rest.v1.statuses.$select(onAlpha.id).favourite();
  assert.equal(fav.favourited, true);
  const favourites = await rest.v1.favourites.list();
  assert.ok(ids(favourites).includes(onAlpha.id));
  const remote = await eventually("the favourite notification on beta", async () => {
    const list = await betaRest.v1.notifications.list({ types: ["favourite"] });
    return list.find((n) => n.status?.id === theirs.id);
  });
  assert.equal(remote.account.acct, `${ALPHA_USER}@${ALPHA_DOMAIN}`);
  const unfav = await rest.v1.statuses.$select(onAlpha.id).unfavourite();
  assert.equal(unfav.favourited, false);
});

test("receives updates over the WebSocket streaming API", async () => {
  const { rest, token } = await alpha();
  const { rest: betaRest } = await beta();
  const { rest: neighbourRest } = await neighbour();
  await following();
  const instance = await rest.v2.instance.fetch();
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: token.accessToken,
    implementation: LoopbackWebSocket,
    retry: 3,
  });
  const events = [];
  const subscription = streaming.user.subscribe();
  const reading = (async () => {
    for await (const event of subscription) events.push(event);
  })();
  try {
    await streaming.prepare();
    // The subscribe message has no answer: the member's own posts show that it took effect.
    await eventually(
      "the first update on the user stream",
      async () => {
        const probe = await rest.v1.statuses.create({ status: `stream probe ${marker()}`, visibility: "private" });
        await sleep(1_000);
        return events.some((e) => e.event === "update" && e.payload.id === probe.id);
      },
      15_000,
      0,
    );
    for (const e of events) assert.deepEqual(e.stream, ["user"]);

    const word = marker();
    await betaRest.v1.statuses.create({ status: `streamed across instances ${word}` });
    const update = await eventually("beta's post over the stream", () =>
      events.find((e) => e.event === "update" && e.payload.content.includes(word)),
    );
    assert.equal(update.payload.account.acct, REMOTE_ACCT);

    const mine = await rest.v1.statuses.create({ status: `favourite over the stream ${marker()}` });
    await neighbourRest.v1.statuses.$select(mine.id).favourite();
    const notified = await eventually("a notification over the stream", () =>
      events.find((e) => e.event === "notification" && e.payload.status?.id === mine.id),
    );
    assert.equal(notified.payload.type, "favourite");
  } finally {
    subscription.unsubscribe();
    streaming.close();
    await Promise.race([reading, sleep(2_000)]);
  }
});

test("updates the profile and answers follow requests", async () => {
  const { rest } = await alpha();
  const { rest: neighbourRest } = await neighbour();
  // masto.js sends update_credentials as multipart with fields_attributes[0][name] and
  // source[privacy] keys.
  const updated = await rest.v1.accounts.updateCredentials({
    displayName: "健司 (masto.js)",
    note: "防災担当です",
    avatar: new Blob([png(80, 80)], { type: "image/png" }),
    fieldsAttributes: [
      { name: "部署", value: "危機管理課" },
      { name: "Web", value: "https://example.org/" },
    ],
    source: { privacy: "unlisted" },
  });
  assert.equal(updated.displayName, "健司 (masto.js)");
  assert.deepEqual(updated.fields.map((f) => f.name), ["部署", "Web"]);
  assert.equal(updated.source.privacy, "unlisted");
  assert.equal(updated.source.note, "防災担当です");
  await rest.v1.accounts.updateCredentials({ source: { privacy: "public" } });

  const me = await rest.v1.accounts.verifyCredentials();
  const other = await neighbourRest.v1.accounts.updateCredentials({ locked: true });
  assert.equal(other.locked, true);
  try {
    const asked = await rest.v1.accounts.$select(other.id).follow();
    assert.equal(asked.requested, true);
    assert.equal(asked.following, false);
    const requests = await neighbourRest.v1.followRequests.list();
    assert.deepEqual(ids(requests), [me.id]);
    const relationship = await neighbourRest.v1.followRequests.$select(me.id).authorize();
    assert.equal(relationship.followedBy, true);
    const [rel] = await rest.v1.accounts.relationships.fetch({ id: [other.id] });
    assert.equal(rel.following, true);
    await rest.v1.accounts.$select(other.id).unfollow();
  } finally {
    await neighbourRest.v1.accounts.updateCredentials({ locked: false });
  }
});

test("unfollows across instances", async () => {
  const { rest } = await alpha();
  const remote = await following();
  const relationship = await rest.v1.accounts.$select(remote.id).unfollow();
  assert.equal(relationship.following, false);
});
