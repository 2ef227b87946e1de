/**
 * Bundles the in-host test suite (test/e2e/suite/*.ts) to out/test/*.js, the
 * layout both runners load: code-server through the workbench `payload`, and
 * @vscode/test-cli through .vscode-test.mjs.
 */
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SUITE_OUT = path.join(ROOT, "out", "test");

export async function buildSuite(): Promise<void> {
  const suiteDir = path.join(ROOT, "test", "e2e", "suite");
  const entryPoints = readdirSync(suiteDir)
    .filter((f) => f === "index.ts" || f.endsWith(".test.ts"))
    .map((f) => path.join(suiteDir, f));
  await build({
    entryPoints,
    outdir: SUITE_OUT,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    // Resolved in the extension host: its own vscode API, mocha from node_modules.
    external: ["vscode", "mocha"],
    sourcemap: "inline",
    logLevel: "warning",
  });
  // Remove bundles of deleted tests, without emptying the folder under a run that is using it.
  const current = new Set(entryPoints.map((f) => `${path.basename(f, ".ts")}.js`));
  for (const file of readdirSync(SUITE_OUT)) {
    if (file.endsWith(".js") && !current.has(file)) rmSync(path.join(SUITE_OUT, file), { force: true });
  }
}

if (require.main === module) {
  buildSuite().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
