// The landing page in Japanese and in English, chosen by Accept-Language and switched by the link.

import assert from "node:assert/strict";
import { after, test } from "node:test";

import { DOMAIN, closeBrowser, person, shot, t, visit } from "./lib.mjs";

after(closeBrowser);

for (const lang of ["ja", "en"]) {
  test(`the landing page in ${lang} (Accept-Language)`, async () => {
    const context = await person({ lang });
    const page = await context.newPage();
    await visit(page, "/");
    assert.equal(await page.locator("html").getAttribute("lang"), lang);
    const names = { ja: "架け橋テスト市", en: "Kakehashi Test City" };
    assert.equal((await page.locator("h1").innerText()).trim(), names[lang]);
    assert.match(await page.title(), new RegExp(names[lang]));
    assert.equal((await page.locator(".tagline").innerText()).trim(), t(lang, "landing.tagline"));
    const organisation = { ja: "テスト市役所", en: "Test City Hall" };
    assert.equal((await page.locator("dd.organisation").innerText()).trim(), organisation[lang]);
    assert.equal((await page.locator("dd.prefecture").innerText()).trim(), lang === "ja" ? "東京都" : "Tokyo");
    assert.equal((await page.locator("dd.lg-code").innerText()).trim(), "131016");
    assert.equal((await page.locator("dd.registration").innerText()).trim(), t(lang, "registration.closed"));
    assert.equal((await page.locator("dd.members").innerText()).trim(), "4");
    assert.equal((await page.locator(".apps code").innerText()).trim(), DOMAIN);
    // The stylesheet loaded: the brand link is bold, the page is not the browser's default.
    const weight = await page.locator("header.site .brand").evaluate((el) => getComputedStyle(el).fontWeight);
    assert.equal(weight, "700");
    await shot(page, `landing-${lang}`);

    // The language link switches to the other language without touching Accept-Language.
    const other = lang === "ja" ? "en" : "ja";
    await Promise.all([page.waitForURL(/\?lang=/), page.locator("a.lang-switch").click()]);
    assert.equal(await page.locator("html").getAttribute("lang"), other);
    assert.equal((await page.locator(".tagline").innerText()).trim(), t(other, "landing.tagline"));
    // Links lead on in the chosen language (a cookie remembers it), whatever the browser asks for.
    await Promise.all([page.waitForURL(/\/events$/), page.locator("a.nav-events").click()]);
    assert.equal(await page.locator("html").getAttribute("lang"), other);
    assert.equal((await page.locator("h1").innerText()).trim(), t(other, "directory.title"));
    await context.close();
  });
}
