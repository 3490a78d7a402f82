// A small ActivityPub server built on Fedify, used as a real peer of Kakehashi in tests.
//
// One actor (`Person`, `@fedi@peer.test:PORT`) with an RSA key pair (HTTP signatures) and an
// Ed25519 one (Object Integrity Proofs), as a Fedify application normally has. Fedify verifies
// every incoming request (no `skipSignatureVerification`), so an activity reaches an inbox
// listener only when it was signed by its actor. Storage is in memory (MemoryKvStore,
// InProcessMessageQueue). Names resolve through ./loopback.mjs (every *.test name is 127.0.0.1).
//
// A control API on the same server drives it from tests (all JSON):
//   GET  /control/health              {ok, actor, handle}
//   POST /control/follow {handle}     WebFinger + actor lookup, then Follow  -> {follow, object}
//                                     (control sends wait for the delivery: a 2xx means every
//                                     remote inbox took the activity; otherwise a 502 with
//                                     Fedify's error, which includes the remote answer)
//   POST /control/unfollow {handle}   Undo(Follow)
//   POST /control/reply {inReplyTo?, content, to: [...], cc?: [...], mention?: [...]}
//                                     Create(Note) to the addressees' inboxes -> {note, create}
//   POST /control/post                the same, without inReplyTo
//   POST /control/activity {type, object, to: [...]}
//                                     any simple activity (Follow, Join, Leave, Like, Announce)
//                                     of an object URL, to the addressees' inboxes: joining a group
//                                     (Follow) or an event (Join) -> {activity}
//   GET  /control/received            activities that reached an inbox listener (verified)
//   GET  /control/state               followers, following (with accepted), notes
//   GET  /control/requests            every ActivityPub request served, with its status
//   GET  /control/errors              delivery failures reported by Fedify
// Recipients (to, cc, mention) are actor URLs, `user@host` handles, or "Public".
//
// Environment: PEER_PORT (required), PEER_HOST (peer.test), PEER_USER (fedi),
// PEER_LOG_LEVEL (LogTape level for Fedify, default debug for signatures and inboxes, info else).

import http from "node:http";
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

import {
  Accept,
  Activity,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  InProcessMessageQueue,
  Join,
  Leave,
  Like,
  MemoryKvStore,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
  Update,
  createFederation,
  generateCryptoKeyPair,
  isActor,
} from "@fedify/fedify";
import { configure, getConsoleSink, getLogger } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";

import { installLoopbackResolver } from "./loopback.mjs";

const PORT = Number(process.env.PEER_PORT);
if (!Number.isInteger(PORT) || PORT <= 0) {
  console.error("PEER_PORT must be set to the port to listen on");
  process.exit(2);
}
const HOST = process.env.PEER_HOST ?? "peer.test";
const ID = process.env.PEER_USER ?? "fedi";
const ORIGIN = `http://${HOST}:${PORT}`;
const PUBLIC = PUBLIC_COLLECTION.href;

const level = process.env.PEER_LOG_LEVEL;
/** Delivery outcomes Fedify logged, by activity id: {sent: [inbox], failed: [{inbox, error}]}. */
const outcomes = new Map();
function outcomeOf(activityId) {
  if (!outcomes.has(activityId)) outcomes.set(activityId, { sent: [], failed: [] });
  return outcomes.get(activityId);
}
// Fedify 1.5 queues every delivery (its `immediate` option does not reach the sender from a
// Context), and reports success only in its log: this sink reads the outbox's log records.
function deliverySink(record) {
  const { activityId, inbox, error } = record.properties ?? {};
  if (typeof activityId !== "string" || typeof inbox !== "string") return;
  const text = record.message.join("");
  if (text.startsWith("Successfully sent activity")) outcomeOf(activityId).sent.push(inbox);
  else if (text.startsWith("Failed to send activity")) {
    outcomeOf(activityId).failed.push({ inbox, error: String(error?.message ?? error) });
  }
}

await configure({
  contextLocalStorage: new AsyncLocalStorage(),
  sinks: { console: getConsoleSink(), deliveries: deliverySink },
  loggers: [
    { category: ["fedify"], sinks: ["console"], lowestLevel: level ?? "info" },
    // Signature checks and inbox decisions in detail: the log tells why Fedify refused something.
    { category: ["fedify", "sig"], sinks: ["console"], parentSinks: "override", lowestLevel: level ?? "debug" },
    {
      category: ["fedify", "federation", "inbox"],
      sinks: ["console"],
      parentSinks: "override",
      lowestLevel: level ?? "debug",
    },
    // At least info: the delivery sink needs Fedify's "Successfully sent" records.
    {
      category: ["fedify", "federation", "outbox"],
      sinks: ["deliveries"],
      lowestLevel: level === "debug" || level === "trace" ? level : "info",
    },
    { category: ["peer"], sinks: ["console"], lowestLevel: "debug" },
    { category: ["logtape", "meta"], sinks: ["console"], lowestLevel: "warning" },
  ],
});
const log = getLogger(["peer"]);

installLoopbackResolver();

// ---- state (in memory) ---------------------------------------------------------------------

const keyPairs = [
  await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
  await generateCryptoKeyPair("Ed25519"),
];
/** Activities that reached an inbox listener, in order. */
const received = [];
/** Raw JSON bodies POSTed to our inboxes, by activity id. */
const rawBodies = new Map();
/** The key Fedify verified each inbox request with, by activity id. */
const signedBy = new Map();
/** ActivityPub requests served: {method, path, status, activity?, type?, keyId?}. */
const requests = [];
/** Delivery failures Fedify reported. */
const errors = [];
/** Our followers: actor id → {id, inbox, sharedInbox}. */
const followers = new Map();
/** Whom we follow: actor id → {follow, accepted, rejected}. */
const following = new Map();
/** Our notes and their Create activities, by note uuid. */
const notes = new Map();

// ---- the federation ------------------------------------------------------------------------

const federation = createFederation({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  origin: ORIGIN,
  // The test network is loopback; Fedify's default loaders (with its preloaded JSON-LD contexts)
  // fetch through the global dispatcher installed above.
  allowPrivateAddress: true,
  onOutboxError: (error, activity) => {
    log.error("delivery of {activity} failed: {error}", { activity: activity?.id?.href, error });
    errors.push({ activity: activity?.id?.href ?? null, error: String(error?.message ?? error) });
  },
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== ID) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      summary: "A Fedify server in Kakehashi's tests.",
      url: new URL(`/@${identifier}`, ORIGIN),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      following: ctx.getFollowingUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
    });
  })
  .mapHandle((_ctx, username) => (username === ID ? ID : null))
  .setKeyPairsDispatcher((_ctx, identifier) => (identifier === ID ? keyPairs : []));

federation.setObjectDispatcher(Note, "/notes/{uuid}", (_ctx, { uuid }) => notes.get(uuid)?.note ?? null);

federation.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) =>
  identifier === ID ? { items: [...notes.values()].map((n) => n.create).reverse() } : null,
);
federation.setFollowersDispatcher("/users/{identifier}/followers", (_ctx, identifier) =>
  identifier === ID
    ? {
        items: [...followers.values()].map((f) => ({
          id: new URL(f.id),
          inboxId: new URL(f.inbox),
          endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
        })),
      }
    : null,
);
federation.setFollowingDispatcher("/users/{identifier}/following", (_ctx, identifier) =>
  identifier === ID
    ? { items: [...following.entries()].filter(([, f]) => f.accepted).map(([id]) => new URL(id)) }
    : null,
);

/** Remembers an activity that passed Fedify's checks and reached a listener. */
function record(ctx, activity, extra = {}) {
  const id = activity.id?.href ?? null;
  const key = id ? signedBy.get(id) : undefined;
  const entry = {
    id,
    type: activity.constructor.name,
    actor: activity.actorId?.href ?? null,
    object: activity.objectId?.href ?? null,
    recipient: ctx.recipient,
    // Only verified activities reach listeners; this is the key Fedify verified it with.
    verified: true,
    keyId: key?.keyId ?? null,
    keyOwner: key?.owner ?? null,
    raw: id ? rawBodies.get(id) ?? null : null,
    at: new Date().toISOString(),
    ...extra,
  };
  received.push(entry);
  log.info("received {type} {id} from {actor} (key {keyId})", entry);
  return entry;
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    record(ctx, follow);
    if (follow.id == null || follow.actorId == null || follow.objectId == null) return;
    const parsed = ctx.parseUri(follow.objectId);
    if (parsed?.type !== "actor" || parsed.identifier !== ID) return;
    const follower = await follow.getActor(ctx);
    if (!isActor(follower) || follower.inboxId == null) return;
    followers.set(follower.id.href, {
      id: follower.id.href,
      inbox: follower.inboxId.href,
      sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
    });
    await ctx.sendActivity(
      { identifier: ID },
      follower,
      new Accept({
        id: new URL(`#accepts/${randomUUID()}`, ctx.getActorUri(ID)),
        actor: ctx.getActorUri(ID),
        object: follow,
        to: follower.id,
      }),
    );
  })
  .on(Accept, async (ctx, accept) => {
    const follow = await accept.getObject(ctx).catch(() => null);
    const followId = follow?.id?.href ?? accept.objectId?.href ?? null;
    record(ctx, accept, { followId });
    for (const entry of following.values()) {
      if (entry.follow === followId) entry.accepted = true;
    }
  })
  .on(Reject, async (ctx, reject) => {
    const followId = reject.objectId?.href ?? null;
    record(ctx, reject, { followId });
    for (const entry of following.values()) {
      if (entry.follow === followId) entry.rejected = true;
    }
  })
  .on(Undo, async (ctx, undo) => {
    const object = await undo.getObject(ctx).catch(() => null);
    record(ctx, undo, { undone: object?.constructor?.name ?? null });
    if (object instanceof Follow && undo.actorId != null) followers.delete(undo.actorId.href);
  })
  .on(Create, async (ctx, create) => {
    const object = await create.getObject(ctx).catch(() => null);
    record(ctx, create, {
      objectType: object?.constructor?.name ?? null,
      content: object?.content?.toString() ?? null,
      inReplyTo: object?.replyTargetId?.href ?? null,
    });
  })
  .on(Update, (ctx, activity) => void record(ctx, activity))
  .on(Delete, (ctx, activity) => void record(ctx, activity))
  .on(Announce, (ctx, activity) => void record(ctx, activity))
  .on(Like, (ctx, activity) => void record(ctx, activity))
  .on(Activity, (ctx, activity) => void record(ctx, activity))
  .onError((_ctx, error) => {
    log.error("inbox listener failed: {error}", { error });
    errors.push({ activity: null, error: `inbox: ${error?.message ?? error}` });
  });

// ---- control API ---------------------------------------------------------------------------

const DELIVERY_PATIENCE_MS = 15_000;

/** The inbox Fedify delivers to for `actor` (the shared one when asked and known). */
const inboxOf = (actor, preferShared) =>
  ((preferShared && actor.endpoints?.sharedInbox) || actor.inboxId)?.href;

/**
 * Waits until Fedify has delivered `activityId` to every inbox of `actors`, or one delivery
 * failed (throws with Fedify's error), or the deadline passed (throws).
 */
async function delivered(activityId, actors, preferShared = false) {
  const inboxes = [...new Set(actors.map((a) => inboxOf(a, preferShared)).filter(Boolean))];
  const deadline = Date.now() + DELIVERY_PATIENCE_MS;
  while (Date.now() < deadline) {
    const outcome = outcomeOf(activityId);
    if (outcome.failed.length > 0) {
      const error = new Error(
        outcome.failed.map((f) => `delivery to ${f.inbox} failed: ${f.error}`).join("\n"),
      );
      error.status = 502;
      throw error;
    }
    if (inboxes.every((inbox) => outcome.sent.includes(inbox))) return inboxes;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const error = new Error(`${activityId} was not delivered to ${inboxes.join(", ")} in time`);
  error.status = 504;
  throw error;
}

const json = (value, status = 200) =>
  new Response(JSON.stringify(value, null, 2), {
    status,
    headers: { "content-type": "application/json" },
  });

/** `user@host` (with or without `@`/`acct:`) → the actor, through WebFinger over http. */
async function resolveHandle(ctx, handle) {
  const acct = handle.replace(/^acct:/, "").replace(/^@/, "");
  const at = acct.lastIndexOf("@");
  if (at <= 0) throw new Error(`not a handle: ${handle}`);
  const host = acct.slice(at + 1);
  // Fedify 1.x's own acct: lookup always uses https; the test network is http.
  const url = new URL(`http://${host}/.well-known/webfinger`);
  url.searchParams.set("resource", `acct:${acct}`);
  const response = await fetch(url, { headers: { accept: "application/jrd+json" } });
  if (!response.ok) throw new Error(`WebFinger ${url}: ${response.status}`);
  const jrd = await response.json();
  const self = jrd.links?.find(
    (l) =>
      l.rel === "self" &&
      (l.type === "application/activity+json" || l.type?.startsWith("application/ld+json")),
  );
  if (self?.href == null) throw new Error(`WebFinger ${url}: no self link`);
  const actor = await ctx.lookupObject(self.href);
  if (!isActor(actor)) throw new Error(`${self.href} is not an actor`);
  return { actor, acct: jrd.subject?.replace(/^acct:/, "") ?? acct };
}

/** An addressee: "Public", an actor URL or a handle → {url, actor?, acct?}. */
async function resolveAddressee(ctx, value) {
  if (value === "Public" || value === "as:Public" || value === PUBLIC) return { url: PUBLIC };
  if (/^https?:\/\//.test(value)) {
    const actor = await ctx.lookupObject(value);
    if (isActor(actor)) {
      const acct = `${actor.preferredUsername}@${actor.id.host}`;
      return { url: actor.id.href, actor, acct };
    }
    return { url: value }; // a collection, such as someone's followers
  }
  const { actor, acct } = await resolveHandle(ctx, value);
  return { url: actor.id.href, actor, acct };
}

async function sendNote(ctx, body) {
  if (typeof body.content !== "string" || body.content === "") throw new Error("content is required");
  const list = (v) => (v == null ? [] : Array.isArray(v) ? v : [v]);
  const to = await Promise.all(list(body.to).map((v) => resolveAddressee(ctx, v)));
  const cc = await Promise.all(list(body.cc).map((v) => resolveAddressee(ctx, v)));
  const mentioned = await Promise.all(list(body.mention).map((v) => resolveAddressee(ctx, v)));
  const me = ctx.getActorUri(ID);
  const uuid = randomUUID();
  const noteId = ctx.getObjectUri(Note, { uuid });
  const published = Temporal.Now.instant();
  const tos = to.map((a) => new URL(a.url));
  const ccs = cc.map((a) => new URL(a.url));
  const note = new Note({
    id: noteId,
    attribution: me,
    url: noteId,
    content: body.content,
    mediaType: "text/html",
    replyTarget: body.inReplyTo ? new URL(body.inReplyTo) : null,
    tos,
    ccs,
    tags: mentioned
      .filter((m) => m.actor)
      .map((m) => new Mention({ href: m.actor.id, name: `@${m.acct}` })),
    published,
  });
  const create = new Create({
    id: new URL(`${noteId.href}/activity`),
    actor: me,
    object: note,
    tos,
    ccs,
    published,
  });
  notes.set(uuid, { note, create });
  const recipients = [...to, ...cc, ...mentioned]
    .filter((a) => a.actor)
    .filter((a, i, all) => all.findIndex((b) => b.url === a.url) === i)
    .map((a) => a.actor);
  if (recipients.length > 0) {
    await ctx.sendActivity({ identifier: ID }, recipients, create, { preferSharedInbox: true });
    await delivered(create.id.href, recipients, true);
  }
  if (tos.some((u) => u.href === PUBLIC) || ccs.some((u) => u.href === PUBLIC)) {
    if (followers.size > 0) await ctx.sendActivity({ identifier: ID }, "followers", create);
  }
  return {
    note: noteId.href,
    create: create.id.href,
    recipients: recipients.map((a) => a.id.href),
  };
}

/** Activities `/control/activity` can send: `{actor: us, object: URL}`. */
const SIMPLE_ACTIVITIES = { Follow, Join, Leave, Like, Announce };

async function sendSimpleActivity(ctx, body) {
  const cls = SIMPLE_ACTIVITIES[body.type];
  if (cls == null) {
    throw new Error(`type must be one of ${Object.keys(SIMPLE_ACTIVITIES).join(", ")}`);
  }
  if (typeof body.object !== "string") throw new Error("object must be a URL");
  const list = (v) => (v == null ? [] : Array.isArray(v) ? v : [v]);
  const to = await Promise.all(list(body.to).map((v) => resolveAddressee(ctx, v)));
  const recipients = to.filter((a) => a.actor).map((a) => a.actor);
  if (recipients.length === 0) throw new Error("to must name at least one actor");
  const me = ctx.getActorUri(ID);
  const activity = new cls({
    id: new URL(`#${body.type.toLowerCase()}/${randomUUID()}`, me),
    actor: me,
    object: new URL(body.object),
    tos: to.map((a) => new URL(a.url)),
  });
  if (cls === Follow) {
    following.set(body.object, { follow: activity.id.href, accepted: false, rejected: false });
  }
  await ctx.sendActivity({ identifier: ID }, recipients, activity);
  await delivered(activity.id.href, recipients);
  return { activity: activity.id.href, recipients: recipients.map((a) => a.id.href) };
}

const control = {
  "GET /control/health": (ctx) =>
    json({ ok: true, actor: ctx.getActorUri(ID).href, handle: `${ID}@${HOST}:${PORT}` }),
  "GET /control/received": () => json(received),
  "GET /control/requests": () => json(requests),
  "GET /control/errors": () => json(errors),
  "GET /control/state": () =>
    json({
      followers: [...followers.values()],
      following: Object.fromEntries(following),
      notes: [...notes.values()].map((n) => n.note.id.href),
    }),
  "POST /control/follow": async (ctx, body) => {
    const { actor } = await resolveHandle(ctx, String(body.handle ?? ""));
    const follow = new Follow({
      id: new URL(`#follows/${randomUUID()}`, ctx.getActorUri(ID)),
      actor: ctx.getActorUri(ID),
      object: actor.id,
      to: actor.id,
    });
    following.set(actor.id.href, { follow: follow.id.href, accepted: false, rejected: false });
    await ctx.sendActivity({ identifier: ID }, actor, follow);
    await delivered(follow.id.href, [actor]);
    return json({ follow: follow.id.href, object: actor.id.href, inbox: actor.inboxId?.href });
  },
  "POST /control/unfollow": async (ctx, body) => {
    const { actor } = await resolveHandle(ctx, String(body.handle ?? ""));
    const entry = following.get(actor.id.href);
    if (entry == null) return json({ error: "not following" }, 404);
    const undo = new Undo({
      id: new URL(`#undo/${randomUUID()}`, ctx.getActorUri(ID)),
      actor: ctx.getActorUri(ID),
      object: new Follow({ id: new URL(entry.follow), actor: ctx.getActorUri(ID), object: actor.id }),
      to: actor.id,
    });
    following.delete(actor.id.href);
    await ctx.sendActivity({ identifier: ID }, actor, undo);
    await delivered(undo.id.href, [actor]);
    return json({ undo: undo.id.href });
  },
  "POST /control/reply": async (ctx, body) => json(await sendNote(ctx, body)),
  "POST /control/post": async (ctx, body) => json(await sendNote(ctx, { ...body, inReplyTo: null })),
  "POST /control/activity": async (ctx, body) => json(await sendSimpleActivity(ctx, body)),
};

async function handleControl(request, url) {
  const handler = control[`${request.method} ${url.pathname}`];
  if (handler == null) return json({ error: `no control route ${request.method} ${url.pathname}` }, 404);
  const ctx = federation.createContext(request, undefined);
  let body = {};
  if (request.method === "POST") {
    const text = await request.text();
    body = text === "" ? {} : JSON.parse(text);
  }
  try {
    return await handler(ctx, body);
  } catch (error) {
    log.error("control {path} failed: {error}", { path: url.pathname, error });
    return json({ error: String(error?.message ?? error) }, error?.status ?? 500);
  }
}

// ---- HTTP ----------------------------------------------------------------------------------

const isInbox = (request, url) =>
  request.method === "POST" && (url.pathname === "/inbox" || /^\/users\/[^/]+\/inbox$/.test(url.pathname));

async function handle(request) {
  const url = new URL(request.url);
  if (url.pathname.startsWith("/control/")) return await handleControl(request, url);
  const entry = { method: request.method, path: url.pathname + url.search, status: null };
  requests.push(entry);
  if (isInbox(request, url)) {
    const text = await request.clone().text();
    try {
      const body = JSON.parse(text);
      entry.activity = typeof body.id === "string" ? body.id : null;
      entry.type = body.type ?? null;
      if (entry.activity) rawBodies.set(entry.activity, body);
    } catch {
      entry.activity = null;
    }
    // Which key signed the request, as Fedify's own verifier sees it (null when invalid).
    const key = await federation
      .createContext(request.clone(), undefined)
      .getSignedKey()
      .catch((error) => {
        log.warn("getSignedKey failed: {error}", { error });
        return null;
      });
    entry.keyId = key?.id?.href ?? null;
    if (entry.activity && key) {
      signedBy.set(entry.activity, { keyId: key.id?.href ?? null, owner: key.ownerId?.href ?? null });
    }
  }
  const response = await federation.fetch(request, {
    contextData: undefined,
    onNotFound: () => new Response("Not found", { status: 404 }),
    onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
  });
  entry.status = response.status;
  if (response.status >= 400) {
    const copy = response.clone();
    entry.body = (await copy.text()).slice(0, 500);
    log.warn("{method} {path} answered {status}: {body}", entry);
  }
  return response;
}

function toRequest(req, body) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  const host = req.headers.host ?? `${HOST}:${PORT}`;
  return new Request(new URL(req.url, `http://${host}`), {
    method: req.method,
    headers,
    body: body.length > 0 && req.method !== "GET" && req.method !== "HEAD" ? body : undefined,
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", async () => {
    try {
      const response = await handle(toRequest(req, Buffer.concat(chunks)));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      log.error("request {url} failed: {error}", { url: req.url, error });
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error?.stack ?? error));
    }
  });
});

server.listen(PORT, "127.0.0.1", () => {
  log.info("Fedify peer listening on {origin} (127.0.0.1:{port}) as @{id}@{host}:{port}", {
    origin: ORIGIN,
    port: PORT,
    id: ID,
    host: HOST,
  });
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  });
}
