/**
 * One check per document version, shared by the preview, the language status
 * item and the generate commands, so switching between them costs nothing.
 */
import type * as vscode from "vscode";
import { type CheckResult, checkPolicy } from "../../core/check";
import { severityOverrides } from "../convert";
import { uiLang } from "../language";

interface Entry {
  readonly version: number;
  readonly key: string;
  readonly result: CheckResult;
}

// Keyed by the document object: VS Code keeps one per open document, and a
// closed one is garbage-collected together with its entry.
const cache = new WeakMap<vscode.TextDocument, Entry>();

/** The checked policy of `document` at its current version, with the user's severity settings. */
export function checkDocument(document: vscode.TextDocument): CheckResult {
  const lang = uiLang();
  const severities = severityOverrides(document.uri);
  const key = `${lang}|${JSON.stringify(severities)}`;
  const hit = cache.get(document);
  if (hit && hit.version === document.version && hit.key === key) return hit.result;
  const result = checkPolicy(document.getText(), { lang, severities });
  cache.set(document, { version: document.version, key, result });
  return result;
}
