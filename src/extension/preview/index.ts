/**
 * The policy preview: the webview panels, their commands and the language
 * status item that opens them.
 */
import * as vscode from "vscode";
import { POLICY_LANGUAGE } from "../language";
import { PreviewManager } from "./previewManager";
import { registerPolicyStatus } from "./status";

/** For the in-host tests: what each open preview last sent to its webview. */
export const PREVIEW_STATE_COMMAND = "_mailpolicy.preview.state";

/** The policy to preview: the command's argument (editor title button), else the active editor's document. */
function policyUri(manager: PreviewManager, uri: unknown): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === POLICY_LANGUAGE) return document.uri;
  return manager.active?.resource;
}

/**
 * Registers the preview commands (`mailpolicy.showPreview`, `mailpolicy.showPreviewToSide`,
 * lock and show-source), the webview serializer and the status item.
 */
export function registerPreviewFeatures(context: vscode.ExtensionContext): vscode.Disposable {
  const manager = new PreviewManager(context);
  const show = (toSide: boolean) => (uri?: unknown) => {
    const resource = policyUri(manager, uri);
    if (!resource) {
      void vscode.window.showInformationMessage(vscode.l10n.t("Open a Mail Policy file to preview it."));
      return;
    }
    manager.show(resource, { toSide });
  };
  return vscode.Disposable.from(
    manager,
    registerPolicyStatus(),
    vscode.commands.registerCommand("mailpolicy.showPreview", show(false)),
    vscode.commands.registerCommand("mailpolicy.showPreviewToSide", show(true)),
    vscode.commands.registerCommand("mailpolicy.preview.toggleLock", () => manager.active?.toggleLock()),
    vscode.commands.registerCommand("mailpolicy.preview.showSource", async () => {
      const preview = manager.active;
      if (!preview) return;
      const document = await vscode.workspace.openTextDocument(preview.resource);
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
    }),
    vscode.commands.registerCommand(PREVIEW_STATE_COMMAND, () =>
      manager.all.map((p) => ({
        resource: p.resource.toString(),
        locked: p.locked,
        viewColumn: p.panel.viewColumn,
        state: p.lastState,
        html: p.panel.webview.html,
      })),
    ),
  );
}
