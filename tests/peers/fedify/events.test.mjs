// Events with a real peer: the Fedify server joins a Kakehashi event (Join), receives the
// Accept of its Join, shows among the participants, and leaves again (Leave).
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
const PEER_ACCT = `fedi@${PEER_DOMAIN}`;
const PATIENCE_MS = 20_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const brief = (value) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text && text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
};

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
    // not JSON
  }
  return { status: response.status, data, text };
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

let tokenPromise;
async function memberToken() {
  tokenPromise ??= (async () => {
    const app = ok(
      await call(ALPHA, "POST", "/api/v1/apps", {
        body: { client_name: "Kakehashi event peer tests", redirect_uris: "urn:ietf:wg:oauth:2.0:oob", scopes: "read write" },
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
          scope: "read write",
        },
      }),
      "POST /oauth/token (password grant)",
    );
    return token.access_token;
  })();
  return await tokenPromise;
}

async function alpha(method, path, body) {
  return await call(ALPHA, method, path, { body, token: await memberToken() });
}

async function participants(id) {
  const list = ok(await alpha("GET", `/api/v1/pleroma/events/${id}/participations`), "participations");
  return list.map((account) => account.acct);
}

test("the peer joins a Kakehashi event, is accepted, and leaves", async () => {
  const status = ok(
    await alpha("POST", "/api/v1/pleroma/events", {
      name: "Fedify 連携テスト勉強会",
      status: "ピアからの参加を確かめます",
      start_time: "2027-03-12T19:00",
      end_time: "2027-03-12T21:00",
      place_name: "市役所 3階",
      prefecture: "13",
      capacity: 10,
    }),
    "POST /api/v1/pleroma/events",
  );
  const eventUri = status.uri;
  assert.equal(status.pleroma.event.local_start_time, "2027-03-12T19:00:00+09:00");

  // The event as the peer would fetch it.
  const document = await call(ALPHA, "GET", new URL(eventUri).pathname, { accept: "application/activity+json" });
  assert.equal(document.status, 200, brief(document.data));
  assert.equal(document.data.type, "Event");
  assert.equal(document.data.startTime, "2027-03-12T19:00:00+09:00");
  assert.equal(document.data.joinMode, "free");

  const join = await peer("POST", "/control/activity", { type: "Join", object: eventUri, to: [MEMBER_HANDLE] });
  const accept = await eventually("the Accept of the peer's Join", async () => {
    const all = await peer("GET", "/control/received");
    return all.find((a) => a.type === "Accept" && a.followId === join.activity);
  });
  assert.ok(accept, "an Accept quoting the Join");
  await eventually("the peer among the participants", async () => (await participants(status.id)).includes(PEER_ACCT));
  const seen = ok(await alpha("GET", `/api/v1/statuses/${status.id}`), "the event's status");
  assert.equal(seen.pleroma.event.participants_count, 1);
  const attendees = await call(ALPHA, "GET", `${new URL(eventUri).pathname}/attendees`, {
    accept: "application/activity+json",
  });
  assert.equal(attendees.data.totalItems, 1);

  await peer("POST", "/control/activity", { type: "Leave", object: eventUri, to: [MEMBER_HANDLE] });
  await eventually("the peer gone from the participants", async () => !(await participants(status.id)).includes(PEER_ACCT));
});
