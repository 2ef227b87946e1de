import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { activate, closeAll, openText, positionOf } from "./util";

const POLICY = `mailpolicy: 1
sources:
  office: 203.0.113.0/24
  monitoring: 10.0.5.10
inbound:
  rules:
    - allow: 
      from: 
targets:
  aliyun:
    
`;

async function completionsAt(
  document: vscode.TextDocument,
  position: vscode.Position,
): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    "vscode.executeCompletionItemProvider",
    document.uri,
    position,
  );
  return list.items;
}

const label = (item: vscode.CompletionItem) => (typeof item.label === "string" ? item.label : item.label.label);

suite("completion", () => {
  suiteSetup(activate);
  suiteTeardown(closeAll);

  test("service names after allow:, with port and TLS mode", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const items = await completionsAt(document, positionOf(document, "- allow: "));
    const imaps = items.find((i) => label(i) === "imaps");
    assert.ok(imaps, "imaps is offered");
    assert.match(imaps.detail ?? "", /^993\/tcp · implicit TLS/);
    const pop3 = items.find((i) => label(i) === "pop3");
    assert.match(pop3?.detail ?? "", /^110\/tcp · STARTTLS/);
  });

  test("source names and built-ins after from:", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const labels = (await completionsAt(document, positionOf(document, "from: "))).map(label);
    for (const name of ["office", "monitoring", "any", "any4", "any6"]) assert.ok(labels.includes(name), name);
  });

  test("rule keys inside a rule; target options under a target", async () => {
    const { document } = await openText("mailpolicy", POLICY);
    const rule = (await completionsAt(document, new vscode.Position(7, 6))).map(label);
    for (const key of ["from", "note", "acknowledge", "expires"]) assert.ok(rule.includes(key), key);
    assert.ok(!rule.includes("to"), "`to` belongs to outbound rules");
    const aliyun = (await completionsAt(document, new vscode.Position(10, 4))).map(label);
    for (const key of ["regionId", "securityGroupId", "priority"]) assert.ok(aliyun.includes(key), key);
  });

  test("top-level keys at the start of a line", async () => {
    const { document } = await openText("mailpolicy", "mailpolicy: 1\n");
    const labels = (await completionsAt(document, new vscode.Position(1, 0))).map(label);
    for (const key of ["sources", "inbound", "outbound", "targets"]) assert.ok(labels.includes(key), key);
  });
});
