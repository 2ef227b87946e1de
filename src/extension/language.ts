/** Which language the editor's texts use, and the document selectors of the two languages. */
import * as vscode from "vscode";
import { langFromLocale } from "../core/i18n";
import type { Lang } from "../core/model";

export const POLICY_LANGUAGE = "mailpolicy";
export const IPTABLES_LANGUAGE = "iptables";

/** Policy files, on disk or not (untitled, virtual workspaces). */
export const POLICY_SELECTOR: vscode.DocumentSelector = { language: POLICY_LANGUAGE };
export const IPTABLES_SELECTOR: vscode.DocumentSelector = { language: IPTABLES_LANGUAGE };

/** The UI language of core texts (hover, diagnostics): Simplified Chinese for any `zh*` display language. */
export function uiLang(): Lang {
  return langFromLocale(vscode.env.language);
}
