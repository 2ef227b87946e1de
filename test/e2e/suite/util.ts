/** Helpers for the in-host tests: open documents, wait for the extension's results. */
import * as vscode from "vscode";

export const EXTENSION_ID = "mailpolicy.mailpolicy";

/** A file of the workspace, which mirrors the repository (examples/, test/e2e/fixtures/). */
export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("the in-host suite needs a workspace folder");
  return vscode.Uri.joinPath(folder.uri, ...relative.split("/"));
}

export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
}

/** Opens a file of the workspace in an editor. */
export async function openFile(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(document);
}

/** Opens an untitled document with the given language and text. */
export async function openText(language: string, content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(document);
}

/** Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The extension's diagnostics of a document once `accept` is satisfied with them.
 * A timeout says what was there instead. The wait is long for a check (debounced by
 * 200 ms) because a fresh machine's first run is several times slower than the next.
 */
export async function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (ds: vscode.Diagnostic[]) => boolean,
  what = "diagnostics",
): Promise<vscode.Diagnostic[]> {
  let last: vscode.Diagnostic[] = [];
  try {
    return await waitFor(
      what,
      () => {
        last = vscode.languages.getDiagnostics(uri).filter((d) => d.source === "mailpolicy");
        return accept(last) ? last : undefined;
      },
      10_000,
    );
  } catch (error) {
    const seen = last.map((d) => `${d.code} (${vscode.DiagnosticSeverity[d.severity]}, line ${d.range.start.line})`);
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; last seen: ${seen.join(", ") || "none"}`,
    );
  }
}

/** The position just after the first occurrence of `needle` (or at its start with `atStart`). */
export function positionOf(document: vscode.TextDocument, needle: string, atStart = false): vscode.Position {
  const offset = document.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" is not in the document`);
  return document.positionAt(atStart ? offset : offset + needle.length);
}

/** Closes every editor without saving: reverting first, so no "save changes?" dialog can block the run. */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++) {
    await vscode.commands.executeCommand("workbench.action.revertAndCloseActiveEditor");
  }
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
}

/** The Markdown of hovers as plain strings. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === "string" ? c : "value" in c ? c.value : ""))
    .join("\n");
}
