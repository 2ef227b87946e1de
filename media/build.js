// The preview webview's own bundle (script and stylesheet), built by esbuild.js
// from the project root: `builds.push(...require("./media/build.js"))`.

/** @type {import('esbuild').BuildOptions[]} */
module.exports = [
  {
    entryPoints: ["media/preview.ts"],
    outfile: "dist/media/preview.js",
    platform: "browser",
    format: "iife",
    target: "es2022",
  },
  {
    entryPoints: ["media/preview.css"],
    outfile: "dist/media/preview.css",
  },
];
