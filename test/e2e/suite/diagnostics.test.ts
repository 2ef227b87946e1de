import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { checkPolicy } from "../../../src/core/check";
import { LineIndex } from "../../../src/core/lines";
import { activate, closeAll, diagnosticsWhen, openFile, openText, workspaceUri } from "./util";

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const key = (code: unknown, r: vscode.Range, severity: vscode.DiagnosticSeverity) =>
  `${String(code)} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${severity}`;

suite("diagnostics", () => {
  suiteSetup(activate);
  teardown(closeAll);

  for (const file of [
    "examples/mx1.mailpolicy.yaml",
    "examples/submission-imap.mailpolicy.yaml",
    "examples/app-aliyun-mail.mailpolicy.yaml",
    "test/e2e/fixtures/plaintext.mailpolicy.yaml",
  ]) {
    test(`${file}: the core's codes, ranges and severities`, async () => {
      const editor = await openFile(file);
      const text = editor.document.getText();
      const lines = new LineIndex(text);
      const expected = checkPolicy(text).diagnostics.map((d) => {
        const s = lines.positionAt(d.range.start);
        const e = lines.positionAt(d.range.end);
        return key(d.code, new vscode.Range(s.line, s.character, e.line, e.character), SEVERITY[d.severity]);
      });
      const actual = await diagnosticsWhen(editor.document.uri, (ds) => ds.length === expected.length);
      assert.deepEqual(actual.map((d) => key(d.code, d.range, d.severity)).sort(), expected.sort());
    });
  }

  test("a plaintext port is a warning on the service name itself", async () => {
    const editor = await openFile("test/e2e/fixtures/plaintext.mailpolicy.yaml");
    const [d] = await diagnosticsWhen(editor.document.uri, (ds) => ds.length > 0);
    assert.equal(d.code, "security.plaintext-access");
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(editor.document.getText(d.range), "pop3");
  });

  test("an acknowledged warning is a hint", async () => {
    const editor = await openFile("examples/mx1.mailpolicy.yaml");
    const ds = await diagnosticsWhen(editor.document.uri, (all) => all.length > 0);
    const ack = ds.find((d) => d.code === "security.plaintext-access");
    assert.equal(ack?.severity, vscode.DiagnosticSeverity.Hint);
  });

  test("typing updates the diagnostics; closing clears them", async () => {
    const editor = await openText(
      "mailpolicy",
      "mailpolicy: 1\ninbound:\n  rules:\n    - allow: imaps\n      from: any\n",
    );
    const uri = editor.document.uri;
    await diagnosticsWhen(uri, (ds) => !ds.some((d) => d.code === "port.unknown-service"));
    await editor.edit((e) => e.insert(new vscode.Position(5, 0), "    - allow: imap5\n      from: any\n"));
    const ds = await diagnosticsWhen(uri, (all) => all.some((d) => d.code === "port.unknown-service"), "the new error");
    const d = ds.find((x) => x.code === "port.unknown-service");
    assert.equal(editor.document.getText(d?.range), "imap5");
    assert.equal(d?.severity, vscode.DiagnosticSeverity.Error);
    await closeAll();
    await diagnosticsWhen(uri, (all) => all.length === 0, "diagnostics to be cleared");
  });

  test("the severity setting changes and hides codes", async () => {
    const config = vscode.workspace.getConfiguration("mailpolicy");
    const editor = await openFile("test/e2e/fixtures/plaintext.mailpolicy.yaml");
    const uri = editor.document.uri;
    try {
      await config.update(
        "diagnostics.severity",
        { "security.plaintext-access": "error" },
        vscode.ConfigurationTarget.Global,
      );
      await diagnosticsWhen(uri, (ds) => ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error), "an error");
      await config.update(
        "diagnostics.severity",
        { "security.plaintext-access": "off" },
        vscode.ConfigurationTarget.Global,
      );
      await diagnosticsWhen(uri, (ds) => ds.length === 0, "the code to be hidden");
    } finally {
      await config.update("diagnostics.severity", undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsWhen(uri, (ds) => ds.length === 1, "the default back");
  });

  test("iptables files get no policy diagnostics", async () => {
    const editor = await openText("iptables", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n");
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri), []);
    assert.ok(workspaceUri("examples").path.endsWith("examples"));
  });
});
