// playwright-bdd's side of the benchmark: the feature the orchestrator wrote, one worker, the same
// Chromium binary and flags as the other runners, a fresh context per scenario (Playwright's default).
import { readFileSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { defineBddConfig } from "playwright-bdd";

const job = JSON.parse(readFileSync(process.env.BENCH_JOB, "utf-8"));

const testDir = defineBddConfig({
  features: `${job.feature_dir}/*.feature`,
  featuresRoot: job.feature_dir,
  steps: "./steps.mjs",
  outputDir: ".features-gen",
  language: "ru",
});

export default defineConfig({
  testDir,
  workers: 1,
  retries: 0,
  outputDir: `${job.work_dir}/test-results`,
  reporter: [["json", { outputFile: `${job.work_dir}/results.json` }]],
  use: {
    headless: true,
    locale: "ru-RU",
    timezoneId: "Europe/Moscow",
    launchOptions: { executablePath: job.executable, args: job.args },
    trace: "off",
    screenshot: "off",
    video: "off",
  },
});
