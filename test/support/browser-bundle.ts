/** Bundling for tests, with the options of the project's browser build (esbuild.js). */
import { buildSync } from "esbuild";

/** `entry` and everything it imports as one CommonJS text, with `vscode` left to `require`. */
export function browserBundle(entry: string): string {
  return buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "browser",
    format: "cjs",
    external: ["vscode"],
    write: false,
    logLevel: "silent",
  }).outputFiles[0].text;
}
