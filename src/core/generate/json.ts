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

/**
 * Where a tagged object keeps its rule: a symbol key, which JSON.stringify and
 * `for...in` both skip. (A WeakMap entry per security-group entry costs far
 * more, mostly in the garbage collector.)
 */
const RULE = Symbol("rule");

/** Marks `value` as coming from `rule` and returns it; lines inside it map to that rule. */
export function tagRule<T extends object>(value: T, rule: RuleRef | null): T {
  if (rule) (value as { [RULE]?: RuleRef })[RULE] = rule;
  return value;
}

/**
 * Serializes `value` exactly as `JSON.stringify(value, null, 2) + "\n"`, with line tags.
 * The text comes from the engine's own serializer (the bytes are its by definition);
 * the tags come from a walk that only counts the lines each value takes in that layout.
 */
export function renderJson(value: JsonValue): JsonDocument {
  const lineRules: (RuleRef | null)[] = [];
  tagLines(value, null, lineRules);
  return { text: `${JSON.stringify(value, null, 2)}\n`, lineRules };
}

/**
 * In JSON.stringify's indented layout a scalar takes one line, and so does an
 * empty array or object; any other array or object takes its opening line, its
 * members' lines and its closing line. A member's first line holds its key.
 */
function tagLines(value: JsonValue, inherited: RuleRef | null, lineRules: (RuleRef | null)[]): void {
  if (value === null || typeof value !== "object") {
    lineRules.push(inherited);
    return;
  }
  const rule = (value as { [RULE]?: RuleRef })[RULE] ?? inherited;
  lineRules.push(rule);
  let members = 0;
  if (Array.isArray(value)) {
    for (const item of value) tagLines(item, rule, lineRules);
    members = value.length;
  } else {
    for (const key in value) {
      tagLines(value[key], rule, lineRules);
      members++;
    }
  }
  // `[]` and `{}` close on their opening line.
  if (members > 0) lineRules.push(rule);
}
