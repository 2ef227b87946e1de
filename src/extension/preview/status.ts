/**
 * The language status item of policy files: errors, warnings and targets at a
 * glance, and a click away from the preview.
 */
import * as vscode from "vscode";
import { configuredTargets } from "../../core/check";
import { checkDocument } from "../checkCache";
import { POLICY_LANGUAGE, POLICY_SELECTOR } from "../language";
import { type PolicySummary, summaryText } from "./previewModel";

const UPDATE_DELAY_MS = 300;

export function registerPolicyStatus(): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem("mailpolicy.status", POLICY_SELECTOR);
  item.name = vscode.l10n.t("Mail Policy");
  let timer: ReturnType<typeof setTimeout> | undefined;

  const update = () => {
    timer = undefined;
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== POLICY_LANGUAGE) return;
    try {
      const check = checkDocument(document);
      const summary: PolicySummary = {
        errors: check.diagnostics.filter((d) => d.severity === "error").length,
        warnings: check.diagnostics.filter((d) => d.severity === "warning").length,
        targets: configuredTargets(check.policy),
      };
      item.text = summaryText(summary, vscode.l10n.t);
      item.detail =
        summary.targets.length > 0
          ? vscode.l10n.t("Targets: {0}", summary.targets.join(", "))
          : vscode.l10n.t("No targets configured");
      item.severity =
        summary.errors > 0
          ? vscode.LanguageStatusSeverity.Error
          : summary.warnings > 0
            ? vscode.LanguageStatusSeverity.Warning
            : vscode.LanguageStatusSeverity.Information;
    } catch {
      item.text = vscode.l10n.t("$(error) Policy check failed");
      item.severity = vscode.LanguageStatusSeverity.Error;
    }
    item.command = {
      title: vscode.l10n.t("Open Preview"),
      command: "mailpolicy.showPreviewToSide",
      arguments: [document.uri],
    };
  };
  const schedule = (delay: number) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(update, delay);
  };

  schedule(0);
  return vscode.Disposable.from(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => schedule(0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) schedule(UPDATE_DELAY_MS);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("mailpolicy")) schedule(0);
    }),
    { dispose: () => timer !== undefined && clearTimeout(timer) },
  );
}
