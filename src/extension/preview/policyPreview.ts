/**
 * One preview panel: a webview showing what a policy generates, kept current
 * by messages (the HTML is set once), throttled while the user types.
 */
import * as vscode from "vscode";
import { configuredTargets } from "../../core/check";
import type { Policy } from "../../core/model";
import { checkDocument } from "../checkCache";
import { toRange } from "../convert";
import { POLICY_LANGUAGE, uiLang } from "../language";
import { previewLabels } from "./labels";
import { createNonce, escapeHtml, renderPreviewHtml } from "./previewHtml";
import { findRule, previewStateOf, ruleAtOffset, type SentOutputs, sentState } from "./previewModel";
import {
  CLOUD_TARGETS,
  type CloudTarget,
  type FromWebview,
  HOST_TARGETS,
  type HostTarget,
  type PreviewState,
  parseRuleKey,
  type RuleKey,
  ruleKey,
  type ToWebview,
} from "./protocol";

export const PREVIEW_VIEW_TYPE = "mailpolicy.preview";

/** Updates at most this often while typing: fast enough to feel live, cheap for large policies. */
export const UPDATE_THROTTLE_MS = 150;

/** The user's last Alibaba Cloud / AWS and IPv4 / IPv6 choice, kept across sessions. */
const CLOUD_KEY = "mailpolicy.preview.cloud";
const HOST_KEY = "mailpolicy.preview.host";

export interface PreviewOptions {
  readonly resource: vscode.Uri;
  readonly locked: boolean;
  readonly host?: HostTarget;
  readonly cloud?: CloudTarget;
}

export class PolicyPreview implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The document last sent, and its version; `-1` forces the next update. By
   * object, not by URI: VS Code gives a closed untitled document's name to the
   * next one, and a file opened again is a new document; both start at version 1.
   */
  private sentDocument: vscode.TextDocument | undefined;
  private sentVersion = -1;
  private policy: Policy | undefined;
  private state: PreviewState | undefined;
  /** What the webview holds of each output, so an update sends only the lines that changed. */
  private readonly sent: SentOutputs = new Map();
  private sentId = 0;
  private cursorRule: RuleKey | null = null;
  private disposed = false;
  /** Messages sent before the HTML is set would be lost: updates wait for it. */
  private htmlSet = false;
  private wasVisible = true;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;
  resource: vscode.Uri;
  locked: boolean;
  private host: HostTarget;
  private cloud: CloudTarget | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    options: PreviewOptions,
  ) {
    this.resource = options.resource;
    this.locked = options.locked;
    this.host = options.host ?? context.globalState.get<HostTarget>(HOST_KEY) ?? "iptables";
    this.cloud = options.cloud ?? context.globalState.get<CloudTarget>(CLOUD_KEY);
    const mediaRoot = vscode.Uri.joinPath(context.extensionUri, "dist", "media");
    panel.webview.options = { enableScripts: true, localResourceRoots: [mediaRoot] };
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down and rebuilt from the HTML's first state when
        // shown again, so it needs the current state even if the document did not change.
        if (panel.visible && !this.wasVisible) this.refresh();
        this.wasVisible = panel.visible;
      }),
    );
    this.setTitle();
    void this.initialize(mediaRoot);
  }

  /** Sets the HTML once, with the first state inside, so the panel paints without waiting for a message. */
  private async initialize(mediaRoot: vscode.Uri): Promise<void> {
    const webview = this.panel.webview;
    const state = await this.computeState();
    if (!state) {
      const message = vscode.l10n.t("Cannot open {0}.", this.resource.toString(true));
      const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`;
      webview.html = `<!DOCTYPE html><html><head>${csp}</head><body><p>${escapeHtml(message)}</p></body></html>`;
      return;
    }
    // The page starts from this state: its outputs are the ones later patches apply to (id 0).
    this.sent.clear();
    sentState(state, this.sent, 0);
    webview.html = renderPreviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, "preview.js")).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, "preview.css")).toString(),
      state,
    });
    this.htmlSet = true;
    // The document may have changed while the first state was computed.
    this.scheduleUpdate(0);
  }

  private setTitle(): void {
    const name = this.resource.path.split("/").pop() ?? "";
    this.panel.title = this.locked ? vscode.l10n.t("[Preview] {0}", name) : vscode.l10n.t("Preview {0}", name);
  }

  /** Shows another policy in this panel (an unlocked preview following the active editor). */
  setResource(resource: vscode.Uri): void {
    if (resource.toString() === this.resource.toString()) return;
    this.resource = resource;
    this.sentVersion = -1;
    this.sent.clear();
    this.setTitle();
    this.scheduleUpdate(0);
  }

  /** Unlocking jumps to the active policy editor at once, as the Markdown preview does. */
  toggleLock(): void {
    this.locked = !this.locked;
    this.setTitle();
    this.sentVersion = -1;
    const active = vscode.window.activeTextEditor?.document;
    if (!this.locked && active?.languageId === POLICY_LANGUAGE) this.setResource(active.uri);
    this.scheduleUpdate(0);
  }

  /** Forces a full update, every output whole (after a settings change, or when the webview was rebuilt). */
  refresh(): void {
    this.sentVersion = -1;
    this.sent.clear();
    this.scheduleUpdate(0);
  }

  /** Throttled: a pending update absorbs later changes instead of being pushed back. */
  scheduleUpdate(delay = UPDATE_THROTTLE_MS): void {
    if (this.timer !== undefined) {
      if (delay > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delay);
  }

  private async document(): Promise<vscode.TextDocument | undefined> {
    const key = this.resource.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(this.resource);
    } catch {
      return undefined;
    }
  }

  private cursorOffset(document: vscode.TextDocument): number | undefined {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    return editor ? document.offsetAt(editor.selection.active) : undefined;
  }

  private async computeState(): Promise<PreviewState | undefined> {
    const document = await this.document();
    if (!document) return undefined;
    const check = checkDocument(document);
    const configured = configuredTargets(check.policy);
    const cloud = this.cloud ?? (configured.includes("aws") && !configured.includes("aliyun") ? "aws" : "aliyun");
    // Outputs the check planned are reused; only the others are made here.
    const state = previewStateOf(check, document.getText(), {
      resource: document.uri.toString(),
      title: document.uri.path.split("/").pop() ?? "",
      version: document.version,
      lang: uiLang(),
      locked: this.locked,
      labels: previewLabels(),
      host: this.host,
      cloud,
      cursorOffset: this.cursorOffset(document),
    });
    this.policy = check.policy;
    this.state = state;
    this.cursorRule = state.cursorRule;
    this.sentDocument = document;
    this.sentVersion = document.version;
    return state;
  }

  /** Sends the new state, unless the document has not changed since the last one. */
  private async update(): Promise<void> {
    if (!this.panel.visible || !this.htmlSet) return;
    const document = await this.document();
    if (!document) return;
    if (document === this.sentDocument && document.version === this.sentVersion) return;
    const state = await this.computeState();
    if (state) this.post({ type: "update", state: sentState(state, this.sent, ++this.sentId) });
  }

  /** Highlights the output lines of the rule under the cursor. */
  updateCursor(editor: vscode.TextEditor): void {
    if (!this.policy || editor.document !== this.sentDocument || editor.document.version !== this.sentVersion) return;
    const rule = ruleAtOffset(this.policy, editor.document.offsetAt(editor.selection.active));
    const key = rule ? ruleKey(rule) : null;
    if (key === this.cursorRule) return;
    this.cursorRule = key;
    this.post({ type: "cursor", rule: key });
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case "revealRule": {
        const ref = parseRuleKey(message.rule);
        const rule = ref && this.policy ? findRule(this.policy, ref) : undefined;
        if (rule) await this.reveal(rule.actionRange.start, rule.actionRange.end);
        break;
      }
      case "revealRange":
        await this.reveal(message.start, message.end);
        break;
      case "select":
        // The webview is ours, but its messages are still input: keep only known targets.
        if (!HOST_TARGETS.includes(message.host) || !CLOUD_TARGETS.includes(message.cloud)) break;
        this.host = message.host;
        this.cloud = message.cloud;
        // Only the shown outputs are sent: showing another needs a new state. What the page
        // holds stays valid, so the side that did not switch goes as a patch, not whole again.
        if (this.state && !this.state.hasErrors) {
          const sent = this.state.outputs.map((o) => o.target);
          if (!sent.includes(message.host) || !sent.includes(message.cloud)) {
            this.sentVersion = -1;
            this.scheduleUpdate(0);
          }
        }
        await this.context.globalState.update(HOST_KEY, message.host);
        await this.context.globalState.update(CLOUD_KEY, message.cloud);
        break;
      case "copy": {
        const output = this.state?.outputs.find((o) => o.target === message.target);
        if (!output) break;
        await vscode.env.clipboard.writeText(output.text);
        this.post({ type: "copied", side: message.side });
        break;
      }
      case "save":
        await this.save(message.target);
        break;
      case "toggleLock":
        this.toggleLock();
        break;
      case "resync":
        this.refresh();
        break;
    }
  }

  /** Shows the policy beside the preview with `start..end` selected. */
  async reveal(start: number, end: number): Promise<void> {
    const document = await this.document();
    if (!document) return;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      preserveFocus: false,
    });
    const range = toRange(document, { start, end });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(target: string): Promise<void> {
    const output = this.state?.outputs.find((o) => o.target === target);
    if (!output || output.failure) return;
    const folder = vscode.Uri.joinPath(this.resource, "..");
    const defaultUri =
      this.resource.scheme === "untitled"
        ? vscode.workspace.workspaceFolders?.[0]
          ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, output.fileName)
          : undefined
        : vscode.Uri.joinPath(folder, output.fileName);
    const uri = await vscode.window.showSaveDialog({ defaultUri, saveLabel: vscode.l10n.t("Save") });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(output.text));
    vscode.window.setStatusBarMessage(vscode.l10n.t("Saved {0}", uri.path.split("/").pop() ?? ""), 3000);
  }

  /** The last state sent to the webview (Copy, Save and the in-host tests read it). */
  get lastState(): PreviewState | undefined {
    return this.state;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.onDisposeEmitter.fire();
    this.onDisposeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
