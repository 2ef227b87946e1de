/**
 * The one diagnostic type shared by the CLI and the editor, and the stable codes
 * of the spec with their default severities.
 */
import type { RuleRef, TextRange } from "./model";

export type Severity = "error" | "warning" | "info" | "hint";

/** Stable codes; scripts and settings rely on these names. */
export const DEFAULT_SEVERITY = {
  "yaml.syntax": "error",
  "schema.unknown-key": "error",
  "schema.type": "error",
  "schema.required": "error",
  "schema.version": "error",
  "port.unknown-service": "error",
  "port.range": "error",
  "port.protocol-mismatch": "warning",
  "source.undefined": "error",
  "source.invalid": "error",
  "source.host-bits": "warning",
  "security.plaintext-access": "warning",
  "security.plaintext-http": "warning",
  "security.admin-exposed": "warning",
  "security.default-accept": "warning",
  "security.lockout": "warning",
  "security.outbound-smtp-blocked": "info",
  "rule.duplicate": "warning",
  "rule.shadowed": "warning",
  "rule.expired": "warning",
  "target.unsupported": "warning",
  "target.limit": "warning",
  "target.description": "info",
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DEFAULT_SEVERITY;
export const DIAGNOSTIC_CODES = Object.keys(DEFAULT_SEVERITY) as DiagnosticCode[];

/** A user's choice per code: a severity, or `off` to hide it. */
export type SeverityOverrides = Partial<Record<DiagnosticCode, Severity | "off">>;

export interface PolicyDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** Says what is wrong and what to do. */
  readonly message: string;
  /** The smallest node that causes it. */
  readonly range: TextRange;
  /** The rule it belongs to, so `acknowledge` can apply. */
  readonly rule?: RuleRef;
  /**
   * A replacement text for `range` that fixes it (nearest name, TLS twin,
   * network address). Quick fixes and `--fix`-style tools use it.
   */
  readonly suggestion?: string;
}

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(DEFAULT_SEVERITY, code);
}

/** Orders diagnostics by position, then code, so output is deterministic. */
export function compareDiagnostics(a: PolicyDiagnostic, b: PolicyDiagnostic): number {
  return a.range.start - b.range.start || a.range.end - b.range.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
