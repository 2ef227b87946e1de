/**
 * What a rule's content determines (its action, ports, peers and note, never
 * where it is written) is worked out once per content. The parser gives an
 * unchanged rule that moved (an edit above it, a rule added before it) a
 * copy with new positions that shares the original's content key, so facts
 * kept on the key, such as its match boxes, outlive edits elsewhere in the file.
 */
import type { PolicyDiagnostic } from "./diagnostics";
import type { AddressSpec, Rule, SourceGroup, TextRange } from "./model";

/** Hidden (a symbol, not enumerable): a copy or a comparison of the rule never sees it. */
const CONTENT = Symbol("content");

/** The object that stands for `rule`'s content: itself, or the rule it was moved from. */
export function contentKey(rule: object): object {
  return (rule as { [CONTENT]?: object })[CONTENT] ?? rule;
}

/**
 * What `make` works out from `rule`'s content, made once per content and kept
 * on its content key under `slot`. Hidden and not enumerable, so a copy of the
 * rule with other content (`{ ...rule, ports }`) makes its own. (Not a WeakMap:
 * V8's young-generation collector keeps WeakMap values alive, so every edit's
 * rules would survive into the old generation.)
 */
export function fromContent<T>(rule: object, slot: symbol, make: () => T): T {
  const key = contentKey(rule) as { [slot]?: T };
  const known = key[slot];
  if (known !== undefined || Object.hasOwn(key, slot)) return known as T;
  const value = make();
  Object.defineProperty(key, slot, { value });
  return value;
}

/**
 * `rule` as read at another place: every position `delta` characters on, the
 * index `index`, peers naming a source resolved in `sources` (which holds the
 * same groups the rule was read with).
 */
export function movedRule(rule: Rule, delta: number, index: number, sources: ReadonlyMap<string, SourceGroup>): Rule {
  const at = (r: TextRange): TextRange => (delta === 0 ? r : { start: r.start + delta, end: r.end + delta });
  const peers: AddressSpec[] = [];
  for (const peer of rule.peers) {
    const group = peer.kind === "source" ? sources.get(peer.sourceName!) : undefined;
    peers.push({ ...peer, cidrs: group ? group.cidrs : peer.cidrs, range: at(peer.range) });
  }
  const moved: { -readonly [K in keyof Rule]: Rule[K] } = {
    direction: rule.direction,
    index,
    action: rule.action,
    ports: delta === 0 ? rule.ports : rule.ports.map((port) => ({ ...port, range: at(port.range) })),
    peers,
    acknowledge: rule.acknowledge,
    range: at(rule.range),
    actionRange: at(rule.actionRange),
  };
  if (rule.note !== undefined && rule.noteRange) {
    moved.note = rule.note;
    moved.noteRange = at(rule.noteRange);
  }
  if (rule.expires !== undefined && rule.expiresRange) {
    moved.expires = rule.expires;
    moved.expiresRange = at(rule.expiresRange);
  }
  Object.defineProperty(moved, CONTENT, { value: contentKey(rule) });
  return moved;
}

/** A diagnostic found while reading a rule, for the rule moved `delta` characters on. */
export function movedDiagnostic(d: PolicyDiagnostic, delta: number, index: number): PolicyDiagnostic {
  const range = { start: d.range.start + delta, end: d.range.end + delta };
  return d.rule ? { ...d, range, rule: { direction: d.rule.direction, index } } : { ...d, range };
}
