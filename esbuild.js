// Bundles the CLI and the extension (Node and browser) from TypeScript sources.
// `node esbuild.js --watch` rebuilds on change.
const esbuild = require("esbuild");
const fs = require("node:fs");

const watch = process.argv.includes("--watch");

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cli.js",
    platform: "node",
    format: "cjs",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
];
builds.push(...require("./media/build.js")); // the preview webview's script and stylesheet
if (fs.existsSync("src/extension/extension.ts")) {
  builds.push(
    {
      entryPoints: ["src/extension/extension.ts"],
      outfile: "dist/extension.js",
      platform: "node",
      format: "cjs",
      target: "node20",
      external: ["vscode"],
    },
    {
      entryPoints: ["src/extension/extension.ts"],
      outfile: "dist/web/extension.js",
      platform: "browser",
      format: "cjs",
      target: "es2022",
      external: ["vscode"],
      // The browser build must not pull in Node: fail the build if anything tries.
      alias: {},
    },
  );
}

async function main() {
  const common = { bundle: true, sourcemap: false, minify: !watch, logLevel: "warning", legalComments: "none" };
  if (watch) {
    for (const b of builds) (await esbuild.context({ ...common, ...b })).watch();
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  fs.chmodSync("dist/cli.js", 0o755);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
