/**
 * `mailpolicy.explainPort`: a port or service name in, its documentation out,
 * rendered by VS Code's Markdown preview from a read-only virtual document.
 */
import * as vscode from "vscode";
import { explainPort } from "../../core/explain";
import { uiLang } from "../language";

export const EXPLAIN_SCHEME = "mailpolicy-explain";

/** The virtual document's URI: the query travels in the URI's query, the path only names the tab. */
export function explainUri(query: string): vscode.Uri {
  const name = query.trim().replace(/[^\w.-]+/g, "-") || "port";
  return vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}.md`, query: encodeURIComponent(query.trim()) });
}

/** Serves the documentation for `mailpolicy-explain:` URIs. */
export class PortDocumentationProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = decodeURIComponent(uri.query);
    return (
      explainPort(query, uiLang(), { rfcLinks: true }) ??
      vscode.l10n.t("`{0}` is neither a port number nor a service name in the catalog.", query)
    );
  }
}

/** Asks for a port (`993`, `514/udp`) or a name (`imaps`) and shows what it is. */
export async function explainPortCommand(query?: unknown): Promise<vscode.Uri | undefined> {
  const input =
    typeof query === "string"
      ? query
      : await vscode.window.showInputBox({
          title: vscode.l10n.t("Explain a Port"),
          prompt: vscode.l10n.t("A port number, number/protocol or service name: 993, 514/udp, imaps"),
          placeHolder: "993",
          validateInput: (value) =>
            value.trim() === "" || explainPort(value, uiLang()) !== undefined
              ? undefined
              : vscode.l10n.t("Not a port (1-65535, optionally /tcp or /udp) or a known service name."),
        });
  if (!input?.trim()) return undefined;
  if (explainPort(input, uiLang()) === undefined) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t("`{0}` is neither a port number nor a service name in the catalog.", input.trim()),
    );
    return undefined;
  }
  const uri = explainUri(input);
  try {
    await vscode.commands.executeCommand("markdown.showPreview", uri);
  } catch {
    // Without the built-in Markdown extension, the Markdown source is still readable.
    await vscode.window.showTextDocument(uri, { preview: true });
  }
  return uri;
}
