/**
 * Pretty JSON (two spaces, as `JSON.stringify(value, null, 2)`) that also
 * records, for every output line, the policy rule the line came from, so the
 * preview can map security-group entries back to their rule.
 */
import type { RuleRef } from "../model";

/** A JSON value whose objects may be tagged with the rule they express. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Text plus one rule reference (or null) per line. */
export interface JsonDocument {
  readonly text: string;
  readonly lineRules: (RuleRef | null)[];
}

/** Objects tagged through {@link tagRule}; lines inside them map to that rule. */
const tags = new WeakMap<object, RuleRef>();

/** Marks `value` as coming from `rule` and returns it. */
export function tagRule<T extends object>(value: T, rule: RuleRef | null): T {
  if (rule) tags.set(value, rule);
  return value;
}

/** Serializes `value` exactly as `JSON.stringify(value, null, 2) + "\n"`, with line tags. */
export function renderJson(value: JsonValue): JsonDocument {
  const lines: string[] = [];
  const lineRules: (RuleRef | null)[] = [];
  write(value, "", "", "", null, lines, lineRules);
  return { text: `${lines.join("\n")}\n`, lineRules };
}

function write(
  value: JsonValue,
  indent: string,
  prefix: string,
  suffix: string,
  inherited: RuleRef | null,
  lines: string[],
  lineRules: (RuleRef | null)[],
): void {
  const rule = (typeof value === "object" && value !== null ? tags.get(value) : undefined) ?? inherited;
  const push = (text: string) => {
    lines.push(text);
    lineRules.push(rule);
  };
  if (value === null || typeof value !== "object") {
    push(`${indent}${prefix}${JSON.stringify(value)}${suffix}`);
    return;
  }
  const entries: [string, JsonValue][] = Array.isArray(value)
    ? value.map((v) => ["", v])
    : Object.entries(value).map(([k, v]) => [`${JSON.stringify(k)}: `, v]);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    push(`${indent}${prefix}${open}${close}${suffix}`);
    return;
  }
  push(`${indent}${prefix}${open}`);
  entries.forEach(([key, child], i) => {
    write(child, `${indent}  `, key, i < entries.length - 1 ? "," : "", rule, lines, lineRules);
  });
  push(`${indent}${close}${suffix}`);
}
