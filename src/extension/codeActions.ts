/**
 * Quick fixes for policy diagnostics: apply the core's suggestion (TLS twin,
 * network address, nearest name), or add the code to the rule's `acknowledge`.
 */
import * as vscode from "vscode";
import type { PolicyDiagnostic } from "../core/diagnostics";
import type { Rule } from "../core/model";
import { acknowledgeEdit } from "./acknowledge";
import { checkDocument } from "./checkCache";
import { DIAGNOSTIC_SOURCE, toRange } from "./convert";
import { POLICY_SELECTOR } from "./language";
import type { Log } from "./log";

/** The title of the quick fix that applies a diagnostic's suggestion. */
export function suggestionTitle(d: PolicyDiagnostic): string {
  const s = d.suggestion ?? "";
  switch (d.code) {
    case "security.plaintext-access":
    case "security.plaintext-http":
      return vscode.l10n.t("Use {0} (TLS) instead", s);
    case "source.host-bits":
      return vscode.l10n.t("Use the network address {0}", s);
    default:
      return vscode.l10n.t("Change to '{0}'", s);
  }
}

function findRule(policyRules: readonly Rule[], d: PolicyDiagnostic): Rule | undefined {
  return d.rule ? policyRules.find((r) => r.direction === d.rule?.direction && r.index === d.rule?.index) : undefined;
}

/** The quick fixes for the diagnostics VS Code passes in, matched to the core's by code and range. */
export function quickFixes(
  document: vscode.TextDocument,
  diagnostics: readonly vscode.Diagnostic[],
): vscode.CodeAction[] {
  const own = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  if (own.length === 0) return [];
  const text = document.getText();
  const result = checkDocument(document);
  const rules = [...result.policy.inbound.rules, ...result.policy.outbound.rules];
  const actions: vscode.CodeAction[] = [];
  for (const vd of own) {
    const d = result.diagnostics.find((c) => c.code === vd.code && toRange(document, c.range).isEqual(vd.range));
    if (!d) continue;
    if (d.suggestion !== undefined) {
      const fix = new vscode.CodeAction(suggestionTitle(d), vscode.CodeActionKind.QuickFix);
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.replace(document.uri, vd.range, d.suggestion);
      fix.diagnostics = [vd];
      fix.isPreferred = true;
      actions.push(fix);
    }
    const rule = findRule(rules, d);
    if (rule && d.severity === "warning") {
      const edit = acknowledgeEdit(text, rule, d.code);
      if (!edit) continue;
      const fix = new vscode.CodeAction(
        vscode.l10n.t("Acknowledge {0} on this rule", d.code),
        vscode.CodeActionKind.QuickFix,
      );
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.end)),
        edit.insert,
      );
      fix.diagnostics = [vd];
      actions.push(fix);
    }
  }
  return actions;
}

export function registerCodeActions(_context: vscode.ExtensionContext, log: Log): vscode.Disposable {
  const provider: vscode.CodeActionProvider = {
    provideCodeActions(document, _range, context) {
      try {
        return quickFixes(document, context.diagnostics);
      } catch (err) {
        log.error(`quick fixes failed: ${String(err)}`);
        return [];
      }
    },
  };
  return vscode.languages.registerCodeActionsProvider(POLICY_SELECTOR, provider, {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
}
