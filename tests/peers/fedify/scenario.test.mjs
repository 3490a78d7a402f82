// Kakehashi and a Fedify server federating over loopback (started by tests/peers/run).
//
// The peer is driven through its control API (peer.mjs), Kakehashi through its Mastodon client
// API with a password-grant token. Every wait polls with a deadline. The tests share state
// through memoised steps (follow → post → reply), so each one can also run alone.
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

const MEMBER_HANDLE = `${USER}@${ALPHA_DOMAIN}`;
const MEMBER_ACTOR = `${ALPHA}/users/${USER}`;
const MEMBER_KEY = `${MEMBER_ACTOR}#main-key`;
const PEER_ACTOR = `${PEER}/users/fedi`;
const PEER_ACCT = `fedi@${PEER_DOMAIN}`;
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const PATIENCE_MS = 20_000;

// ---- helpers -------------------------------------------------------------------------------

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

async function call(base, method, path, { body, token, form, accept } = {}) {
  const headers = { accept: accept ?? "application/json" };
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
    // not JSON (a web page)
  }
  return { status: response.status, data, text };
}

/** The peer's control API; any non-2xx answer fails the test with the peer's error. */
async function peer(method, path, body) {
  const response = await call(PEER, method, path, { body });
  assert.ok(
    response.status >= 200 && response.status < 300,
    `peer ${method} ${path} answered ${response.status}: ${brief(response.data)}`,
  );
  return response.data;
}

async function received(type) {
  const all = await peer("GET", "/control/received");
  return type ? all.filter((a) => a.type === type) : all;
}

/** Kakehashi's client API. */
async function alpha(method, path, { body, token, form } = {}) {
  return await call(ALPHA, method, path, { body, token: token ?? (await memberToken()), form });
}

function ok(response, what) {
  assert.ok(
    response.status >= 200 && response.status < 300,
    `${what} answered ${response.status}: ${brief(response.data)}`,
  );
  return response.data;
}

const once = (fn) => {
  let promise;
  return () => (promise ??= fn());
};

// ---- memoised steps ------------------------------------------------------------------------

/** An access token for the member, through an app and the (test-only) password grant. */
const memberToken = once(async () => {
  const app = ok(
    await call(ALPHA, "POST", "/api/v1/apps", {
      body: {
        client_name: "Kakehashi peer tests",
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
  assert.ok(token.access_token, "a token");
  return token.access_token;
});

/** The peer follows the member; resolves once the peer has received the Accept. */
const peerFollowsMember = once(async () => {
  const follow = await peer("POST", "/control/follow", { handle: MEMBER_HANDLE });
  const accept = await eventually("the Accept of the peer's Follow", async () =>
    (await received("Accept")).find((a) => a.followId === follow.follow),
  );
  return { follow, accept };
});

/** The member's public post, through the client API (null when this build has no statuses API). */
const memberPost = once(async () => {
  await peerFollowsMember();
  const response = await alpha("POST", "/api/v1/statuses", {
    body: { status: "こんにちは、Fedify の皆さん！ #kakehashi", visibility: "public" },
  });
  if (response.status === 404) return null;
  return ok(response, "POST /api/v1/statuses");
});

/** The peer's reply to the member's post, addressed to the member and Public, mentioning them. */
const peerReply = once(async () => {
  const status = await memberPost();
  if (status == null) return null;
  const content =
    `<p><span class="h-card"><a href="${MEMBER_ACTOR}" class="u-url mention">@<span>${USER}</span></a></span>` +
    " お返事です、Fedify から。</p>";
  const reply = await peer("POST", "/control/reply", {
    inReplyTo: status.uri,
    content,
    to: [MEMBER_ACTOR, "Public"],
    mention: [MEMBER_HANDLE],
  });
  return { status, reply };
});

// ---- the scenario --------------------------------------------------------------------------

test("the Fedify peer follows a Kakehashi member and receives the Accept", async () => {
  const { follow, accept } = await peerFollowsMember();
  assert.equal(follow.object, MEMBER_ACTOR, "WebFinger led the peer to the member's actor");
  assert.equal(accept.actor, MEMBER_ACTOR);
  assert.equal(accept.verified, true);
  assert.equal(accept.keyId, MEMBER_KEY, "Fedify verified the Accept with the member's key");
  assert.equal(accept.keyOwner, MEMBER_ACTOR);

  const state = await peer("GET", "/control/state");
  assert.equal(state.following[MEMBER_ACTOR]?.accepted, true, brief(state));

  // Kakehashi's side: the follower is counted, and the peer's actor was stored as Fedify sent it.
  await eventually("the member's followers_count to be 1", async () => {
    const me = ok(await alpha("GET", `/api/v1/accounts/lookup?acct=${USER}`), "lookup member");
    return me.followers_count === 1 ? me : null;
  });
  const remote = ok(
    await alpha("GET", `/api/v1/accounts/lookup?acct=${encodeURIComponent(PEER_ACCT)}`),
    "lookup the peer's account",
  );
  assert.equal(remote.acct, PEER_ACCT);
  assert.equal(remote.username, "fedi");
  assert.equal(remote.display_name, "Fedify peer");

  // And Kakehashi's followers collection lists the peer.
  const collection = await call(ALPHA, "GET", `/users/${USER}/followers`, {
    accept: "application/activity+json",
  });
  if (collection.status === 200 && typeof collection.data?.totalItems === "number") {
    assert.equal(collection.data.totalItems, 1, brief(collection.data));
  }
});

test("Kakehashi accepts a signed Note from the peer that mentions the member", async () => {
  await peerFollowsMember();
  const content =
    `<p><span class="h-card"><a href="${MEMBER_ACTOR}" class="u-url mention">@<span>${USER}</span></a></span>` +
    " はじめまして、Fedify です。</p>";
  // The control call waits for the delivery: it fails unless Kakehashi's inbox answered 2xx, that
  // is, verified Fedify's signature and took the activity.
  const sent = await peer("POST", "/control/post", {
    content,
    to: ["Public"],
    cc: [MEMBER_ACTOR],
    mention: [MEMBER_HANDLE],
  });
  assert.deepEqual(sent.recipients, [MEMBER_ACTOR]);
  await eventually("the peer's account to count the post", async () => {
    const remote = ok(
      await alpha("GET", `/api/v1/accounts/lookup?acct=${encodeURIComponent(PEER_ACCT)}`),
      "lookup the peer's account",
    );
    return remote.statuses_count >= 1 ? remote : null;
  });
});

test("a member's public post reaches the peer, and Fedify verified our signature", async (t) => {
  const status = await memberPost();
  if (status == null) {
    t.skip("this build has no POST /api/v1/statuses");
    return;
  }
  assert.equal(status.visibility, "public");
  assert.ok(status.uri.startsWith(`${MEMBER_ACTOR}/statuses/`), status.uri);

  const create = await eventually("the Create of the member's post at the peer", async () =>
    (await received("Create")).find((a) => a.object === status.uri),
  );
  // With Fedify, only a request whose signature verified reaches an inbox listener; the key is
  // the one Fedify's own verifier accepted for this request.
  assert.equal(create.verified, true);
  assert.equal(create.actor, MEMBER_ACTOR);
  assert.equal(create.keyId, MEMBER_KEY, "signed with the member's key");
  assert.equal(create.keyOwner, MEMBER_ACTOR);
  assert.equal(create.objectType, "Note");
  assert.match(create.content, /こんにちは、Fedify の皆さん/);

  const note = create.raw?.object;
  assert.ok(note && typeof note === "object", `the Note is embedded: ${brief(create.raw)}`);
  assert.deepEqual([note.attributedTo].flat(), [MEMBER_ACTOR]);
  assert.ok([note.to].flat().includes(PUBLIC), `addressed to Public: ${brief(note)}`);

  const requests = await peer("GET", "/control/requests");
  const delivery = requests.find((r) => r.activity === create.id);
  assert.equal(delivery?.status, 202, `Fedify's inbox answered 202: ${brief(delivery)}`);
});

test("the peer's reply appears in the member's thread on Kakehashi", async (t) => {
  const replied = await peerReply();
  if (replied == null) {
    t.skip("this build has no POST /api/v1/statuses");
    return;
  }
  const { status, reply } = replied;
  // The control call waited for the delivery: Kakehashi's inbox answered 2xx.
  assert.deepEqual(reply.recipients, [MEMBER_ACTOR]);

  const context = await alpha("GET", `/api/v1/statuses/${status.id}/context`);
  if (context.status === 404) {
    // No context endpoint in this build: the thread page shows the descendants.
    const page = await eventually("the reply on the thread's web page", async () => {
      const response = await call(ALPHA, "GET", `/@${USER}/${status.id}`);
      return response.status === 200 && response.text.includes("お返事です") ? response.text : null;
    });
    assert.match(page, /お返事です/);
    t.diagnostic("no GET /api/v1/statuses/:id/context in this build; checked the web page");
    return;
  }
  const found = await eventually("the reply among the post's descendants", async () => {
    const data = ok(await alpha("GET", `/api/v1/statuses/${status.id}/context`), "context");
    return data.descendants.find((d) => d.uri === reply.note);
  });
  assert.equal(found.in_reply_to_id, status.id);
  assert.equal(found.account.acct, PEER_ACCT);
  assert.equal(found.visibility, "public");
  assert.match(found.content, /お返事です/);
  assert.ok(
    found.mentions.some((m) => m.acct === USER),
    `the reply mentions the member: ${brief(found.mentions)}`,
  );
});

test("the member is notified of the peer's mention", async (t) => {
  const replied = await peerReply();
  if (replied == null) {
    t.skip("this build has no POST /api/v1/statuses");
    return;
  }
  const probe = await alpha("GET", "/api/v1/notifications");
  if (probe.status === 404) {
    t.skip("this build has no GET /api/v1/notifications");
    return;
  }
  const notification = await eventually("a mention notification", async () => {
    const list = ok(await alpha("GET", "/api/v1/notifications?types[]=mention"), "notifications");
    return list.find((n) => n.type === "mention" && n.status?.uri === replied.reply.note);
  });
  assert.equal(notification.account.acct, PEER_ACCT);
});

test("Fedify refused none of Kakehashi's requests, and no delivery from the peer failed", async () => {
  // A 401 here would be a signature Fedify did not accept, a 400 a document it could not parse.
  const requests = await peer("GET", "/control/requests");
  const refused = requests.filter((r) => r.status != null && r.status >= 400);
  assert.deepEqual(refused, [], "Fedify refused none of Kakehashi's requests");
  const errors = await peer("GET", "/control/errors");
  assert.deepEqual(errors, [], "no delivery from the peer failed");
});
