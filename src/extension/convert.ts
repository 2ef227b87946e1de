/** Converts core results (offsets, severities) to VS Code types. */
import * as vscode from "vscode";
import { DIAGNOSTIC_CODES, type PolicyDiagnostic, type Severity, type SeverityOverrides } from "../core/diagnostics";
import type { TextRange } from "../core/model";

/** The `source` shown in the Problems panel. */
export const DIAGNOSTIC_SOURCE = "mailpolicy";

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(document: vscode.TextDocument, range: TextRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
}

export function toDiagnostic(document: vscode.TextDocument, d: PolicyDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(document, d.range), d.message, SEVERITIES[d.severity]);
  out.code = d.code;
  out.source = DIAGNOSTIC_SOURCE;
  return out;
}

const SETTING_VALUES = new Set(["error", "warning", "info", "hint", "off"]);

/**
 * Reads `mailpolicy.diagnostics.severity` for a document. Unknown codes and
 * values are ignored so a typo in settings never breaks checking.
 */
export function severityOverrides(scope?: vscode.ConfigurationScope): SeverityOverrides {
  const raw = vscode.workspace
    .getConfiguration("mailpolicy", scope)
    .get<Record<string, unknown>>("diagnostics.severity");
  const out: Record<string, Severity | "off"> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const code of DIAGNOSTIC_CODES) {
    const value = raw[code];
    if (typeof value === "string" && SETTING_VALUES.has(value)) out[code] = value as Severity | "off";
  }
  return out;
}
