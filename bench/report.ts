/**
 * The results table: one row per measurement, with its target and whether the
 * product met it. Printed as Markdown so it can go straight into the docs.
 */

export type Verdict = "met" | "missed" | "info" | "n/a";

export interface ResultRow {
  readonly area: "Generation" | "Checking" | "Editor" | "Preview";
  readonly measure: string;
  readonly result: string;
  /** The target in words, or "" for rows that only show how cost grows. */
  readonly target: string;
  readonly verdict: Verdict;
}

/** A section that could not run (a tool or a core function missing) still shows up. */
export function unavailableRow(area: ResultRow["area"], measure: string, error: unknown): ResultRow {
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return { area, measure, result: `not measured: ${message.slice(0, 120)}`, target: "", verdict: "n/a" };
}

/** A row comparing `value` against an upper bound. */
export function boundRow(
  area: ResultRow["area"],
  measure: string,
  result: string,
  value: number,
  bound: number,
  target: string,
): ResultRow {
  return { area, measure, result, target, verdict: value <= bound ? "met" : "missed" };
}

const VERDICT_TEXT: Record<Verdict, string> = { met: "yes", missed: "**NO**", info: "", "n/a": "n/a" };

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** The rows as a Markdown table. */
export function renderTable(rows: readonly ResultRow[]): string {
  const lines = ["| Area | Measurement | Result | Target | Met |", "|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(
      `| ${r.area} | ${cell(r.measure)} | ${cell(r.result)} | ${cell(r.target)} | ${VERDICT_TEXT[r.verdict]} |`,
    );
  }
  return lines.join("\n");
}
