// @vscode/test-cli configuration (`npm run test:electron`): the same in-host suite
// as `npm run test:e2e`, in a VS Code Electron that @vscode/test-electron downloads
// (needs the internet; `npm run test:e2e` runs it offline in code-server).
import { defineConfig } from "@vscode/test-cli";

export default defineConfig({
  label: "in-host",
  // Bundled from test/e2e/suite by test/e2e/build.ts.
  files: "out/test/**/*.test.js",
  // The repository itself: the tests open examples/ and test/e2e/fixtures/.
  workspaceFolder: ".",
  version: "1.100.3",
  launchArgs: ["--disable-extensions", "--disable-workspace-trust"],
  mocha: { ui: "tdd", timeout: 20000, color: true },
});
