// The OAuth authorize page in a real browser, as a member meets it when an app sends them there:
// register an app, open /oauth/authorize, sign in, consent, land on the app's redirect with a code
// and the state; the code is exchanged for a token that works. The out-of-band redirect shows the
// code on the page. In Japanese and English, without JavaScript.

import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";

import { BASE, PASSWORD, api, closeBrowser, person, registerApp, shot, t } from "./lib.mjs";

/** The app's side of the redirect: a server on loopback that records what it was sent. */
let callback;
let callbackUrl;
const arrived = [];

before(async () => {
  callback = http.createServer((request, response) => {
    arrived.push(new URL(request.url, "http://127.0.0.1"));
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>app</title><p>back in the app</p>");
  });
  await new Promise((resolve) => callback.listen(0, "127.0.0.1", resolve));
  callbackUrl = `http://127.0.0.1:${callback.address().port}/callback`;
});

after(async () => {
  await closeBrowser();
  await new Promise((resolve) => callback.close(resolve));
});

function authorizeUrl(app, redirectUri, state) {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: app.client_id,
    redirect_uri: redirectUri,
    scope: "read write",
  });
  if (state) query.set("state", state);
  return `${BASE}/oauth/authorize?${query}`;
}

async function exchange(app, code, redirectUri) {
  const token = await api("POST", "/oauth/token", {
    form: {
      grant_type: "authorization_code",
      code,
      client_id: app.client_id,
      client_secret: app.client_secret,
      redirect_uri: redirectUri,
    },
  });
  return api("GET", "/api/v1/accounts/verify_credentials", { token: token.access_token });
}

for (const lang of ["ja", "en"]) {
  test(`authorize with a redirect in ${lang}: wrong password, then consent, code and state`, async () => {
    const app = await registerApp(`札幌の防災アプリ ${lang}`, callbackUrl);
    const state = `state-${lang}-${Math.random().toString(36).slice(2)}`;
    const context = await person({ lang });
    const page = await context.newPage();
    const response = await page.goto(authorizeUrl(app, callbackUrl, state));
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["cache-control"], "no-store");
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    assert.equal((await page.locator("h1").innerText()).trim(), t(lang, "oauth.title"));
    assert.equal((await page.locator(".app-name").innerText()).trim(), app.name);
    const intro = (await page.locator(".oauth-app").innerText()).trim();
    assert.ok(intro.startsWith(`${t(lang, "oauth.intro_before")}${app.name}${t(lang, "oauth.intro_after")}`), intro);
    const scopes = await page.locator(".oauth-scopes li").allInnerTexts();
    assert.deepEqual(
      scopes.map((s) => s.trim()),
      [`read ${t(lang, "oauth.scope_read")}`, `write ${t(lang, "oauth.scope_write")}`],
    );
    const csrf = await page.locator('input[name="csrf_token"]').inputValue();
    assert.ok(csrf.length >= 20, "a CSRF token is in the form");
    await shot(page, `oauth-authorize-${lang}`);

    // A wrong password: the page again, with the message, nothing sent to the app.
    await page.locator('input[name="login"]').fill("yuki");
    await page.locator('input[name="password"]').fill("wrong-password-0000");
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${BASE}/oauth/authorize`) && r.request().method() === "POST"),
      page.locator('button[name="decision"][value="approve"]').click(),
    ]);
    assert.equal(refused.status(), 401);
    await page.waitForLoadState();
    const alert = page.locator('p.error[role="alert"]');
    assert.ok(await alert.isVisible());
    assert.equal((await alert.innerText()).trim(), t(lang, "oauth.wrong_password"));
    assert.equal(await page.locator('input[name="login"]').inputValue(), "yuki");
    await shot(page, `oauth-wrong-password-${lang}`);

    // The right password: the browser lands on the app's redirect with the code and the state.
    await page.locator('input[name="password"]').fill(PASSWORD);
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(callbackUrl)),
      page.locator('button[name="decision"][value="approve"]').click(),
    ]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get("state"), state);
    const code = landed.searchParams.get("code");
    assert.ok(code, "a code in the redirect");
    assert.ok(arrived.some((u) => u.searchParams.get("code") === code), "the app's server got the code");
    const account = await exchange(app, code, callbackUrl);
    assert.equal(account.username, "yuki");
    await context.close();
  });

  test(`authorize out of band in ${lang}: the page shows the code`, async () => {
    const oob = "urn:ietf:wg:oauth:2.0:oob";
    const app = await registerApp(`Desktop app ${lang}`, oob);
    const context = await person({ lang });
    const page = await context.newPage();
    await page.goto(authorizeUrl(app, oob));
    await page.locator('input[name="login"]').fill("jiro@city.example");
    await page.locator('input[name="password"]').fill(PASSWORD);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${BASE}/oauth/authorize`) && r.request().method() === "POST"),
      page.locator('button[name="decision"][value="approve"]').click(),
    ]);
    assert.equal(answer.status(), 200);
    await page.waitForLoadState();
    assert.equal((await page.locator(".notice").innerText()).trim(), t(lang, "oauth.code_intro"));
    const code = (await page.locator("code.oauth-code").innerText()).trim();
    assert.match(code, /^[A-Za-z0-9_-]{20,}$/);
    // The code is fully visible, not cut off by the layout.
    const box = await page.locator("code.oauth-code").boundingBox();
    const viewport = page.viewportSize();
    assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, `code box ${JSON.stringify(box)}`);
    await shot(page, `oauth-oob-code-${lang}`);
    const account = await exchange(app, code, oob);
    assert.equal(account.username, "jiro");
    await context.close();
  });
}

test("denying sends the member back to the app with access_denied", async () => {
  const app = await registerApp("Denied app", callbackUrl);
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await page.goto(authorizeUrl(app, callbackUrl, "deny-state"));
  // The deny button needs no password (formnovalidate): the browser must not block the submit.
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(callbackUrl)),
    page.locator('button[name="decision"][value="deny"]').click(),
  ]);
  const landed = new URL(page.url());
  assert.equal(landed.searchParams.get("error"), "access_denied");
  assert.equal(landed.searchParams.get("state"), "deny-state");
  assert.equal(landed.searchParams.get("code"), null);
  await context.close();
});

test("an unknown app gets a readable page, not a redirect", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  const response = await page.goto(`${BASE}/oauth/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(callbackUrl)}`);
  assert.equal(response.status(), 400);
  assert.equal(new URL(page.url()).pathname, "/oauth/authorize");
  assert.equal((await page.locator('p.error[role="alert"]').innerText()).trim(), t("ja", "oauth.unknown_client"));
  assert.equal(await page.locator('input[name="password"]').count(), 0);
  await context.close();
});
