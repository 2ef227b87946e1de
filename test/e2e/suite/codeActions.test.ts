import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, closeAll, diagnosticsWhen, openText } from "./util";

const POLICY = `mailpolicy: 1
sources:
  lan: 10.0.0.1/8
inbound:
  rules:
    - allow: imap4
      from: lan
    - allow: pop3
      from: any
    - allow: imap
      from: any
      acknowledge: [rule.shadowed]
    - allow: ssh
      from: lan
`;

/** Applies the quick fix titled `title` for the diagnostic with `code`, and returns the new text. */
async function applyFix(code: string, title: RegExp, content = POLICY): Promise<string> {
  const editor = await openText("mailpolicy", content);
  const { document } = editor;
  const ds = await diagnosticsWhen(document.uri, (all) => all.some((d) => d.code === code), code);
  const d = ds.find((x) => x.code === code) as vscode.Diagnostic;
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    "vscode.executeCodeActionProvider",
    document.uri,
    d.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action?.edit, `no quick fix ${title} among: ${actions.map((a) => a.title).join(" | ")}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
  return document.getText();
}

suite("quick fixes", () => {
  suiteSetup(activate);
  teardown(closeAll);

  test("plaintext port to its TLS twin", async () => {
    const text = await applyFix("security.plaintext-access", /Use pop3s/);
    assert.match(text, /- allow: pop3s\n/);
  });

  test("host bits to the network address", async () => {
    const text = await applyFix("source.host-bits", /network address 10\.0\.0\.0\/8/);
    assert.match(text, /lan: 10\.0\.0\.0\/8\n/);
  });

  test("unknown service to the nearest name", async () => {
    const text = await applyFix("port.unknown-service", /Change to 'imaps'/);
    assert.match(text, /- allow: imaps\n {6}from: lan/);
  });

  test("add an acknowledge to a rule without one", async () => {
    const text = await applyFix("security.plaintext-access", /Acknowledge security\.plaintext-access/);
    assert.match(text, /- allow: pop3\n {6}from: any\n {6}acknowledge: \[security\.plaintext-access\]\n/);
  });

  test("add a code to an existing acknowledge list", async () => {
    const content = POLICY.replace("    - allow: pop3\n      from: any\n", "");
    const text = await applyFix("security.plaintext-access", /Acknowledge/, content);
    assert.match(text, /acknowledge: \[rule\.shadowed, security\.plaintext-access\]/);
  });

  test("an acknowledged warning disappears into a hint after the fix", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    // The warning on this document's `pop3` (line 7), not one left from a document closed before.
    const onPop3 = (severity: vscode.DiagnosticSeverity) => (ds: vscode.Diagnostic[]) =>
      ds.some(
        (d) =>
          d.code === "security.plaintext-access" &&
          d.severity === severity &&
          d.range.start.line === 7 &&
          document.getText(d.range) === "pop3",
      );
    await diagnosticsWhen(document.uri, onPop3(vscode.DiagnosticSeverity.Warning), "the warning on pop3");
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      document.uri,
      new vscode.Range(7, 13, 7, 17),
      vscode.CodeActionKind.QuickFix.value,
    );
    const ack = actions.find((a) => /Acknowledge security\.plaintext-access/.test(a.title));
    assert.ok(ack?.edit, `no acknowledge fix among: ${actions.map((a) => a.title).join(" | ")}`);
    assert.ok(await vscode.workspace.applyEdit(ack.edit), "the fix was not applied");
    assert.match(document.getText(), /- allow: pop3\n {6}from: any\n {6}acknowledge: \[security\.plaintext-access\]\n/);
    await diagnosticsWhen(document.uri, onPop3(vscode.DiagnosticSeverity.Hint), "the warning on pop3 as a hint");
  });
});
