// A member's public page shows their public posts (and only those), in Japanese and English.
// jiro posts here only (the other files post as hanako and taro), so the list is exactly these.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { DOMAIN, closeBrowser, person, post, shot, t, visit } from "./lib.mjs";

after(closeBrowser);

const posts = {};

before(async () => {
  posts.first = await post("jiro", "防災訓練の資料を共有します。#防災");
  posts.second = await post("jiro", "<b>escaped</b> 来週の勉強会は <script>alert(1)</script> 19時から", {
    spoiler_text: "勉強会のお知らせ",
  });
  posts.private = await post("jiro", "フォロワー限定の連絡です", { visibility: "private" });
  posts.direct = await post("jiro", "@taro 個別の連絡です", { visibility: "direct" });
});

for (const lang of ["ja", "en"]) {
  test(`the profile page in ${lang} shows the public posts, newest first`, async () => {
    const context = await person({ lang });
    const page = await context.newPage();
    await visit(page, "/@jiro");
    assert.equal((await page.locator("h1.p-name").innerText()).trim(), "次郎");
    assert.equal((await page.locator(".profile .acct").innerText()).trim(), `@jiro@${DOMAIN}`);
    const counts = (await page.locator(".counts").innerText()).replace(/\s+/g, " ");
    assert.ok(counts.includes(t(lang, "profile.posts")), counts);

    const entries = page.locator("article.status");
    assert.equal(await entries.count(), 2, "only the two public posts");
    // The post with a content warning shows the warning; its text waits until the reader opens it.
    const warned = entries.nth(0);
    assert.equal((await warned.locator("summary").innerText()).trim(), "勉強会のお知らせ");
    assert.equal(await warned.locator(".e-content").isVisible(), false, "hidden behind the warning");
    await shot(page, `profile-${lang}`);
    await warned.locator("summary").click();
    assert.equal(await warned.locator(".e-content").isVisible(), true, "shown once opened");
    const texts = (await entries.allInnerTexts()).map((s) => s.replace(/\s+/g, " "));
    assert.ok(texts[0].includes("19時から"), texts[0]);
    assert.ok(texts[1].includes("防災訓練の資料を共有します。"), texts[1]);
    for (const hidden of ["フォロワー限定", "個別の連絡"]) {
      assert.ok(!texts.join(" ").includes(hidden), `${hidden} must not be on the public page`);
    }
    // What the member typed is text, not markup: no script element came from a post.
    assert.equal(await page.locator("article.status script").count(), 0);
    assert.ok(texts[0].includes("<b>escaped</b>"), texts[0]);

    // Each post links to its own page, which shows it.
    const link = entries.nth(1).locator("a.u-url");
    assert.equal(await link.getAttribute("href"), posts.first.url);
    await Promise.all([page.waitForURL(posts.first.url), link.click()]);
    assert.ok((await page.locator("article.status.focus").innerText()).includes("防災訓練の資料"));
    await shot(page, `status-${lang}`);
    await context.close();
  });
}

test("a member without posts shows the empty message; an unknown one is 404", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await visit(page, "/@yuki");
  assert.equal((await page.locator(".statuses .empty").innerText()).trim(), t("ja", "profile.no_posts"));
  await visit(page, "/@nobody-here", 404);
  await context.close();
});
