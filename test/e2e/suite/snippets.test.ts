import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, closeAll, diagnosticsWhen, openText } from "./util";

suite("snippets", () => {
  suiteSetup(activate);
  teardown(closeAll);

  test("the reject tail inserts into an iptables file", async () => {
    const editor = await openText("iptables", "*filter\n:INPUT DROP [0:0]\n\nCOMMIT\n");
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await vscode.commands.executeCommand("editor.action.insertSnippet", {
      langId: "iptables",
      name: "Reject the rest",
    });
    const text = editor.document.getText();
    assert.match(text, /-A INPUT -p tcp -j REJECT --reject-with tcp-reset\n/);
    assert.match(text, /-A INPUT -j DROP\nCOMMIT/);
  });

  test("the MX skeleton inserts a policy without errors", async () => {
    const editor = await openText("mailpolicy", "");
    await vscode.commands.executeCommand("editor.action.insertSnippet", {
      langId: "mailpolicy",
      name: "Policy: MX host",
    });
    assert.match(editor.document.getText(), /^mailpolicy: 1\nname: mx1\.example\.com\n/);
    // Until the check of the inserted text arrives, the empty file's error is still there.
    await diagnosticsWhen(
      editor.document.uri,
      (ds) => !ds.some((d) => d.severity === vscode.DiagnosticSeverity.Error),
      "a policy without errors",
    );
  });

  test("shell scripts get the iptables commands", async () => {
    const editor = await openText("shellscript", "#!/bin/sh\n");
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand("editor.action.insertSnippet", {
      langId: "shellscript",
      name: "iptables: save to rules.v4",
    });
    assert.match(editor.document.getText(), /iptables-save > \/etc\/iptables\/rules\.v4/);
  });
});
