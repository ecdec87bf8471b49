// Runs the language service of VS Code's official Cucumber extension (@cucumber/language-service, with the
// tree-sitter WASM parsers the extension itself uses) over step definition files and feature files.
// Input on stdin, JSON: {"glue": [paths], "features": [paths], "sentences": [step texts]}.
// Output on stdout, JSON: the step definitions it indexed (line of each, 0-based), its errors, the
// «Undefined step» diagnostics of every feature, and for each sentence the lines of the definitions matching it.
const fs = require("node:fs");
const path = require("node:path");
const { ExpressionBuilder, getGherkinDiagnostics } = require("@cucumber/language-service");
const { WasmParserAdapter } = require("@cucumber/language-service/wasm");

async function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf-8"));
  const wasmDir = path.join(path.dirname(require.resolve("@cucumber/language-service")), "..", "..");
  const adapter = new WasmParserAdapter(wasmDir);
  await adapter.init();
  const sources = input.glue.map((file) => ({
    languageName: "python",
    uri: `file://${path.resolve(file)}`,
    content: fs.readFileSync(file, "utf-8"),
  }));
  const built = new ExpressionBuilder(adapter).build(sources, []);
  const expressions = built.expressionLinks.map((link) => link.expression);
  const lineOf = (link) => link.locationLink.targetRange.start.line;
  const undefinedSteps = input.features.flatMap((file) =>
    getGherkinDiagnostics(fs.readFileSync(file, "utf-8"), expressions)
      .filter((diagnostic) => diagnostic.message.startsWith("Undefined step"))
      .map((diagnostic) => ({ feature: file, line: diagnostic.range.start.line + 1, text: diagnostic.data.stepText })),
  );
  const matches = input.sentences.map((sentence) =>
    built.expressionLinks.filter((link) => link.expression.match(sentence)).map(lineOf),
  );
  const result = {
    indexed: built.expressionLinks.map((link) => ({ line: lineOf(link), source: link.expression.source })),
    errors: built.errors.map((error) => String(error)),
    undefined: undefinedSteps,
    matches,
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
