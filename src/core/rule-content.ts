/**
 * What a rule's content determines (its action, ports, peers and note, never
 * where it is written) is worked out once per content. The parser gives an
 * unchanged rule that moved (an edit above it, a rule added before it) a
 * copy with new positions that shares the original's content key, so facts
 * kept on the key, such as its match boxes, outlive edits elsewhere in the file.
 */
import type { PolicyDiagnostic } from "./diagnostics";
import type { AddressSpec, PortSpec, Rule, SourceGroup, TextRange } from "./model";

/** Hidden (a symbol, not enumerable): a copy or a comparison of the rule never sees it. */
const CONTENT = Symbol("content");

/** The object that stands for `rule`'s content: itself, or the rule it was moved from. */
export function contentKey(rule: object): object {
  return (rule as { [CONTENT]?: object })[CONTENT] ?? rule;
}

/** A kind of fact worked out from a rule's content (its boxes, its iptables lines ...). */
export interface ContentSlot<T> {
  readonly index: number;
  /** Only carries the type. */
  readonly type?: T;
}

let slots = 0;

/** A new kind of fact to keep per rule content; made once, at module load. */
export function contentSlot<T>(): ContentSlot<T> {
  return { index: slots++ };
}

/**
 * Where a content key keeps its facts: one array per key, one place per kind
 * of fact, so every rule keeps one shape whatever has been asked of it.
 */
const FACTS = Symbol("facts");

/**
 * What was worked out from `rule`'s content for `slot`, if anything: facts are
 * kept per content on its key (see {@link keepFact}). Callers ask first and
 * make the fact only when it is missing, so a hit allocates nothing.
 */
export function factOf<T>(rule: object, slot: ContentSlot<T>): T | undefined {
  return (contentKey(rule) as { [FACTS]?: unknown[] })[FACTS]?.[slot.index] as T | undefined;
}

/**
 * Keeps `value` as `rule`'s fact for `slot` and returns it. Hidden and not
 * enumerable, so a copy of the rule with other content (`{ ...rule, ports }`)
 * makes its own. (Not a WeakMap: V8's young-generation collector keeps WeakMap
 * values alive, so every edit's rules would survive into the old generation.)
 */
export function keepFact<T>(rule: object, slot: ContentSlot<T>, value: T): T {
  const key = contentKey(rule) as { [FACTS]?: unknown[] };
  let facts = key[FACTS];
  if (!facts) {
    // One place per kind of fact, made at its full size (see fitted.ts).
    facts = new Array(slots);
    Object.defineProperty(key, FACTS, { value: facts });
  }
  facts[slot.index] = value;
  return value;
}

/**
 * `rule` as read at another place: every position `delta` characters on, the
 * index `index`, peers naming a source resolved in `sources` (which holds the
 * same groups the rule was read with). Objects are written out in the shapes
 * the parser makes (an object spread here cost more than the rest of the move).
 */
export function movedRule(rule: Rule, delta: number, index: number, sources: ReadonlyMap<string, SourceGroup>): Rule {
  const peers: AddressSpec[] = new Array(rule.peers.length);
  for (let i = 0; i < peers.length; i++) {
    const { text, kind, sourceName, cidrs, range } = rule.peers[i];
    const moved = shift(range, delta);
    peers[i] =
      sourceName === undefined
        ? { text, kind, cidrs, range: moved }
        : { text, kind, sourceName, cidrs: sources.get(sourceName)?.cidrs ?? cidrs, range: moved };
  }
  let ports = rule.ports;
  if (delta !== 0) {
    const moved: PortSpec[] = new Array(ports.length);
    for (let i = 0; i < moved.length; i++) {
      const { text, service, protocol, from, to, range } = ports[i];
      moved[i] =
        service === undefined
          ? { text, protocol, from, to, range: shift(range, delta) }
          : { text, service, protocol, from, to, range: shift(range, delta) };
    }
    ports = moved;
  }
  const moved: { -readonly [K in keyof Rule]: Rule[K] } = {
    direction: rule.direction,
    index,
    action: rule.action,
    ports,
    peers,
    acknowledge: rule.acknowledge,
    range: shift(rule.range, delta),
    actionRange: shift(rule.actionRange, delta),
  };
  if (rule.note !== undefined && rule.noteRange) {
    moved.note = rule.note;
    moved.noteRange = shift(rule.noteRange, delta);
  }
  if (rule.expires !== undefined && rule.expiresRange) {
    moved.expires = rule.expires;
    moved.expiresRange = shift(rule.expiresRange, delta);
  }
  Object.defineProperty(moved, CONTENT, { value: contentKey(rule) });
  return moved;
}

/** `range`, `delta` characters on (the same object when it does not move). */
function shift(range: TextRange, delta: number): TextRange {
  return delta === 0 ? range : { start: range.start + delta, end: range.end + delta };
}

/** A diagnostic found while reading a rule, for the rule moved `delta` characters on. */
export function movedDiagnostic(d: PolicyDiagnostic, delta: number, index: number): PolicyDiagnostic {
  const range = { start: d.range.start + delta, end: d.range.end + delta };
  return d.rule ? { ...d, range, rule: { direction: d.rule.direction, index } } : { ...d, range };
}
