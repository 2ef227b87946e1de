/**
 * One check per document version: diagnostics and quick fixes share it, so the
 * code-action requests VS Code makes on every cursor move cost a map lookup.
 */
import type * as vscode from "vscode";
import { type CheckResult, checkPolicy } from "../core/check";
import { severityOverrides } from "./convert";
import { uiLang } from "./language";

interface Entry {
  readonly version: number;
  /** Language, severity settings and date: a change in any of them means a new check. */
  readonly key: string;
  readonly result: CheckResult;
}

/**
 * By document object, not by URI: a document closed and opened again (a file
 * reopened after it changed on disk, an untitled name given out again) is a new
 * object that starts again at version 1, and must never get the old one's check.
 */
const cache = new WeakMap<vscode.TextDocument, Entry>();

/** The check of a policy document's current text, with the user's severity settings. */
export function checkDocument(document: vscode.TextDocument): CheckResult {
  const lang = uiLang();
  const severities = severityOverrides(document.uri);
  const today = new Date().toISOString().slice(0, 10);
  const key = JSON.stringify([lang, severities, today]);
  const hit = cache.get(document);
  if (hit && hit.version === document.version && hit.key === key) return hit.result;
  const result = checkPolicy(document.getText(), { lang, severities, today });
  cache.set(document, { version: document.version, key, result });
  return result;
}

/** Drops a closed document's check at once, rather than when the document object goes. */
export function forgetDocument(document: vscode.TextDocument): void {
  cache.delete(document);
}
