// Helpers for masto.js against two running Kakehashi instances (started by tests/clients/run):
// loopback name resolution, signing in through our HTML login form, polling with deadlines, and a
// small PNG made here so the suite ships no binary file.
//
// Environment: ALPHA_URL, ALPHA_DOMAIN, BETA_URL, BETA_DOMAIN, ALPHA_USER, ALPHA_NEIGHBOUR,
// BETA_USER, CLIENT_PASSWORD.

import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";

import { createOAuthAPIClient, createRestAPIClient } from "masto";
import { Agent, setGlobalDispatcher } from "undici";
import WebSocket from "ws";

// ---- loopback name resolution ----------------------------------------------------------------
// *.test names (and localhost) are 127.0.0.1 and nothing else resolves, so no request leaves the
// machine. fetch goes through undici's dispatcher; the WebSocket (ws) takes a `lookup` option.

function isTestHost(hostname) {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".test") || name === "127.0.0.1";
}

export function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (!isTestHost(hostname)) {
    const error = new Error(`loopback test network: ${hostname} is not a *.test name`);
    error.code = "ENOTFOUND";
    process.nextTick(() => callback(error));
  } else if (options?.all) {
    process.nextTick(() => callback(null, [{ address: "127.0.0.1", family: 4 }]));
  } else {
    process.nextTick(() => callback(null, "127.0.0.1", 4));
  }
}

setGlobalDispatcher(
  new Agent({ connect: { lookup, timeout: 5_000 }, headersTimeout: 20_000, bodyTimeout: 20_000 }),
);

/** The `ws` WebSocket with the loopback resolver, for masto.js's `implementation` option. */
export class LoopbackWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { lookup, handshakeTimeout: 5_000 });
  }
}

// ---- environment ----------------------------------------------------------------------------

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through tests/clients/run`);
  return value;
};
export const ALPHA_URL = env("ALPHA_URL");
export const ALPHA_DOMAIN = env("ALPHA_DOMAIN");
export const BETA_URL = env("BETA_URL");
export const BETA_DOMAIN = env("BETA_DOMAIN");
export const ALPHA_USER = env("ALPHA_USER");
export const ALPHA_NEIGHBOUR = env("ALPHA_NEIGHBOUR");
export const BETA_USER = env("BETA_USER");
const PASSWORD = env("CLIENT_PASSWORD");

export const OOB = "urn:ietf:wg:oauth:2.0:oob";
// A redirect URI that is never visited: the code is read from the Location header.
export const CALLBACK = "http://localhost/kakehashi-client-test/callback";
const SCOPES = "read write follow push";
export const PATIENCE_MS = 20_000;

// ---- helpers ------------------------------------------------------------------------------------

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const brief = (value) => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text && text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
};

/** Polls `probe` until it returns a truthy value or the deadline passes. */
export async function eventually(what, probe, timeoutMs = PATIENCE_MS, intervalMs = 200) {
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
    await sleep(intervalMs);
  }
  const seen = last instanceof Error ? last.message : brief(last);
  throw new assert.AssertionError({ message: `timed out after ${timeoutMs} ms waiting for ${what}; last: ${seen}` });
}

/** A word no other post contains, to find a post again. */
export const marker = () => `k${randomBytes(6).toString("hex")}`;

/** A small RGB gradient PNG. */
export function png(width = 64, height = 48) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind, data) => {
    const body = Buffer.concat([Buffer.from(kind, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = [];
  for (let y = 0; y < height; y++) {
    rows.push(0);
    for (let x = 0; x < width; x++) rows.push((x * 4) % 256, (y * 5) % 256, 200);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.from(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---- signing in through the form --------------------------------------------------------------

const decode = (text) =>
  text.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The first form of a page: its action and its named inputs' values. */
function parseForm(html) {
  const form = html.match(/<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/);
  assert.ok(form, `no form on the authorize page: ${brief(html)}`);
  const fields = {};
  for (const [input] of form[2].matchAll(/<input\b[^>]*>/g)) {
    const name = input.match(/\bname="([^"]*)"/)?.[1];
    if (name) fields[decode(name)] = decode(input.match(/\bvalue="([^"]*)"/)?.[1] ?? "");
  }
  return { action: decode(form[1]), fields };
}

/** What a person does on our authorize page, with fetch; returns the authorization code. */
async function authorizeInBrowser(url, username, redirectUri, state) {
  const page = await fetch(url, { redirect: "manual" });
  const html = await page.text();
  assert.equal(page.status, 200, `GET ${url}: ${brief(html)}`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(";")[0]);
  const { action, fields } = parseForm(html);
  assert.ok(fields.csrf_token, "the login form has no CSRF token");
  const body = new URLSearchParams({ ...fields, login: username, password: PASSWORD, decision: "approve" });
  const answer = await fetch(new URL(action, page.url ?? url), {
    method: "POST",
    body,
    redirect: "manual",
    headers: { cookie: cookies.join("; ") },
  });
  if (redirectUri === OOB) {
    const text = await answer.text();
    assert.equal(answer.status, 200, brief(text));
    const code = text.match(/<code class="oauth-code">([^<]+)<\/code>/)?.[1];
    assert.ok(code, `no code on the out-of-band page: ${brief(text)}`);
    return decode(code.trim());
  }
  assert.ok([302, 303].includes(answer.status), `${answer.status}: ${brief(await answer.text())}`);
  const location = new URL(answer.headers.get("location"));
  assert.equal(`${location.origin}${location.pathname}`, redirectUri);
  assert.equal(location.searchParams.get("state"), state);
  return location.searchParams.get("code");
}

/**
 * Registers an app with masto.js, signs `username` in through the form (with PKCE when asked, as
 * browser clients do) and returns { rest, token, app }.
 */
export async function signIn(url, username, { redirectUri = OOB, pkce = false } = {}) {
  const anonymous = createRestAPIClient({ url, timeout: 20_000 });
  const app = await anonymous.v1.apps.create({
    clientName: `Kakehashi client test (masto.js, ${username})`,
    redirectUris: redirectUri,
    scopes: SCOPES,
    website: "https://example.org/kakehashi-client-test",
  });
  assert.ok(app.clientId && app.clientSecret, JSON.stringify(app));
  const state = randomBytes(12).toString("hex");
  const authorize = new URL("/oauth/authorize", url);
  authorize.search = new URLSearchParams({
    response_type: "code",
    client_id: app.clientId,
    redirect_uri: redirectUri,
    scope: SCOPES,
    state,
  });
  let verifier;
  if (pkce) {
    verifier = randomBytes(32).toString("base64url");
    authorize.searchParams.set("code_challenge", createHash("sha256").update(verifier).digest("base64url"));
    authorize.searchParams.set("code_challenge_method", "S256");
  }
  const code = await authorizeInBrowser(authorize, username, redirectUri, state);
  const oauth = createOAuthAPIClient({ url, timeout: 20_000 });
  const token = await oauth.token.create({
    grantType: "authorization_code",
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri,
    code,
    scope: SCOPES,
    ...(verifier ? { codeVerifier: verifier } : {}),
  });
  assert.equal(token.tokenType, "Bearer");
  assert.equal(typeof token.createdAt, "number");
  const rest = createRestAPIClient({ url, accessToken: token.accessToken, timeout: 20_000 });
  return { rest, token, app };
}

/** Every item of a paginator, following `Link` for at most `maxPages` pages. */
export async function collect(paginator, maxPages = 20) {
  const pages = [];
  for await (const page of paginator) {
    pages.push(page);
    if (page.length === 0 || pages.length >= maxPages) break;
  }
  return pages;
}

/** Memoises an async step so tests that depend on it can each run alone. */
export function once(step) {
  let promise;
  return () => {
    promise ??= step();
    return promise;
  };
}
