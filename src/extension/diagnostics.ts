/**
 * Diagnostics for policy files: checked on open, re-checked while typing
 * (debounced, only the document that changed) and cleared on close.
 */
import * as vscode from "vscode";
import { checkDocument, forgetDocument } from "./checkCache";
import { toDiagnostic } from "./convert";
import { POLICY_LANGUAGE } from "./language";
import type { Log } from "./log";

/** Long enough to skip most keystrokes, short enough to feel immediate. */
export const DEBOUNCE_MS = 200;

export function registerDiagnostics(_context: vscode.ExtensionContext, log: Log): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(POLICY_LANGUAGE);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const cancel = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    const timer = timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(key);
  };

  const check = (document: vscode.TextDocument) => {
    cancel(document);
    if (document.languageId !== POLICY_LANGUAGE || document.isClosed) return;
    const started = Date.now();
    try {
      const result = checkDocument(document);
      collection.set(
        document.uri,
        result.diagnostics.map((d) => toDiagnostic(document, d)),
      );
      log.trace(
        `checked ${document.uri.toString()} v${document.version}: ${result.diagnostics.length} in ${Date.now() - started} ms`,
      );
    } catch (err) {
      // A bug in the checker must not leave stale squiggles behind.
      collection.delete(document.uri);
      log.error(
        `checking ${document.uri.toString()} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
    }
  };

  const schedule = (document: vscode.TextDocument) => {
    if (document.languageId !== POLICY_LANGUAGE) return;
    cancel(document);
    timers.set(
      document.uri.toString(),
      setTimeout(() => check(document), DEBOUNCE_MS),
    );
  };

  vscode.workspace.textDocuments.forEach(check);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      cancel(document);
      forgetDocument(document);
      collection.delete(document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("mailpolicy.diagnostics")) vscode.workspace.textDocuments.forEach(check);
    }),
    {
      dispose: () => {
        for (const timer of timers.values()) clearTimeout(timer);
      },
    },
  );
}
