/**
 * The palette commands that are not the preview: generate files, start a new
 * policy from a template, explain a port.
 */
import * as vscode from "vscode";
import { EXPLAIN_SCHEME, explainPortCommand, PortDocumentationProvider } from "./explainPort";
import { generateAll, generateOne } from "./generate";
import { newPolicy } from "./newPolicy";

export function registerCommands(_context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand("mailpolicy.generate", generateOne),
    vscode.commands.registerCommand("mailpolicy.generateAll", generateAll),
    vscode.commands.registerCommand("mailpolicy.newPolicy", newPolicy),
    vscode.commands.registerCommand("mailpolicy.explainPort", explainPortCommand),
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, new PortDocumentationProvider()),
  );
}
