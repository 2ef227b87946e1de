/**
 * The text edit that adds a diagnostic code to a rule's `acknowledge`, in the
 * style the rule already uses. Pure, so it is tested without the editor.
 */
import type { Rule } from "../core/model";

/** Replace `[offset, end)` of the policy text with `insert`. */
export interface AcknowledgeEdit {
  readonly offset: number;
  readonly end: number;
  readonly insert: string;
}

/**
 * The edit that adds `code` to a rule's `acknowledge`, keeping the style it is
 * written in (flow list, block list, single value), or undefined when the rule
 * is written in a style this cannot edit safely (a flow mapping).
 */
export function acknowledgeEdit(text: string, rule: Pick<Rule, "range">, code: string): AcknowledgeEdit | undefined {
  const ruleText = text.slice(rule.range.start, rule.range.end);
  if (ruleText.trimStart().startsWith("{")) return undefined;
  const lineStart = text.lastIndexOf("\n", rule.range.start - 1) + 1;
  const indent = " ".repeat(rule.range.start - lineStart);
  const flow = /^([ \t]*acknowledge[ \t]*:[ \t]*\[)([^\]\n]*)\]/m.exec(ruleText);
  if (flow) {
    const at = rule.range.start + flow.index + flow[0].length - 1;
    return { offset: at, end: at, insert: flow[2].trim() ? `, ${code}` : code };
  }
  const block = /^([ \t]*)acknowledge[ \t]*:[ \t]*(?:#.*)?\n((?:[ \t]*-[ \t].*(?:\n|$))+)/m.exec(ruleText);
  if (block) {
    const items = block[2].replace(/\n$/, "");
    const itemIndent = items.match(/^[ \t]*/)?.[0] ?? "";
    const at = rule.range.start + block.index + block[0].length - (block[2].endsWith("\n") ? 1 : 0);
    return { offset: at, end: at, insert: `\n${itemIndent}- ${code}` };
  }
  const scalar = /^([ \t]*acknowledge[ \t]*:[ \t]*)([\w.-]+)[ \t]*$/m.exec(ruleText);
  if (scalar) {
    const at = rule.range.start + scalar.index + scalar[1].length;
    return { offset: at, end: at + scalar[2].length, insert: `[${scalar[2]}, ${code}]` };
  }
  // No acknowledge yet: a new last key of the rule, at the rule's indentation.
  const body = ruleText.replace(/\s+$/, "");
  const at = rule.range.start + body.length;
  return { offset: at, end: at, insert: `\n${indent}acknowledge: [${code}]` };
}
