/**
 * Owns every open preview. As in VS Code's Markdown preview, at most one
 * unlocked preview follows the active policy editor; locked ones stay on their
 * policy. Previews come back after a window reload through the serializer.
 */
import * as vscode from "vscode";
import { POLICY_LANGUAGE } from "../language";
import { PolicyPreview, PREVIEW_VIEW_TYPE } from "./policyPreview";
import type { PersistedPreviewState } from "./protocol";

export interface ShowPreviewOptions {
  /** Open beside the active editor rather than in its place. */
  readonly toSide: boolean;
  readonly locked?: boolean;
}

export class PreviewManager implements vscode.Disposable, vscode.WebviewPanelSerializer<PersistedPreviewState> {
  private readonly previews = new Set<PolicyPreview>();
  private activePreview: PolicyPreview | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, this),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.languageId !== POLICY_LANGUAGE) return;
        for (const p of this.previews) if (!p.locked) p.setResource(editor.document.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        for (const p of this.previewsOf(e.document.uri)) p.scheduleUpdate();
      }),
      // A policy opened again (a file reopened, an untitled name given out again) is a new document.
      vscode.workspace.onDidOpenTextDocument((document) => {
        for (const p of this.previewsOf(document.uri)) p.scheduleUpdate(0);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        for (const p of this.previewsOf(e.textEditor.document.uri)) p.updateCursor(e.textEditor);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("mailpolicy")) for (const p of this.previews) p.refresh();
      }),
    );
  }

  private previewsOf(uri: vscode.Uri): PolicyPreview[] {
    const key = uri.toString();
    return [...this.previews].filter((p) => p.resource.toString() === key);
  }

  /** All open previews (tests and commands read them). */
  get all(): readonly PolicyPreview[] {
    return [...this.previews];
  }

  /** The preview whose panel has focus, if any. */
  get active(): PolicyPreview | undefined {
    return this.activePreview;
  }

  /** Opens (or reveals) a preview of `resource`. */
  show(resource: vscode.Uri, options: ShowPreviewOptions): PolicyPreview {
    const locked = options.locked ?? false;
    const column = options.toSide ? vscode.ViewColumn.Beside : (vscode.window.activeTextEditor?.viewColumn ?? 1);
    const existing = locked
      ? this.previewsOf(resource).find((p) => p.locked)
      : [...this.previews].find((p) => !p.locked);
    if (existing) {
      existing.setResource(resource);
      existing.panel.reveal(options.toSide ? existing.panel.viewColumn : column, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PREVIEW_VIEW_TYPE,
      "",
      { viewColumn: column, preserveFocus: options.toSide },
      { enableFindWidget: true, enableScripts: true, retainContextWhenHidden: false },
    );
    return this.track(new PolicyPreview(panel, this.context, { resource, locked }));
  }

  /** Restores a preview after a window reload, from the state its webview saved. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PersistedPreviewState | undefined): Promise<void> {
    if (!state?.resource) {
      panel.dispose();
      return;
    }
    this.track(
      new PolicyPreview(panel, this.context, {
        resource: vscode.Uri.parse(state.resource),
        locked: state.locked,
        host: state.host,
        cloud: state.cloud,
      }),
    );
  }

  private track(preview: PolicyPreview): PolicyPreview {
    this.previews.add(preview);
    if (preview.panel.active) this.activePreview = preview;
    preview.panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.active) this.activePreview = preview;
      else if (this.activePreview === preview) this.activePreview = undefined;
    });
    preview.onDidDispose(() => {
      this.previews.delete(preview);
      if (this.activePreview === preview) this.activePreview = undefined;
    });
    return preview;
  }

  dispose(): void {
    for (const p of this.previews) p.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
