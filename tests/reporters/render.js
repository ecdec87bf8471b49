// Renders a cucumber.json with both npm Cucumber report viewers, as a QA team would:
//   node render.js CUCUMBER_JSON OUT_DIR
// writes OUT_DIR/cucumber-html-reporter.html (its bootstrap theme) and OUT_DIR/multiple/ (index.html and
// features/*.html of multiple-cucumber-html-reporter).
"use strict";

const fs = require("fs");
const path = require("path");
const cucumberHtmlReporter = require("cucumber-html-reporter");
const multipleCucumberHtmlReporter = require("multiple-cucumber-html-reporter");

const [cucumberJson, outDir] = process.argv.slice(2);
if (!cucumberJson || !outDir) {
  console.error("usage: node render.js CUCUMBER_JSON OUT_DIR");
  process.exit(2);
}

cucumberHtmlReporter.generate({
  theme: "bootstrap",
  jsonFile: cucumberJson,
  output: path.join(outDir, "cucumber-html-reporter.html"),
  reportSuiteAsScenarios: true,
  launchReport: false,
});

// multiple-cucumber-html-reporter reads every .json file of a folder: the file alone, in a folder of its own.
const jsonDir = path.join(outDir, "json");
fs.mkdirSync(jsonDir, { recursive: true });
fs.copyFileSync(cucumberJson, path.join(jsonDir, "cucumber.json"));
multipleCucumberHtmlReporter.generate({
  jsonDir,
  reportPath: path.join(outDir, "multiple"),
  disableLog: true,
});
