import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, closeAll, workspaceUri } from "./util";

/** The language VS Code gives a workspace file when it is opened. */
async function languageOf(relative: string): Promise<string> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return document.languageId;
}

suite("languages", () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test("policy files by name", async () => {
    assert.equal(await languageOf("examples/mx1.mailpolicy.yaml"), "mailpolicy");
    assert.equal(await languageOf("test/e2e/fixtures/mailpolicy.yaml"), "mailpolicy");
  });

  test("iptables-save files by name and by their first line", async () => {
    assert.equal(await languageOf("test/e2e/fixtures/rules.v4"), "iptables");
    assert.equal(await languageOf("test/e2e/fixtures/firewall-backup"), "iptables");
  });

  test("other *.rules files (auditd, udev) are not claimed", async () => {
    assert.notEqual(await languageOf("test/e2e/fixtures/audit.rules"), "iptables");
  });
});
