// Event pages and the event directory as members use them, without JavaScript: the event page
// (title, the time in the event's own time zone, the add-to-calendar link that downloads the
// event as text/calendar, join and leave by clicking, the participant list for the organiser) and
// the directory's filter form (Japanese free text, prefecture, online). Events are created by
// hanako through the events API.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";

import { BASE, DOMAIN, api, closeBrowser, person, shot, signIn, t, tokenFor, visit } from "./lib.mjs";

after(closeBrowser);

/** A day `days` from now as YYYY-MM-DD (in UTC; events are set at wall times in their zone). */
const dayFromNow = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const DAY = { seminar: dayFromNow(40), online: dayFromNow(41), tourism: dayFromNow(42) };

const events = {};

before(async () => {
  const token = await tokenFor("hanako");
  const create = (body) => api("POST", "/api/v1/pleroma/events", { token, body });
  events.seminar = await create({
    name: "防災セミナー：避難所運営の実務",
    status: "避難所の開設から運営まで、実例をもとに学びます。",
    start_time: `${DAY.seminar}T19:00:00`,
    end_time: `${DAY.seminar}T21:00:00`,
    timezone: "Asia/Tokyo",
    place_name: "仙台市役所 本庁舎 8階ホール",
    address: "宮城県仙台市青葉区国分町3-7-1",
    prefecture: "04",
    category: "WORKSHOPS_SKILL_SHARING",
    tags: ["防災"],
    capacity: 30,
  });
  events.online = await create({
    name: "欧州の自治体とのオンライン交流会",
    status: "パリ市の職員とデジタル窓口について話します。",
    start_time: `${DAY.online}T10:00:00`,
    end_time: `${DAY.online}T11:30:00`,
    timezone: "Europe/Paris",
    online_url: "https://meet.city.example/paris",
    category: "NETWORKING",
  });
  events.tourism = await create({
    name: "観光DXワークショップ",
    status: "観光案内のデジタル化を手を動かして学ぶ会です。",
    start_time: `${DAY.tourism}T13:30:00`,
    end_time: `${DAY.tourism}T16:00:00`,
    timezone: "Asia/Tokyo",
    place_name: "札幌市民交流プラザ",
    prefecture: "北海道",
    category: "WORKSHOPS_SKILL_SHARING",
  });
});

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, " ").trim();
const pageOf = (event) => `/events/${event.id}`;

test("the event page in Japanese: title, time in its zone, place, add to calendar", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await visit(page, pageOf(events.seminar));
  assert.equal(await text(page.locator("h1.p-name")), "防災セミナー：避難所運営の実務");
  assert.match(await page.title(), /防災セミナー/);
  const [y, m, d] = DAY.seminar.split("-").map(Number);
  const when = await text(page.locator("time.dt-start"));
  const weekday = "日月火水木金土"[new Date(`${DAY.seminar}T12:00:00Z`).getUTCDay()];
  assert.ok(when.startsWith(`${y}年${m}月${d}日 (${weekday})`), when);
  assert.ok(when.endsWith("19:00–21:00 (Asia/Tokyo)"), when);
  // The machine-readable time is the same instant: 19:00 in Tokyo is 10:00 UTC.
  const instant = Date.parse(await page.locator("time.dt-start").getAttribute("datetime"));
  assert.equal(new Date(instant).toISOString(), `${DAY.seminar}T10:00:00.000Z`);
  const place = await text(page.locator(".p-location"));
  assert.ok(place.includes("仙台市役所 本庁舎 8階ホール") && place.includes("青葉区国分町"), place);
  assert.ok((await text(page.locator("article.event dl"))).includes("宮城県"));
  assert.equal(await text(page.locator(".participant-count")), "0 / 30");
  assert.ok((await text(page.locator(".e-description"))).includes("避難所の開設から運営まで"));
  assert.equal(await text(page.locator(".topics")), "#防災");
  // The category by its name, not its code.
  assert.ok((await text(page.locator("article.event dl"))).includes("ワークショップ・スキル共有"));
  await shot(page, "event-ja");

  // Add to calendar: the .ics link downloads the event as text/calendar.
  const ics = page.locator("a.ics");
  const href = await ics.getAttribute("href");
  assert.equal(href, `${BASE}/events/${events.seminar.id}.ics`);
  const [download] = await Promise.all([page.waitForEvent("download"), ics.click()]);
  const body = await readFile(await download.path(), "utf8");
  assert.match(body, /^BEGIN:VCALENDAR\r?\n/);
  assert.match(body, /BEGIN:VEVENT/);
  assert.match(body.replace(/\r?\n[ \t]/g, ""), /SUMMARY:防災セミナー：避難所運営の実務/);
  assert.match(body, new RegExp(`DTSTART;TZID=Asia/Tokyo:${DAY.seminar.replaceAll("-", "")}T190000`));
  assert.match(body, /BEGIN:VTIMEZONE/);
  const answer = await context.request.get(href);
  assert.equal(answer.headers()["content-type"], "text/calendar; charset=utf-8");
  const webcal = await page.locator("a.webcal").getAttribute("href");
  assert.equal(webcal, `webcal://${DOMAIN}/events/${events.seminar.id}.ics`);
  await context.close();
});

test("the event page in English keeps the event's own time zone", async () => {
  const context = await person({ lang: "en" });
  const page = await context.newPage();
  await visit(page, pageOf(events.online));
  assert.equal(await text(page.locator("h1.p-name")), "欧州の自治体とのオンライン交流会");
  const when = await text(page.locator("time.dt-start"));
  // 10:00 in Paris, not converted to Tokyo or UTC.
  assert.ok(when.endsWith("10:00–11:30 (Europe/Paris)"), when);
  const weekday = new Date(`${DAY.online}T12:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", timeZone: "UTC" });
  assert.ok(when.startsWith(weekday), when);
  const link = page.locator("a.online-link");
  assert.equal(await link.getAttribute("href"), "https://meet.city.example/paris");
  assert.equal(await page.locator(".participation a.button").getAttribute("href"), `/auth/sign_in?next=/events/${events.online.id}`);
  await shot(page, "event-online-en");
  await context.close();
});

test("a member joins and leaves an event by clicking; the organiser sees them", async () => {
  const taro = await person({ lang: "ja" });
  const member = await taro.newPage();
  await signIn(member, "taro", pageOf(events.seminar));
  const join = member.locator("form[action$='/join']");
  assert.ok((await join.locator('input[name="csrf"]').inputValue()).length >= 20);
  await Promise.all([member.waitForURL(`${BASE}${pageOf(events.seminar)}`), join.locator("button.join").click()]);
  assert.equal(await text(member.locator(".participation .state")), t("ja", "event_page.joined"));
  assert.equal(await text(member.locator(".participant-count")), "1 / 30");
  await shot(member, "event-joined-ja");

  const hanako = await person({ lang: "ja" });
  const organiser = await hanako.newPage();
  await signIn(organiser, "hanako", pageOf(events.seminar));
  const rows = (await organiser.locator("section.participants li.participant").allInnerTexts()).map((r) => r.replace(/\s+/g, " "));
  assert.equal(rows.length, 1, JSON.stringify(rows));
  assert.ok(rows[0].includes("太郎") && rows[0].includes(`@taro@${DOMAIN}`), rows[0]);
  assert.ok(rows[0].endsWith(t("ja", "participant_state.accepted")), rows[0]);
  assert.equal(await organiser.locator("button.join").count(), 0, "the organiser has no join button");
  await shot(organiser, "event-organiser-ja");

  // Someone who is not the organiser does not see the list.
  assert.equal(await member.locator("section.participants").count(), 0);

  await Promise.all([member.waitForURL(`${BASE}${pageOf(events.seminar)}`), member.locator("button.leave").click()]);
  assert.equal(await member.locator("button.join").count(), 1);
  assert.equal(await text(member.locator(".participant-count")), "0 / 30");
  await organiser.reload();
  assert.equal(await organiser.locator("section.participants li.participant").count(), 0);
  await taro.close();
  await hanako.close();
});

test("the directory filters by Japanese free text, prefecture and format", async () => {
  const context = await person({ lang: "ja" });
  const page = await context.newPage();
  await visit(page, "/events");
  assert.equal(await text(page.locator("h1")), t("ja", "directory.title"));
  const titles = () => page.locator("li.event-card a.p-name").allInnerTexts();
  // Upcoming events, soonest first.
  assert.deepEqual(await titles(), [
    "防災セミナー：避難所運営の実務",
    "欧州の自治体とのオンライン交流会",
    "観光DXワークショップ",
  ]);
  await shot(page, "events-directory-ja");

  const search = async (fill) => {
    await visit(page, "/events");
    await fill();
    await Promise.all([page.waitForURL(/\/events\?/), page.locator("form.filters button[type=submit]").click()]);
  };

  // Japanese text without word spaces: a word inside a longer run of kanji is found.
  await search(() => page.locator('input[name="q"]').fill("避難所"));
  assert.deepEqual(await titles(), ["防災セミナー：避難所運営の実務"]);
  assert.equal(new URL(page.url()).searchParams.get("q"), "避難所");
  assert.equal(await page.locator('input[name="q"]').inputValue(), "避難所", "the form keeps what was asked");
  await shot(page, "events-directory-text-ja");

  // The description counts too: 手を動かして is only in the workshop's.
  await search(() => page.locator('input[name="q"]').fill("手を動かして"));
  assert.deepEqual(await titles(), ["観光DXワークショップ"]);

  await search(() => page.locator('select[name="prefecture"]').selectOption({ label: "北海道" }));
  assert.deepEqual(await titles(), ["観光DXワークショップ"]);
  assert.equal(await page.locator('select[name="prefecture"] option:checked').innerText(), "北海道");

  await search(() => page.locator('select[name="category"]').selectOption({ label: "交流会" }));
  assert.deepEqual(await titles(), ["欧州の自治体とのオンライン交流会"]);
  assert.equal(new URL(page.url()).searchParams.get("category"), "NETWORKING");

  await search(() => page.locator('select[name="online"]').selectOption("online"));
  assert.deepEqual(await titles(), ["欧州の自治体とのオンライン交流会"]);

  await search(async () => {
    await page.locator('input[name="q"]').fill("ワークショップ");
    await page.locator('select[name="prefecture"]').selectOption({ label: "宮城県" });
  });
  assert.deepEqual(await titles(), []);
  assert.equal(await text(page.locator("p.empty")), t("ja", "directory.none"));

  // The card links to the event page.
  await search(() => page.locator('input[name="q"]').fill("交流会"));
  await Promise.all([
    page.waitForURL(`${BASE}${pageOf(events.online)}`),
    page.locator("li.event-card a.p-name").first().click(),
  ]);
  await context.close();
});

test("the directory in English names prefectures in English", async () => {
  const context = await person({ lang: "en" });
  const page = await context.newPage();
  await visit(page, "/events");
  await page.locator('select[name="prefecture"]').selectOption({ label: "Miyagi" });
  await Promise.all([page.waitForURL(/\/events\?/), page.locator("form.filters button[type=submit]").click()]);
  assert.deepEqual(await page.locator("li.event-card a.p-name").allInnerTexts(), ["防災セミナー：避難所運営の実務"]);
  const card = await text(page.locator("li.event-card").first());
  assert.ok(card.includes("Miyagi") && card.includes("19:00–21:00 (Asia/Tokyo)"), card);
  await shot(page, "events-directory-en");
  await context.close();
});
