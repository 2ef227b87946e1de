// Checks the bundled JavaScript in dist/ against size budgets; exits 1 when a
// bundle is over its budget (or a budgeted bundle is missing), so a build step can
// fail on it: `node esbuild.js && node bench/bundle-budget.mjs`.
//
// Why budgets: the extension is loaded on activation (Node and browser), and the
// CLI on every run; both parse the whole bundle first. The `yaml` and `ipaddr.js`
// dependencies alone minify to about 125 KiB, and each bundle was about 230 KiB
// when the budgets were set: they leave about 40% room for growth and catch
// accidents such as bundling Node polyfills, the cloud SDKs, or an unminified build.
//
// Usage: node bench/bundle-budget.mjs [--json] [DIST_DIR]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

/** Budgets in bytes, by path under dist/. Other .js files get OTHER_BUDGET. */
export const BUDGETS = {
  "cli.js": 320 * 1024,
  "extension.js": 320 * 1024,
  "web/extension.js": 320 * 1024,
};
/** The preview's webview script, or any other bundle that appears later. */
export const OTHER_BUDGET = 64 * 1024;
/** Bundles that must exist once their entry point exists (checked only when dist has an extension). */
const REQUIRED = ["cli.js"];

function listJs(dir, root = dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listJs(full, root));
    else if (entry.name.endsWith(".js")) found.push(relative(root, full).split("\\").join("/"));
  }
  return found.sort();
}

/** Sizes of every .js bundle in `distDir` with its budget and verdict. */
export function checkBundles(distDir = "dist") {
  const files = listJs(distDir);
  const rows = files.map((file) => {
    const bytes = statSync(join(distDir, file)).size;
    const gzipBytes = gzipSync(readFileSync(join(distDir, file))).length;
    const budget = BUDGETS[file] ?? OTHER_BUDGET;
    return { file: `${distDir}/${file}`, bytes, gzipBytes, budget, ok: bytes <= budget };
  });
  for (const file of REQUIRED) {
    if (!files.includes(file))
      rows.push({ file: `${distDir}/${file}`, bytes: 0, gzipBytes: 0, budget: 0, ok: false, missing: true });
  }
  return rows;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const distDir = args.find((a) => !a.startsWith("--")) ?? "dist";
  const rows = checkBundles(distDir);
  if (json) {
    console.log(JSON.stringify(rows));
  } else {
    for (const r of rows) {
      const verdict = r.missing ? "MISSING" : r.ok ? "ok" : "OVER BUDGET";
      console.log(
        `${r.file.padEnd(24)} ${kib(r.bytes).padStart(11)} (gzip ${kib(r.gzipBytes)}) budget ${kib(r.budget)}  ${verdict}`,
      );
    }
  }
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) {
    if (!json) console.error(`bundle budget: ${failed.map((r) => r.file).join(", ")} over budget or missing`);
    process.exit(1);
  }
}
