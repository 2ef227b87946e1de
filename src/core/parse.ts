/** STUB (to be written): YAML text -> typed Policy with exact ranges, plus syntax and schema diagnostics. */
import type { PolicyDiagnostic } from "./diagnostics";
import type { Lang, Policy } from "./model";

export interface ParsedPolicy {
  readonly policy: Policy;
  readonly diagnostics: PolicyDiagnostic[];
}

export function parsePolicy(_text: string, _lang: Lang = "en"): ParsedPolicy {
  throw new Error("not implemented");
}
