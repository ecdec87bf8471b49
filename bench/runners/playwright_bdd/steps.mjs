// The step library's sentences used by the benchmark's F06 scenario, as a playwright-bdd project writes
// them: the same locators and checks as steps/*.py, the control plane called with fetch.
import { readFileSync } from "node:fs";
import { test as base, createBdd } from "playwright-bdd";
import { expect } from "@playwright/test";

const job = JSON.parse(readFileSync(process.env.BENCH_JOB, "utf-8"));
const control = `${job.url}/_sim/v1`;
const port = new URL(job.url).port;
let next = 0;

async function call(method, path, body, params) {
  const query = params ? `?${new URLSearchParams(params)}` : "";
  const response = await fetch(`${control}${path}${query}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export const test = base.extend({
  sim: async ({}, use) => {
    const session = await call("POST", "/sessions", { seed: 0 });
    const path = `/sessions/${session.key}`;
    await use({ key: session.key, path });
    await call("DELETE", path);
  },
  page: async ({ page, sim }, use) => {
    await page.context().setExtraHTTPHeaders({ "X-Sim-Session": sim.key });
    await use(page);
  },
  scene: async ({}, use) => {
    await use({ person: job.people[next++ % job.people.length] });
  },
});

const { Given, When, Then } = createBdd(test);
const WHO = "(?:учитель|ученик|родитель|администратор)";
const button = (page, label) =>
  page.getByRole("button", { name: label, exact: true }).or(page.getByRole("link", { name: label, exact: true }));
const sferumLink = (page) =>
  page.getByRole("navigation", { name: "Навигационная панель" }).getByRole("link", { name: "Сферум" });
const linksOf = async (sim, scene) =>
  (await call("GET", `${sim.path}/links`)).links.filter((link) => link.person_id === scene.person.id);

Given(/^школа «(.+)»$/, async ({ sim }, name) => {
  const school = job.schools.find((org) => org.name === name);
  await call("POST", `${sim.path}/seed`, { organisations: [school] });
});

Given(/^учитель МЭШ, у которого есть учебный профиль Сферум$/, async ({ sim, scene }) => {
  const created = await call("POST", `${sim.path}/seed`, { people: [scene.person] });
  scene.ids = created.people[scene.person.id];
  scene.profilesBefore = (await call("GET", sim.path)).profiles.length;
});

Given(/^VK ID подтверждает вход по SMS$/, async ({ sim }) => {
  await call("PATCH", `${sim.path}/settings`, { phone_code_channel: "sms" });
});

When(new RegExp(`^${WHO} входит в «([^«»]+)»$`), async ({ page, scene }, cabinet) => {
  await page.goto(`http://mes.localhost:${port}/`);
  await page.getByLabel("Логин").fill(scene.person.journal.login);
  await page.getByLabel("Пароль").fill(scene.person.journal.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.getByTestId("cabinet")).toHaveText(cabinet);
});

When(new RegExp(`^(?:${WHO} )?нажимает на кнопку перехода в Сферум в навигационной панели$`), async ({ page }) => {
  await sferumLink(page).click();
});

Then(/^открывается окно «([^«»]+)»$/, async ({ page }, title) => {
  await expect(page.getByRole("heading", { name: title, exact: true })).toBeVisible();
});

When(new RegExp(`^(?:${WHO} )?нажимает «([^«»]+)»$`), async ({ page }, label) => {
  await button(page, label).click();
});

Then(/^открывается «Вход в VK ID» с сервисом «([^«»]+)»$/, async ({ page }, service) => {
  await expect(page.getByRole("heading", { name: "Вход в VK ID" })).toBeVisible();
  await expect(page.getByText(`С сервисом «${service}» можно связать свой учебный профиль`)).toBeVisible();
});

When(
  new RegExp(`^(?:${WHO} )?вводит свой номер телефона в поле «Телефон или почта» и нажимает «Продолжить»$`),
  async ({ page, scene }) => {
    await page.getByLabel("Телефон или почта").fill(scene.person.phone);
    await page.getByRole("button", { name: "Продолжить" }).click();
  },
);

Then(/^VK ID просит подтвердить вход: «([^«»]+)»$/, async ({ page }, hint) => {
  await expect(page.getByText(hint)).toBeVisible();
});

When(new RegExp(`^(?:${WHO} )?вводит полученный код и нажимает «Продолжить»$`), async ({ page, sim, scene }) => {
  const message = await call("GET", `${sim.path}/outbox/wait`, undefined, { to: scene.person.phone, after: 0 });
  await page.getByLabel("Код подтверждения").fill(message.code);
  await page.getByRole("button", { name: "Продолжить" }).click();
});

Then(/^VK ID показывает его учетные данные и кнопку «([^«»]+)»$/, async ({ page, scene }, label) => {
  await expect(page.getByRole("heading", { name: "Проверьте учетные данные" })).toBeVisible();
  await expect(page.getByTestId("account")).toContainText(scene.person.first_name);
  await expect(page.getByRole("button", { name: label, exact: true })).toBeVisible();
});

When(/^(?:и )?проверяет данные учебного профиля и нажимает «Продолжить»$/, async ({ page, scene }) => {
  await expect(page.getByTestId("profile")).toContainText(scene.person.last_name);
  await page.getByRole("button", { name: "Продолжить" }).click();
});

Then(/^МЭШ сообщает «(.+)»$/, async ({ page }, text) => {
  await expect(page.getByText(text, { exact: true })).toBeVisible();
});

Then(/^МЭШ показывает, что Сферум подключен к его учебному профилю$/, async ({ page, sim, scene }) => {
  const [link] = await linksOf(sim, scene);
  await expect(page.getByTestId("sferum-status")).toContainText(`id ${link.profile_id}`);
});

Then(/^учетная запись МЭШ привязана к его учебному профилю$/, async ({ sim, scene }) => {
  const links = (await linksOf(sim, scene)).filter((link) => link.journal === "mes");
  expect(links.map((link) => [link.profile_id, link.via])).toEqual([[scene.ids.profile_id, "vkid"]]);
  expect((await call("GET", sim.path)).profiles.length).toBe(scene.profilesBefore);
});

Then(/^открывается Сферум с его учебным профилем$/, async ({ page, scene }) => {
  await expect(page.getByTestId("profile-name")).toContainText(`${scene.person.last_name} ${scene.person.first_name}`);
});
