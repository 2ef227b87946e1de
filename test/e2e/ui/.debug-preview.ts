// Temporary local driver (not part of the suite): runs only the preview UI checks.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../build";
import { CHROMIUM, ensureCodeServer } from "../install";
import { installVsix, isolatedEnv, startCodeServer } from "../server";
import { runPreviewUiChecks } from "./preview";

async function main() {
  const runDir = mkdtempSync("/tmp/pvdbg/run-");
  const bin = ensureCodeServer(path.join(ROOT, ".cache", "code-server"), console.log);
  const vsix = path.join(runDir, "m.vsix");
  if (!process.env.NOPKG) execFileSync("npm", ["run", "--silent", "package", "--", "--out", vsix], { cwd: ROOT, stdio: "ignore" });
  else cpSync("/tmp/pvdbg/last.vsix", vsix);
  cpSync(vsix, "/tmp/pvdbg/last.vsix");
  const workspace = path.join(runDir, "workspace");
  cpSync(path.join(ROOT, "examples"), path.join(workspace, "examples"), { recursive: true });
  installVsix(bin, runDir, vsix);
  const server = await startCodeServer(bin, runDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"], env: isolatedEnv(runDir) as Record<string, string> });
  try {
    await runPreviewUiChecks(browser, { url: server.url, workspace, screenshot: "/tmp/pvdbg/preview.png", log: console.log });
    console.log("PASS");
  } catch (e) {
    console.log("FAIL", e);
  } finally {
    await browser.close();
    await server.stop();
  }
}
main();
