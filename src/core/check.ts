/** STUB (to be written): parse + validate + target checks, with acknowledge and severity settings applied. */
import type { PolicyDiagnostic, SeverityOverrides } from "./diagnostics";
import type { Lang, Policy } from "./model";

export interface CheckOptions {
  readonly lang?: Lang;
  /** Per-code severity or `off`. */
  readonly severities?: SeverityOverrides;
  /** `YYYY-MM-DD` for `expires`; defaults to today (UTC). */
  readonly today?: string;
}

export interface CheckResult {
  readonly policy: Policy;
  /** Sorted by position; acknowledged ones are hints; `off` ones removed. */
  readonly diagnostics: PolicyDiagnostic[];
  readonly hasErrors: boolean;
}

export function checkPolicy(_text: string, _options: CheckOptions = {}): CheckResult {
  throw new Error("not implemented");
}
