/**
 * The in-host suite's entry: VS Code calls `run()` inside the extension host
 * (code-server through the workbench payload; Electron through @vscode/test-electron).
 * A rejected promise is a failed run.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import Mocha from "mocha";

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "tdd", color: false, timeout: 20_000, reporter: "spec" });
  const grep = process.env.MAILPOLICY_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith(".test.js")) mocha.addFile(path.join(__dirname, file));
  }
  // The code-server runner prints only what lies between these markers.
  console.log("mailpolicy in-host suite: begin");
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log("mailpolicy in-host suite: end");
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
  });
}
