/** Hovers in policy and iptables files; the texts come from ./hoverText in the editor's language. */
import * as vscode from "vscode";
import type { Lang } from "../core/model";
import { toRange } from "./convert";
import { type HoverText, iptablesHover, policyHover } from "./hoverText";
import { IPTABLES_LANGUAGE, IPTABLES_SELECTOR, POLICY_SELECTOR, uiLang } from "./language";
import type { Log } from "./log";

/** The hover for a document position in the given language (tests pass the language explicitly). */
export function hoverAt(
  document: vscode.TextDocument,
  position: vscode.Position,
  lang: Lang,
): vscode.Hover | undefined {
  const text = document.getText();
  const offset = document.offsetAt(position);
  const found: HoverText | undefined =
    document.languageId === IPTABLES_LANGUAGE ? iptablesHover(text, offset, lang) : policyHover(text, offset, lang);
  if (!found) return undefined;
  return new vscode.Hover(new vscode.MarkdownString(found.markdown), toRange(document, found.range));
}

export function registerHover(_context: vscode.ExtensionContext, log: Log): vscode.Disposable {
  const provider: vscode.HoverProvider = {
    provideHover(document, position) {
      try {
        return hoverAt(document, position, uiLang());
      } catch (err) {
        log.error(`hover failed: ${String(err)}`);
        return undefined;
      }
    },
  };
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(POLICY_SELECTOR, provider),
    vscode.languages.registerHoverProvider(IPTABLES_SELECTOR, provider),
  );
}
