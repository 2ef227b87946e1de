/**
 * The preview and the generate commands in a real VS Code: opened beside the
 * editor, following edits, showing errors instead of stale output, escaping
 * hostile notes, writing files atomically.
 */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { checkPolicy } from "../../../src/core/check";
import { generateTarget } from "../../../src/core/generate/index";
import type { PreviewState } from "../../../src/extension/preview/protocol";

interface PreviewInfo {
  readonly resource: string;
  readonly locked: boolean;
  readonly viewColumn: vscode.ViewColumn | undefined;
  readonly state: PreviewState | undefined;
  readonly html: string;
}

const POLICY = `mailpolicy: 1
name: preview.example.com
sources:
  office: 203.0.113.0/24
inbound:
  default: drop
  rules:
    - allow: smtp
      from: any
    - allow: ssh
      from: office
targets:
  iptables:
    ipv6: false
  aliyun:
    regionId: cn-hangzhou
    securityGroupId: sg-bp1example
`;

const HOSTILE_NOTE = "</pre><script>alert(1)</script>";

async function previews(): Promise<PreviewInfo[]> {
  return (await vscode.commands.executeCommand<PreviewInfo[]>("_mailpolicy.preview.state")) ?? [];
}

/** Polls until `check` returns a value (the preview updates asynchronously). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeout = 8000): Promise<T> {
  const end = Date.now() + timeout;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await check();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function previewOf(document: vscode.TextDocument, predicate: (s: PreviewState) => boolean = () => true) {
  return waitFor(`a preview of ${document.uri.path} at version ${document.version}`, async () => {
    const found = (await previews()).find(
      (p) =>
        p.resource === document.uri.toString() &&
        p.state?.version === document.version &&
        p.html !== "" &&
        predicate(p.state),
    );
    return found;
  });
}

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "the test runs in a workspace");
  return folder.uri;
}

async function writePolicy(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), "preview-tests", name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function replaceAll(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

suite("preview", () => {
  teardown(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("opens beside the editor with the host firewall and the security group", async () => {
    const document = await vscode.workspace.openTextDocument(await writePolicy("beside.mailpolicy.yaml", POLICY));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    const preview = await previewOf(document);
    const state = preview.state!;
    assert.equal(state.hasErrors, false);
    const { policy } = checkPolicy(POLICY);
    // The shown host and cloud targets (the user's last choice), and only those.
    assert.deepEqual(
      state.outputs.map((o) => o.target),
      [state.host, state.cloud],
    );
    for (const view of state.outputs) {
      assert.equal(view.text, generateTarget(policy, view.target).text, view.target);
      assert.equal(view.configured, view.target !== "ip6tables" && view.target !== "aws", view.target);
    }
    // The tab model reaches the extension host a moment after the panel exists.
    const tab = await waitFor("the preview's tab", async () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith("mailpolicy.preview")),
    );
    assert.equal(tab.label, "Preview beside.mailpolicy.yaml");
    assert.equal(tab.group.viewColumn, vscode.ViewColumn.Two);
    assert.equal(vscode.window.activeTextEditor?.document, document, "the editor keeps the focus");
  });

  test("follows an edit without reloading the page", async () => {
    const document = await vscode.workspace.openTextDocument(await writePolicy("edit.mailpolicy.yaml", POLICY));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    const before = await previewOf(document);
    await replaceAll(document, POLICY.replace("allow: ssh", "allow: 2222/tcp"));
    const after = await previewOf(document, (s) => s.outputs.some((o) => o.text.includes("--dport 2222")));
    assert.equal(after.html, before.html, "the HTML is set once; updates come as messages");
  });

  test("shows the errors, not stale output, while the policy has errors", async () => {
    const document = await vscode.workspace.openTextDocument(await writePolicy("errors.mailpolicy.yaml", POLICY));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    await previewOf(document);
    await replaceAll(document, POLICY.replace("allow: ssh", "allow: shh"));
    const broken = await previewOf(document, (s) => s.hasErrors);
    assert.deepEqual(broken.state!.outputs, []);
    const [error] = broken.state!.errors;
    assert.equal(error.code, "port.unknown-service");
    assert.equal(document.getText().slice(error.start, error.end), "shh");
    await replaceAll(document, POLICY);
    await previewOf(document, (s) => !s.hasErrors && s.outputs.length === 2);
    assert.equal(editor.document, document);
  });

  test("a note with </pre> and <script> stays text: one script element, the nonce one", async () => {
    const text = POLICY.replace("from: office", `from: office\n      note: "${HOSTILE_NOTE}"`);
    const document = await vscode.workspace.openTextDocument(await writePolicy("hostile.mailpolicy.yaml", text));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    const preview = await previewOf(document);
    assert.equal(preview.html.match(/<script/g)?.length, 1);
    assert.doesNotMatch(preview.html, /<\/pre>/);
    assert.match(preview.html, /<script nonce="[A-Za-z0-9_-]+" src=/);
    assert.match(preview.html, /Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-/);
  });

  test("an unlocked preview follows the active policy editor", async () => {
    const first = await vscode.workspace.openTextDocument(await writePolicy("first.mailpolicy.yaml", POLICY));
    const second = await vscode.workspace.openTextDocument(await writePolicy("second.mailpolicy.yaml", POLICY));
    await vscode.window.showTextDocument(first, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    await previewOf(first);
    await vscode.window.showTextDocument(second, vscode.ViewColumn.One);
    await previewOf(second);
    assert.equal((await previews()).length, 1, "one unlocked preview, reused");
  });

  test("a policy opened under the name of a closed one gets its own preview, not the closed one's", async () => {
    // VS Code gives a closed untitled document's name to the next one, whose version starts
    // again at 1 (and a file reopened after it changed on disk starts again at 1 too).
    const first = await vscode.workspace.openTextDocument({ language: "mailpolicy", content: POLICY });
    await vscode.window.showTextDocument(first, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    await previewOf(first);
    await vscode.window.showTextDocument(first, vscode.ViewColumn.One);
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
    const content = POLICY.replace("allow: ssh", "allow: 2222/tcp");
    const second = await vscode.workspace.openTextDocument({ language: "mailpolicy", content });
    assert.equal(second.uri.toString(), first.uri.toString(), "the closed document's name is given out again");
    assert.equal(second.version, 1);
    await vscode.window.showTextDocument(second, vscode.ViewColumn.One);
    await previewOf(second, (s) => s.outputs.some((o) => o.text.includes("--dport 2222")));
  });

  test("the rule under the cursor is sent to the preview", async () => {
    const document = await vscode.workspace.openTextDocument(await writePolicy("cursor.mailpolicy.yaml", POLICY));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const ssh = document.positionAt(POLICY.indexOf("allow: ssh") + 8);
    editor.selection = new vscode.Selection(ssh, ssh);
    await vscode.commands.executeCommand("mailpolicy.showPreviewToSide");
    const preview = await previewOf(document);
    assert.equal(preview.state!.cursorRule, "inbound:1");
  });
});

suite("generate commands", () => {
  teardown(async () => {
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("generateAll writes every configured target next to the policy, atomically, and opens the result", async () => {
    const uri = await writePolicy("gen/all.mailpolicy.yaml", POLICY);
    const written = await vscode.commands.executeCommand<vscode.Uri[]>("mailpolicy.generateAll", uri);
    const folder = vscode.Uri.joinPath(uri, "..");
    assert.deepEqual(
      written.map((u) => u.path.split("/").pop()),
      ["rules.v4", "aliyun-security-group.json"],
    );
    const { policy } = checkPolicy(POLICY);
    for (const [file, target] of [
      ["rules.v4", "iptables"],
      ["aliyun-security-group.json", "aliyun"],
    ] as const) {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, file));
      assert.equal(new TextDecoder().decode(bytes), generateTarget(policy, target).text, file);
    }
    const names = (await vscode.workspace.fs.readDirectory(folder)).map(([n]) => n).sort();
    assert.deepEqual(
      names,
      ["aliyun-security-group.json", "all.mailpolicy.yaml", "rules.v4"],
      "no temporary file left",
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.path, written[0].path);
  });

  test("generateAll honours mailpolicy.output.folder", async () => {
    const uri = await writePolicy("gen/folder.mailpolicy.yaml", POLICY);
    const config = vscode.workspace.getConfiguration("mailpolicy");
    await config.update("output.folder", "preview-tests/out", vscode.ConfigurationTarget.Workspace);
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri[]>("mailpolicy.generateAll", uri);
      assert.equal(written.length, 2);
      for (const u of written) assert.ok(u.path.endsWith(`/preview-tests/out/${u.path.split("/").pop()}`), u.path);
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(workspaceRoot(), "preview-tests", "out", "rules.v4"));
    } finally {
      await config.update("output.folder", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test("generate refuses while the policy has errors and writes nothing", async () => {
    const uri = await writePolicy("gen-broken/broken.mailpolicy.yaml", POLICY.replace("allow: ssh", "allow: shh"));
    const written = await vscode.commands.executeCommand<vscode.Uri[]>("mailpolicy.generate", uri, "iptables");
    assert.deepEqual(written, []);
    const names = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(uri, ".."))).map(([n]) => n);
    assert.deepEqual(names, ["broken.mailpolicy.yaml"]);
  });

  test("newPolicy opens an untitled policy from a template that checks clean", async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>(
      "mailpolicy.newPolicy",
      "app-aliyun-mail",
    );
    assert.equal(document.languageId, "mailpolicy");
    assert.equal(document.isUntitled, true);
    assert.match(document.getText(), /smtp\.qiye\.aliyun\.com:465/);
    assert.equal(checkPolicy(document.getText()).hasErrors, false);
  });

  test("explainPort shows the port's documentation", async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>("mailpolicy.explainPort", "993");
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.getText(), /imaps/);
    assert.match(document.getText(), /993/);
  });
});
