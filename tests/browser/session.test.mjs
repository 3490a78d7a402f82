// Signing in to the web pages: a wrong password is refused with a visible message, the right one
// signs in; the form carries what it needs and works without JavaScript.

import assert from "node:assert/strict";
import { after, test } from "node:test";

import { BASE, PASSWORD, closeBrowser, person, shot, t, visit } from "./lib.mjs";

after(closeBrowser);

for (const lang of ["ja", "en"]) {
  test(`sign-in in ${lang}: wrong password refused, right one signs in`, async () => {
    const context = await person({ lang });
    const page = await context.newPage();
    await visit(page, "/auth/sign_in?next=/groups");
    assert.equal((await page.locator("h1").innerText()).trim(), t(lang, "session.title"));
    assert.equal(await page.locator('input[name="next"]').inputValue(), "/groups");
    assert.equal(await page.locator('input[name="password"]').getAttribute("type"), "password");
    // A CSRF token in the form, bound to a nonce cookie only the sign-in pages see.
    assert.ok((await page.locator('input[name="csrf_token"]').inputValue()).length >= 40);
    const nonce = (await context.cookies()).find((c) => c.name === "kakehashi_sign_in_csrf");
    assert.ok(nonce && nonce.httpOnly && nonce.path === "/auth", JSON.stringify(nonce));
    await shot(page, `sign-in-${lang}`);

    // Switching the language keeps where the form leads afterwards.
    const other = lang === "ja" ? "en" : "ja";
    await Promise.all([page.waitForURL(/lang=/), page.locator("a.lang-switch").click()]);
    assert.equal((await page.locator("h1").innerText()).trim(), t(other, "session.title"));
    assert.equal(await page.locator('input[name="next"]').inputValue(), "/groups");
    // The choice is remembered: the page opened again without ?lang= stays in that language,
    // until the other one is chosen.
    await visit(page, "/auth/sign_in?next=/groups");
    assert.equal(await page.locator("html").getAttribute("lang"), other);
    assert.equal((await page.locator("h1").innerText()).trim(), t(other, "session.title"));
    await visit(page, `/auth/sign_in?next=/groups&lang=${lang}`);
    assert.equal((await page.locator("h1").innerText()).trim(), t(lang, "session.title"));

    await page.locator('input[name="login"]').fill("taro");
    await page.locator('input[name="password"]').fill("not-the-password-1234");
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${BASE}/auth/sign_in`) && r.request().method() === "POST"),
      page.locator('form.stack button[type="submit"]').click(),
    ]);
    assert.equal(refused.status(), 401);
    await page.waitForLoadState();
    const alert = page.locator('p.error[role="alert"]');
    await alert.waitFor();
    assert.ok(await alert.isVisible(), "the error message is visible");
    assert.equal((await alert.innerText()).trim(), t(lang, "session.wrong_password"));
    // The login stays filled in, the password does not.
    assert.equal(await page.locator('input[name="login"]').inputValue(), "taro");
    assert.equal(await page.locator('input[name="password"]').inputValue(), "");
    assert.equal((await context.cookies()).filter((c) => c.name === "kakehashi_session").length, 0);
    await shot(page, `sign-in-refused-${lang}`);

    await page.locator('input[name="password"]').fill(PASSWORD);
    await Promise.all([page.waitForURL(`${BASE}/groups`), page.locator('form.stack button[type="submit"]').click()]);
    const cookie = (await context.cookies()).find((c) => c.name === "kakehashi_session");
    assert.ok(cookie, "a session cookie is set");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Lax");
    assert.equal((await page.locator("h1").innerText()).trim(), t(lang, "groups.directory"));
    await context.close();
  });
}

test("signing in by e-mail address", async () => {
  const context = await person();
  const page = await context.newPage();
  await visit(page, "/auth/sign_in?next=/");
  await page.locator('input[name="login"]').fill("taro@city.example");
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/`), page.locator('form.stack button[type="submit"]').click()]);
  assert.ok((await context.cookies()).some((c) => c.name === "kakehashi_session"), "signed in by e-mail address");
  await context.close();
});

test("a next address on another site is not followed after signing in", async () => {
  const context = await person();
  const page = await context.newPage();
  await visit(page, `/auth/sign_in?next=${encodeURIComponent("//elsewhere.example/")}`);
  assert.equal(await page.locator('input[name="next"]').inputValue(), "/");
  await page.locator('input[name="login"]').fill("taro");
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/`), page.locator('form.stack button[type="submit"]').click()]);
  await context.close();
});

test("a sign-in form posted without its token (from another site) signs no one in", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await visit(page, "/auth/sign_in");
  // The browser has the nonce cookie; the request lacks the page's token, as a form on another
  // site would.
  const forged = await context.request.post(`${BASE}/auth/sign_in`, {
    form: { login: "taro", password: PASSWORD, next: "/" },
    maxRedirects: 0,
  });
  assert.equal(forged.status(), 403);
  assert.ok((await forged.text()).includes(t("ja", "session.form_expired")));
  assert.equal((await context.cookies()).filter((c) => c.name === "kakehashi_session").length, 0);
  // The page still works afterwards.
  await visit(page, "/auth/sign_in");
  await page.locator('input[name="login"]').fill("taro");
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/`), page.locator('form.stack button[type="submit"]').click()]);
  assert.equal((await context.cookies()).filter((c) => c.name === "kakehashi_session").length, 1);
  await context.close();
});
