// What every browser spec needs: the running server (started by tests/browser/run), Chromium
// through Playwright, API calls for set-up steps, screenshots.
//
// Environment (set by tests/browser/run): KAKEHASHI_URL, KAKEHASHI_DOMAIN, KAKEHASHI_PASSWORD,
// KAKEHASHI_USERS, KAKEHASHI_CLI, CHROMIUM, BROWSER_WORK.

import assert from "node:assert/strict";
import dns from "node:dns";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

import { chromium } from "playwright-core";

// The server listens on 127.0.0.1 only; "localhost" must not resolve to ::1 first.
dns.setDefaultResultOrder("ipv4first");

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through tests/browser/run`);
  return value;
};

export const BASE = env("KAKEHASHI_URL");
export const DOMAIN = env("KAKEHASHI_DOMAIN");
export const PASSWORD = env("KAKEHASHI_PASSWORD");
const WORK = env("BROWSER_WORK");

/** Chromium as root, with nothing that reaches past loopback (see tests/browser/run). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let shared = null;

/**
 * Launches one Chromium per test file (fresh profile directory) and hands out isolated contexts:
 * each person in a spec gets their own cookies. Pages are forms, so JavaScript is off unless a
 * spec asks for it: they must work without it.
 */
async function newIsolatedContext({ lang, javaScript }) {
  if (!shared) {
    // Playwright gives every launch a new empty --user-data-dir of its own (under TMPDIR, which
    // tests/browser/run points into its working directory) and removes it on close.
    shared = await chromium.launch({ executablePath: env("CHROMIUM"), headless: true, args: CHROMIUM_ARGS });
  }
  const context = await shared.newContext({
    // The browser's own Accept-Language for its locale: a bare regional tag, as Chromium and
    // Safari send for a system in that language.
    locale: lang === "ja" ? "ja-JP" : "en-US",
    javaScriptEnabled: javaScript,
    viewport: { width: 1000, height: 760 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  return context;
}

/** A browsing context for one person (own cookies), in `lang`, JavaScript off by default. */
export function person(options = {}) {
  return newIsolatedContext({ lang: options.lang ?? "en", javaScript: options.javaScript ?? false });
}

/** Closes the Chromium this test file started. */
export async function closeBrowser() {
  if (shared) {
    await shared.close();
    shared = null;
  }
}

/** A full-page screenshot into the working directory's screenshots/ (kept with BROWSER_KEEP=1). */
export async function shot(page, name) {
  await page.screenshot({ path: path.join(WORK, "screenshots", `${name}.png`), fullPage: true });
}

/** Opens `pathname` and checks the answer's status. */
export async function visit(page, pathname, status = 200) {
  const response = await page.goto(`${BASE}${pathname}`);
  assert.ok(response, `no response for ${pathname}`);
  assert.equal(response.status(), status, `GET ${pathname}`);
  return response;
}

/** Signs in through the web form as `login` and checks the redirect to `next`. */
export async function signIn(page, login, next = "/") {
  await visit(page, `/auth/sign_in?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}${next}`), page.locator('form.stack button[type="submit"]').click()]);
}

// ---- the API, for set-up steps -------------------------------------------------------------

/** A JSON (or form) request to the server; throws with the body on a non-2xx answer. */
export async function api(method, pathname, { token, body, form } = {}) {
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
  const response = await fetch(`${BASE}${pathname}`, { method, headers, body: payload });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${pathname} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return text === "" ? null : JSON.parse(text);
}

/** Registers an OAuth app. */
export function registerApp(name, redirectUri, scopes = "read write follow") {
  return api("POST", "/api/v1/apps", {
    body: { client_name: name, redirect_uris: redirectUri, scopes, website: "https://app.example/" },
  });
}

const tokens = new Map();

/** An API token for `username` (password grant, which the test configuration allows). */
export async function tokenFor(username) {
  if (!tokens.has(username)) {
    const app = await registerApp(`browser set-up for ${username}`, "urn:ietf:wg:oauth:2.0:oob");
    const token = await api("POST", "/oauth/token", {
      form: {
        grant_type: "password",
        client_id: app.client_id,
        client_secret: app.client_secret,
        username,
        password: PASSWORD,
        scope: "read write follow",
      },
    });
    tokens.set(username, token.access_token);
  }
  return tokens.get(username);
}

/** Posts a status as `username` through the API. */
export async function post(username, status, extra = {}) {
  return api("POST", "/api/v1/statuses", {
    token: await tokenFor(username),
    body: { status, visibility: "public", ...extra },
  });
}

/** Runs `kakehashi ARGS...` against the server's configuration and returns what it printed. */
export function cli(...args) {
  return execFileSync(env("KAKEHASHI_CLI"), args, { encoding: "utf8", timeout: 60_000 });
}

/** A unique suffix for names in one run. */
export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

// ---- messages, read from locales/{ja,en}.toml as the server reads them --------------------

const messages = {};

function loadLocale(lang) {
  const text = readFileSync(new URL(`../../locales/${lang}.toml`, import.meta.url), "utf8");
  const table = {};
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = line.match(/^\[([^\]]+)\]$/);
    if (header) {
      section = header[1];
      continue;
    }
    const pair = line.match(/^([A-Za-z0-9_]+)\s*=\s*(".*")\s*$/);
    if (pair) table[`${section}.${pair[1]}`] = JSON.parse(pair[2]);
  }
  return table;
}

/** The message `key` (as "section.key") in `lang`, as the pages show it. */
export function t(lang, key) {
  messages[lang] ??= loadLocale(lang);
  const message = messages[lang][key];
  if (message === undefined) throw new Error(`no message ${key} in locales/${lang}.toml`);
  return message;
}
