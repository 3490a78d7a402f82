// A Kakehashi group with the Fedify peer as a member (started by tests/peers/run).
//
// The member (hanako) creates a group through the groups API; the peer joins it (Follow → Accept),
// posts into it (a Create(Note) mentioning the group), which the group takes and announces, so
// hanako sees it in her home timeline as a boost by the group; then hanako posts into the group
// and the peer receives the group's announces of her post (the plain Announce Mastodon reads and
// FEP-1b12's Announce(Create)), signed with the group's key. Every wait polls with a deadline.
//
// Environment (set by tests/peers/run): ALPHA_URL, ALPHA_DOMAIN, ALPHA_USER, ALPHA_PASSWORD,
// PEER_URL, PEER_DOMAIN.

import assert from "node:assert/strict";
import { test } from "node:test";

import { installLoopbackResolver } from "./loopback.mjs";

installLoopbackResolver();

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through tests/peers/run`);
  return value;
};
const ALPHA = env("ALPHA_URL");
const ALPHA_DOMAIN = env("ALPHA_DOMAIN");
const USER = env("ALPHA_USER");
const PASSWORD = env("ALPHA_PASSWORD");
const PEER = env("PEER_URL");
const PEER_DOMAIN = env("PEER_DOMAIN");

const SLUG = "fedify-circle";
const GROUP_HANDLE = `${SLUG}@${ALPHA_DOMAIN}`;
const GROUP_ACTOR = `${ALPHA}/users/${SLUG}`;
const GROUP_KEY = `${GROUP_ACTOR}#main-key`;
const PEER_ACCT = `fedi@${PEER_DOMAIN}`;
const PATIENCE_MS = 20_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const brief = (value) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text && text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
};

/** Polls `probe` until it returns a truthy value or the deadline passes. */
async function eventually(what, probe, timeoutMs = PATIENCE_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  const seen = last instanceof Error ? last.message : brief(last);
  throw new assert.AssertionError({ message: `timed out after ${timeoutMs} ms waiting for ${what}; last: ${seen}` });
}

async function call(base, method, path, { body, token, form } = {}) {
  const headers = { accept: "application/json" };
  let payload;
  if (form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body: payload });
  const text = await response.text();
  let data = text;
  try {
    data = text === "" ? null : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, data };
}

function ok(response, what) {
  assert.ok(
    response.status >= 200 && response.status < 300,
    `${what} answered ${response.status}: ${brief(response.data)}`,
  );
  return response.data;
}

async function peer(method, path, body) {
  return ok(await call(PEER, method, path, { body }), `peer ${method} ${path}`);
}

async function received(type) {
  const all = await peer("GET", "/control/received");
  return type ? all.filter((a) => a.type === type) : all;
}

const once = (fn) => {
  let promise;
  return () => (promise ??= fn());
};

const memberToken = once(async () => {
  const app = ok(
    await call(ALPHA, "POST", "/api/v1/apps", {
      body: {
        client_name: "Kakehashi peer tests (groups)",
        redirect_uris: "urn:ietf:wg:oauth:2.0:oob",
        scopes: "read write follow",
      },
    }),
    "POST /api/v1/apps",
  );
  const token = ok(
    await call(ALPHA, "POST", "/oauth/token", {
      form: {
        grant_type: "password",
        username: USER,
        password: PASSWORD,
        client_id: app.client_id,
        client_secret: app.client_secret,
        scope: "read write follow",
      },
    }),
    "POST /oauth/token (password grant)",
  );
  return token.access_token;
});

async function alpha(method, path, body) {
  return await call(ALPHA, method, path, { body, token: await memberToken() });
}

/** The group, created by the member through the groups API. */
const group = once(async () =>
  ok(
    await alpha("POST", "/api/v1/groups", {
      slug: SLUG,
      display_name: "Fedify 交流会",
      note: "Fedify と Kakehashi の相互運用を試す会",
    }),
    "POST /api/v1/groups",
  ),
);

/** The peer joins (follows) the group; resolves once it has the Accept. */
const peerJoins = once(async () => {
  await group();
  const follow = await peer("POST", "/control/follow", { handle: GROUP_HANDLE });
  const accept = await eventually("the group's Accept of the peer's Follow", async () =>
    (await received("Accept")).find((a) => a.followId === follow.follow),
  );
  return { follow, accept };
});

/** The peer posts into the group: a public Note mentioning the group. */
const peerPosts = once(async () => {
  await peerJoins();
  const content =
    `<p><span class="h-card"><a href="${GROUP_ACTOR}" class="u-url mention">@<span>${SLUG}</span></a></span>` +
    " Fedify から投稿します、よろしくお願いします。</p>";
  return await peer("POST", "/control/post", {
    content,
    to: ["Public"],
    cc: [GROUP_ACTOR],
    mention: [GROUP_HANDLE],
  });
});

test("the member creates a group through the groups API", async () => {
  const created = await group();
  assert.equal(created.slug, SLUG);
  assert.equal(created.uri, GROUP_ACTOR);
  assert.equal(created.relationship.owner, true);
  const instance = ok(await call(ALPHA, "GET", "/api/v1/instance"), "GET /api/v1/instance");
  assert.ok(instance.pleroma.metadata.features.includes("pleroma:groups"));
});

test("the peer joins the group and receives the group's Accept", async () => {
  const { follow, accept } = await peerJoins();
  assert.equal(follow.object, GROUP_ACTOR, "WebFinger led the peer to the group's actor");
  assert.equal(accept.actor, GROUP_ACTOR);
  assert.equal(accept.keyId, GROUP_KEY, "Fedify verified the Accept with the group's key");
  const state = await peer("GET", "/control/state");
  assert.equal(state.following[GROUP_ACTOR]?.accepted, true, brief(state));

  // Kakehashi lists the peer among the members.
  const { id } = await group();
  const members = await eventually("the peer among the group's members", async () => {
    const list = ok(await alpha("GET", `/api/v1/groups/${id}/memberships`), "memberships");
    return list.some((m) => m.account.acct === PEER_ACCT) ? list : null;
  });
  assert.equal(members.find((m) => m.account.acct === PEER_ACCT).role, "user");
});

test("the peer's post into the group is announced: the member sees a boost by the group", async () => {
  const sent = await peerPosts();
  assert.deepEqual(sent.recipients, [GROUP_ACTOR]);
  const { id } = await group();

  const inGroup = await eventually("the peer's post in the group's timeline", async () => {
    const list = ok(await alpha("GET", `/api/v1/groups/${id}/statuses`), "group statuses");
    return list.find((s) => s.uri === sent.note);
  });
  assert.equal(inGroup.account.acct, PEER_ACCT);

  const boost = await eventually("the group's boost in the member's home timeline", async () => {
    const home = ok(await alpha("GET", "/api/v1/timelines/home"), "home timeline");
    return home.find((s) => s.reblog?.uri === sent.note);
  });
  assert.equal(boost.account.id, id, "boosted by the group");
  assert.equal(boost.account.group, true);
  assert.match(boost.reblog.content, /Fedify から投稿します/);
});

test("the peer receives the group's announces of the member's post", async () => {
  await peerJoins();
  const { id } = await group();
  const status = ok(
    await alpha("POST", `/api/v1/groups/${id}/statuses`, {
      status: "グループへの投稿です。Fedify にも届きますか？",
    }),
    "POST /api/v1/groups/:id/statuses",
  );

  // The plain Announce (a boost by the group, for Mastodon-like servers).
  const plain = await eventually("the group's Announce of the post at the peer", async () =>
    (await received("Announce")).find((a) => a.object === status.uri),
  );
  assert.equal(plain.actor, GROUP_ACTOR);
  assert.equal(plain.keyId, GROUP_KEY, "signed with the group's key");

  // FEP-1b12: the member's Create, wrapped unchanged in the group's Announce.
  const relay = await eventually("the group's Announce(Create) at the peer", async () =>
    (await received("Announce")).find(
      (a) => a.raw?.object?.type === "Create" && a.raw.object.object?.id === status.uri,
    ),
  );
  assert.equal(relay.actor, GROUP_ACTOR);
  assert.equal(relay.keyId, GROUP_KEY);
  assert.equal(relay.raw.audience, GROUP_ACTOR);
  assert.equal(relay.raw.object.actor, `${ALPHA}/users/${USER}`);
});

test("Fedify refused none of Kakehashi's group activities", async () => {
  const requests = await peer("GET", "/control/requests");
  const refused = requests.filter((r) => r.status != null && r.status >= 400);
  assert.deepEqual(refused, [], "Fedify refused none of Kakehashi's requests");
  const errors = await peer("GET", "/control/errors");
  assert.deepEqual(errors, [], "no delivery from the peer failed");
});
