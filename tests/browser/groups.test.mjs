// Group pages as members use them, by clicking, without JavaScript: the public view, joining and
// leaving an open group, asking to join an approval group and a moderator approving it from the
// queue, the member list, and a moderator deleting a post with a reason. Groups are made with
// `kakehashi admin create-group` (owner: hanako).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { BASE, DOMAIN, api, cli, closeBrowser, person, post, shot, signIn, t, tokenFor, visit } from "./lib.mjs";

after(closeBrowser);

const OPEN = "tohoku-dx";
const APPROVAL = "bousai-tantou";

before(() => {
  cli(
    "admin", "create-group", OPEN, "--owner", "hanako",
    "--display-name", "東北DX勉強会",
    "--note", "東北の自治体職員が DX の事例を持ち寄る勉強会です。",
    "--rules", "個人情報を書かない\n営業目的の投稿はしない",
    "--topic", "DX", "--topic", "自治体",
  );
  cli(
    "admin", "create-group", APPROVAL, "--owner", "hanako",
    "--display-name", "防災担当者の会", "--note", "防災担当の職員のための会です。",
    "--join-policy", "approval",
  );
});

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, " ").trim();

test("the group directory and a group's public page, signed out, in Japanese", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await visit(page, "/groups");
  assert.equal(await text(page.locator("h1")), t("ja", "groups.directory"));
  const cards = page.locator("li.group-card");
  const names = await cards.locator("> a").allInnerTexts();
  assert.deepEqual(names.map((n) => n.trim()).sort(), ["東北DX勉強会", "防災担当者の会"].sort());
  await shot(page, "groups-directory-ja");

  await Promise.all([page.waitForURL(`${BASE}/groups/${OPEN}`), cards.locator("> a", { hasText: "東北DX勉強会" }).click()]);
  assert.equal(await text(page.locator("article.group h1")), "東北DX勉強会");
  assert.equal(await text(page.locator("article.group .acct")), `@${OPEN}@${DOMAIN}`);
  assert.ok((await text(page.locator("article.group .note"))).includes("DX の事例を持ち寄る"));
  assert.deepEqual(
    (await page.locator("ol.rules li").allInnerTexts()).map((r) => r.trim()),
    ["個人情報を書かない", "営業目的の投稿はしない"],
  );
  assert.equal(await text(page.locator(".topics")), "#DX #自治体");
  assert.equal(await text(page.locator(".member-count")), "1");
  assert.ok((await text(page.locator("article.group .meta"))).includes(t("ja", "groups.policy_open")));
  // Signed out: no forms, a way to sign in that comes back here.
  assert.equal(await page.locator("form").count(), 0);
  const signInLink = page.locator(".membership a.button");
  assert.equal(await text(signInLink), t("ja", "groups.sign_in_to_join"));
  assert.equal(await page.locator(".moderation-link").count(), 0);
  await shot(page, "group-signed-out-ja");

  // The moderators' queue needs a signed-in moderator.
  await page.goto(`${BASE}/groups/${OPEN}/moderation`);
  assert.equal(new URL(page.url()).pathname, "/auth/sign_in");
  assert.equal(await page.locator('input[name="next"]').inputValue(), `/groups/${OPEN}/moderation`);
  await context.close();
});

test("a member joins an open group and leaves it by clicking", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await visit(page, `/groups/${OPEN}`);
  await Promise.all([page.waitForURL(/\/auth\/sign_in/), page.locator(".membership a.button").click()]);
  await page.locator('input[name="login"]').fill("taro");
  await page.locator('input[name="password"]').fill(process.env.KAKEHASHI_PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/groups/${OPEN}`), page.locator('form.stack button[type="submit"]').click()]);

  const join = page.locator("form[action$='/join']");
  assert.equal(await join.locator('input[name="csrf"]').count(), 1, "the join form carries a CSRF token");
  assert.ok((await join.locator('input[name="csrf"]').inputValue()).length >= 20);
  await Promise.all([page.waitForURL(`${BASE}/groups/${OPEN}`), join.locator("button.join").click()]);
  assert.equal(await text(page.locator(".membership .state")), t("ja", "groups.you_are_member"));
  assert.equal(await text(page.locator(".member-count")), "2");
  assert.equal(await page.locator(".moderation-link").count(), 0, "a member is not a moderator");
  await shot(page, "group-member-ja");

  // The member list shows both, the owner marked.
  await Promise.all([page.waitForURL(`${BASE}/groups/${OPEN}/members`), page.locator("a.members-link").click()]);
  const members = page.locator("li.member");
  const rows = (await members.allInnerTexts()).map((r) => r.replace(/\s+/g, " ").trim());
  assert.equal(rows.length, 2, JSON.stringify(rows));
  assert.ok(rows.some((r) => r.startsWith("太郎") && r.includes(`@taro@${DOMAIN}`) && !r.includes(t("ja", "groups.owner"))), JSON.stringify(rows));
  assert.ok(rows.some((r) => r.startsWith("花子") && r.includes(t("ja", "groups.owner"))), JSON.stringify(rows));
  await shot(page, "group-members-ja");

  // A member may not open the moderators' queue.
  const forbidden = await page.goto(`${BASE}/groups/${OPEN}/moderation`);
  assert.equal(forbidden.status(), 403);

  await visit(page, `/groups/${OPEN}`);
  await Promise.all([page.waitForURL(`${BASE}/groups/${OPEN}`), page.locator("button.leave").click()]);
  assert.equal(await page.locator("button.join").count(), 1);
  assert.equal(await text(page.locator(".member-count")), "1");
  await context.close();
});

test("a form without the right CSRF token changes nothing", async () => {
  const context = await person({ lang: "en" });
  const page = await context.newPage();
  await signIn(page, "yuki", `/groups/${OPEN}`);
  // The same browser session (its cookie), a forged token and none at all.
  for (const form of [{ csrf: "forged-token-forged-token-forged" }, { csrf: "" }]) {
    const answer = await context.request.post(`${BASE}/groups/${OPEN}/join`, { form, maxRedirects: 0 });
    assert.equal(answer.status(), 403, `join with ${JSON.stringify(form)}`);
  }
  await page.reload();
  assert.equal(await page.locator("button.join").count(), 1, "still not a member");
  assert.equal(await text(page.locator(".member-count")), "1");
  await context.close();
});

test("approval: the request waits in the queue until a moderator approves it by clicking", async () => {
  const jiro = await person({ lang: "en" });
  const member = await jiro.newPage();
  await signIn(member, "jiro", `/groups/${APPROVAL}`);
  assert.ok((await text(member.locator("article.group .meta"))).includes(t("en", "groups.policy_approval")));
  await Promise.all([member.waitForURL(`${BASE}/groups/${APPROVAL}`), member.locator("button.join").click()]);
  assert.equal(await text(member.locator(".membership .state")), t("en", "groups.requested"));
  assert.equal(await text(member.locator("button.leave")), t("en", "groups.withdraw"));
  assert.equal(await text(member.locator(".member-count")), "1", "not a member yet");
  await shot(member, "group-requested-en");

  const hanako = await person({ lang: "ja" });
  const moderator = await hanako.newPage();
  await signIn(moderator, "hanako", `/groups/${APPROVAL}`);
  assert.equal(await text(moderator.locator(".membership .state")), t("ja", "groups.you_are_member"));
  assert.equal(await moderator.locator("button.leave").count(), 0, "the owner cannot leave");
  await Promise.all([
    moderator.waitForURL(`${BASE}/groups/${APPROVAL}/moderation`),
    moderator.locator("a.moderation-link").click(),
  ]);
  const requests = moderator.locator("section.requests .request");
  assert.equal(await requests.count(), 1);
  assert.ok((await text(requests.first())).includes(`@jiro@${DOMAIN}`));
  await shot(moderator, "group-moderation-queue-ja");
  await Promise.all([
    moderator.waitForURL(`${BASE}/groups/${APPROVAL}/moderation`),
    requests.first().locator("button.approve").click(),
  ]);
  assert.equal(await moderator.locator("section.requests .request").count(), 0);
  assert.equal(await text(moderator.locator("section.requests .empty")), t("ja", "groups.no_requests"));
  const approval = (await moderator.locator("section.log tr").allInnerTexts()).find((r) => r.includes(t("ja", "group_log.approve")));
  assert.ok(approval && approval.includes(`@jiro@${DOMAIN}`) && approval.includes(`@hanako@${DOMAIN}`), approval);

  await Promise.all([moderator.waitForURL(`${BASE}/groups/${APPROVAL}`), moderator.locator("h1 a").click()]);
  await Promise.all([moderator.waitForURL(`${BASE}/groups/${APPROVAL}/members`), moderator.locator("a.members-link").click()]);
  const rows = (await moderator.locator("li.member").allInnerTexts()).map((r) => r.replace(/\s+/g, " ").trim());
  assert.ok(rows.some((r) => r.startsWith("次郎") && r.includes(`@jiro@${DOMAIN}`)), JSON.stringify(rows));

  await member.reload();
  assert.equal(await text(member.locator(".membership .state")), t("en", "groups.you_are_member"));
  assert.equal(await text(member.locator(".member-count")), "2");
  await jiro.close();
  await hanako.close();
});

test("a moderator deletes a member's post with a reason; it leaves the group page and is logged", async () => {
  // taro joins again (through the API this time) and posts into the group by mentioning it.
  const group = await api("GET", `/api/v1/accounts/lookup?acct=${OPEN}`);
  await api("POST", `/api/v1/accounts/${group.id}/follow`, { token: await tokenFor("taro") });
  const keep = await post("taro", `@${OPEN} 本日の勉強会資料です。`);
  const remove = await post("taro", `@${OPEN} 【宣伝】当社の製品をご覧ください`);

  const reader = await person({ lang: "en" });
  const visitor = await reader.newPage();
  await visit(visitor, `/groups/${OPEN}`);
  const posts = async () => (await visitor.locator("section.statuses article.status").allInnerTexts()).join("\n");
  assert.ok((await posts()).includes("当社の製品"), "the post is on the group page");
  assert.equal(await visitor.locator("button.delete").count(), 0, "visitors get no delete buttons");

  const hanako = await person({ lang: "ja" });
  const moderator = await hanako.newPage();
  await signIn(moderator, "hanako", `/groups/${OPEN}`);
  const target = moderator.locator("section.statuses article.status", { hasText: "当社の製品" });
  assert.equal(await target.count(), 1);
  await target.locator('input[name="reason"]').fill("ルール2: 営業目的の投稿");
  await shot(moderator, "group-posts-moderator-ja");
  await Promise.all([moderator.waitForURL(`${BASE}/groups/${OPEN}`), target.locator("button.delete").click()]);
  assert.equal(await moderator.locator("section.statuses article.status", { hasText: "当社の製品" }).count(), 0);
  assert.equal(await moderator.locator("section.statuses article.status", { hasText: "本日の勉強会資料" }).count(), 1);

  await visitor.reload();
  assert.ok(!(await posts()).includes("当社の製品"), "gone for everyone");
  assert.ok((await posts()).includes("本日の勉強会資料"), "the other post stays");
  const gone = await visitor.goto(remove.url);
  assert.equal(gone.status(), 404, "the deleted post's own page is gone");
  const kept = await visitor.goto(keep.url);
  assert.equal(kept.status(), 200);

  await visit(moderator, `/groups/${OPEN}/moderation`);
  const log = (await moderator.locator("section.log tr").allInnerTexts()).map((r) => r.replace(/\s+/g, " "));
  const deletion = log.find((r) => r.includes("ルール2: 営業目的の投稿"));
  assert.ok(deletion, JSON.stringify(log));
  assert.ok(deletion.includes(`@hanako@${DOMAIN}`) && deletion.includes(t("ja", "group_log.delete")), deletion);
  // Times in the log read as the posts' times do: Japan time.
  const when = await moderator.locator("section.log tr td.when").first().innerText();
  const tokyo = new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  }).format(new Date());
  const minutes = (s) => Date.parse(`${s.trim().replace(" ", "T")}:00Z`) / 60_000;
  assert.ok(Math.abs(minutes(when) - minutes(tokyo)) <= 2, `logged at ${when}, now in Tokyo ${tokyo}`);
  await shot(moderator, "group-moderation-log-ja");
  await reader.close();
  await hanako.close();
});
