/**
 * Which boxes share a packet, without comparing every pair, so duplicate and
 * shadow detection, Alibaba Cloud priorities and the AWS allowed set stay
 * near-linear on policies with tens of thousands of rules.
 *
 * Large policies list many networks on a few mail ports, so both dimensions
 * matter: boxes are grouped by exact port (ranges apart, ports found by binary
 * search), and within a group only prefixes that contain or lie inside a
 * prefix can overlap it. {@link earlierOverlaps} knows every rule up front and
 * looks up, for each box, the prefixes that contain it (hash lookups per
 * prefix length); {@link OverlapIndex} answers as boxes arrive, in a stable
 * order, through a prefix trie.
 */
import { intervalToBits } from "./addresses";
import { boxesOverlap, type MatchBox, ruleBoxes } from "./match";
import type { Rule } from "./model";
import { contentKey } from "./rule-content";

/**
 * Prefixes written as bit strings (see `prefixBits`), in a radix trie: a node
 * per prefix that holds items or where two prefixes part, so a path costs a
 * few nodes, not one per bit (a /128 would otherwise be 128 of them).
 */
export class PrefixTrie<T> {
  private readonly root: TrieNode<T> = trieNode("");

  add(bits: string, item: T): void {
    let node = this.root;
    for (;;) {
      const depth = node.bits.length;
      if (depth === bits.length) {
        if (node.items) node.items.push(item);
        else node.items = [item];
        return;
      }
      const one = bits.charCodeAt(depth) === 49;
      const child = one ? node.one : node.zero;
      if (!child) {
        setChild(node, one, trieNode(bits, item));
        return;
      }
      const childBits = child.bits;
      const end = Math.min(childBits.length, bits.length);
      let common = depth + 1;
      while (common < end && childBits.charCodeAt(common) === bits.charCodeAt(common)) common++;
      if (common < childBits.length) {
        // The new prefix parts from the child (or ends) inside its edge: a node there takes both.
        const fork = trieNode<T>(bits.slice(0, common));
        setChild(fork, childBits.charCodeAt(common) === 49, child);
        setChild(node, one, fork);
        node = fork;
      } else node = child;
    }
  }

  /** Calls `visit` with the items of every prefix that contains `bits` or lies inside it, itself included. */
  meeting(bits: string, visit: (item: T) => void): void {
    let node: TrieNode<T> | undefined = this.root;
    let depth = 0;
    while (node) {
      const nodeBits: string = node.bits;
      // The bits above `depth` already matched on the way down.
      const end = Math.min(nodeBits.length, bits.length);
      for (; depth < end; depth++) if (nodeBits.charCodeAt(depth) !== bits.charCodeAt(depth)) return;
      // Everything below a node inside the prefix is inside it too.
      if (nodeBits.length >= bits.length) {
        visitAll(node, visit);
        return;
      }
      if (node.items) for (const item of node.items) visit(item);
      node = bits.charCodeAt(depth) === 49 ? node.one : node.zero;
    }
  }

  /** True when a prefix that contains `bits` (or is it) holds an item. */
  hasContaining(bits: string): boolean {
    let node: TrieNode<T> | undefined = this.root;
    let depth = 0;
    while (node) {
      const nodeBits: string = node.bits;
      if (nodeBits.length > bits.length) return false;
      for (; depth < nodeBits.length; depth++) if (nodeBits.charCodeAt(depth) !== bits.charCodeAt(depth)) return false;
      if (node.items) return true;
      if (depth === bits.length) return false;
      node = bits.charCodeAt(depth) === 49 ? node.one : node.zero;
    }
    return false;
  }
}

interface TrieNode<T> {
  /** The whole prefix from the root, not just this edge. */
  readonly bits: string;
  items: T[] | undefined;
  zero: TrieNode<T> | undefined;
  one: TrieNode<T> | undefined;
}

function trieNode<T>(bits: string, item?: T): TrieNode<T> {
  return { bits, items: item === undefined ? undefined : [item], zero: undefined, one: undefined };
}

function setChild<T>(node: TrieNode<T>, one: boolean, child: TrieNode<T>): void {
  if (one) node.one = child;
  else node.zero = child;
}

function visitAll<T>(node: TrieNode<T>, visit: (item: T) => void): void {
  const stack: TrieNode<T>[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.items) for (const item of n.items) visit(item);
    if (n.zero) stack.push(n.zero);
    if (n.one) stack.push(n.one);
  }
}

interface Entry<T> {
  readonly box: MatchBox;
  readonly value: T;
}

/** The boxes of one protocol and family: a trie per single port, one for port ranges. */
interface Group<T> {
  readonly byPort: Map<number, PrefixTrie<Entry<T>>>;
  /** The keys of byPort in order, rebuilt lazily after additions. */
  ports: number[];
  sorted: boolean;
  readonly ranges: PrefixTrie<Entry<T>>;
}

/** tcp/4, tcp/6, udp/4, udp/6. */
function groupIndex(box: MatchBox): number {
  return (box.protocol === "udp" ? 2 : 0) + (box.family === 6 ? 1 : 0);
}

export class OverlapIndex<T> {
  private readonly groups: (Group<T> | undefined)[] = [undefined, undefined, undefined, undefined];

  /** Adds a box; `value` comes back from `query` for every box it overlaps. */
  add(box: MatchBox, value: T): void {
    const g = groupIndex(box);
    let group = this.groups[g];
    if (!group) {
      group = { byPort: new Map(), ports: [], sorted: true, ranges: new PrefixTrie() };
      this.groups[g] = group;
    }
    let trie = group.ranges;
    if (box.portLo === box.portHi) {
      const existing = group.byPort.get(box.portLo);
      if (existing) trie = existing;
      else {
        trie = new PrefixTrie();
        group.byPort.set(box.portLo, trie);
        group.ports.push(box.portLo);
        group.sorted = false;
      }
    }
    const entry: Entry<T> = { box, value };
    if (box.prefix) trie.add(box.prefix.bits, entry);
    else for (const bits of intervalToBits(box.family, box.lo, box.hi)) trie.add(bits, entry);
  }

  /**
   * Calls `visit` for each indexed box that shares a packet with `box`. A value
   * may be visited more than once (a box split into several prefixes).
   */
  query(box: MatchBox, visit: (value: T, other: MatchBox) => void): void {
    const group = this.groups[groupIndex(box)];
    if (!group) return;
    const meet = (entry: Entry<T>) => {
      const other = entry.box;
      if (other.portLo <= box.portHi && box.portLo <= other.portHi) visit(entry.value, other);
    };
    if (box.prefix) {
      const bits = box.prefix.bits;
      forEachTrie(group, box, (trie) => trie.meeting(bits, meet));
    } else {
      const list = intervalToBits(box.family, box.lo, box.hi);
      forEachTrie(group, box, (trie) => {
        for (const bits of list) trie.meeting(bits, meet);
      });
    }
  }
}

/** The group's tries whose ports can meet the box's: the ranges, then each single port inside. */
function forEachTrie<T>(group: Group<T>, box: MatchBox, search: (trie: PrefixTrie<Entry<T>>) => void): void {
  search(group.ranges);
  if (box.portLo === box.portHi) {
    const trie = group.byPort.get(box.portLo);
    if (trie) search(trie);
    return;
  }
  if (!group.sorted) {
    group.ports.sort((a, b) => a - b);
    group.sorted = true;
  }
  // Only the ports inside the range: a binary search to its start.
  const ports = group.ports;
  for (let i = firstAtLeast(ports, box.portLo); i < ports.length && ports[i] <= box.portHi; i++) {
    search(group.byPort.get(ports[i])!);
  }
}

/**
 * Prefixes (bit strings) with their items, found by exact lookups at each
 * prefix length in use: a policy uses a handful of lengths, so asking for the
 * prefixes that contain one costs a few hash lookups and no nodes to chase.
 * Up to 32 bits a prefix is keyed by its value as a number, which hashes far
 * faster than a slice of text.
 */
export class PrefixMap<T> {
  /** By prefix length: the items of each prefix of that length. */
  private readonly byLength: (Map<number | string, T[]> | undefined)[] = [];
  /** The prefix lengths in use, ascending. */
  private readonly lengths: number[] = [];

  add(bits: string, item: T): void {
    const length = bits.length;
    let prefixes = this.byLength[length];
    if (!prefixes) {
      prefixes = new Map();
      this.byLength[length] = prefixes;
      // Kept ascending by insertion: a sort call per new length allocates (one map per port, every check).
      let at = this.lengths.length;
      while (at > 0 && this.lengths[at - 1] > length) at--;
      this.lengths.splice(at, 0, length);
    }
    let key: number | string = bits;
    if (length <= 32) {
      let value = 0;
      for (let i = 0; i < length; i++) value = value * 2 + (bits.charCodeAt(i) - 48);
      key = value | 0;
    }
    const list = prefixes.get(key);
    if (list) list.push(item);
    else prefixes.set(key, [item]);
  }

  /** Calls `visit` with the items of every prefix that contains `bits`, itself included, shortest first. */
  containing(bits: string, visit: (item: T) => void): void {
    let value = 0;
    let read = 0;
    for (const length of this.lengths) {
      if (length > bits.length) return;
      let key: number | string;
      if (length <= 32) {
        for (; read < length; read++) value = value * 2 + (bits.charCodeAt(read) - 48);
        key = value | 0;
      } else key = length === bits.length ? bits : bits.slice(0, length);
      const list = this.byLength[length]!.get(key);
      if (list) for (const item of list) visit(item);
    }
  }

  /** True when a prefix that contains `bits` (or is it) holds an item. */
  hasContaining(bits: string): boolean {
    let value = 0;
    let read = 0;
    for (const length of this.lengths) {
      if (length > bits.length) return false;
      let key: number | string;
      if (length <= 32) {
        for (; read < length; read++) value = value * 2 + (bits.charCodeAt(read) - 48);
        key = value | 0;
      } else key = length === bits.length ? bits : bits.slice(0, length);
      if (this.byLength[length]!.has(key)) return true;
    }
    return false;
  }
}

// Validation and Alibaba Cloud priorities both need this for the same rule lists:
// kept on the list under a hidden symbol key (see match.ts on why not a WeakMap).
const OVERLAPS = Symbol("overlaps");
type WithOverlaps = { [OVERLAPS]?: readonly (readonly number[])[] };

/** A box of rule `rule`, for {@link earlierOverlaps}. */
interface RuleBox {
  readonly box: MatchBox;
  readonly rule: number;
}

const NONE: readonly number[] = [];

/**
 * For each rule, the positions of the earlier rules in `rules` that share at
 * least one packet with it, in order. Kept with the (immutable) list: callers
 * must not change the arrays.
 *
 * Two prefixes share an address only when one contains the other, so every
 * overlapping pair is found from its inner box by looking up the prefixes
 * that contain it, among the boxes on the same port (or on port ranges that
 * cover it, or, for a box with a port range, on each port inside the range).
 */
export function earlierOverlaps(rules: readonly Rule[]): readonly (readonly number[])[] {
  const known = (rules as WithOverlaps)[OVERLAPS];
  if (known) return known;
  const keys = rules.map(contentKey);
  let result: readonly (readonly number[])[] | undefined;
  let from = -1;
  for (const [n, last] of latestLists.entries()) {
    const changed = changedPositions(last.keys, keys);
    if (changed) {
      result = changed.length === 0 ? last.result : updatedOverlaps(rules, last.result, changed);
      from = n;
      break;
    }
  }
  result ??= allOverlaps(rules);
  // This list takes the place of the one it came from (else of the oldest).
  latestLists = [{ keys, result }, ...latestLists.filter((_, n) => n !== from)].slice(0, 2);
  Object.defineProperty(rules, OVERLAPS, { value: result });
  return result;
}

/**
 * The latest lists worked out (an inbound and an outbound one), by their rules'
 * content keys. An edit inside a rule changes that rule and keeps the list's
 * length: then only the pairs with the changed rule can differ, and a scan of
 * that rule against the others costs far less than indexing every rule again.
 */
let latestLists: { readonly keys: readonly object[]; readonly result: readonly (readonly number[])[] }[] = [];

/** Forgets the lists worked out so far, so the next one is indexed from nothing. */
export function forgetOverlapLists(): void {
  latestLists = [];
}

/** Past this many changed rules, the whole list is indexed again. */
const MAX_CHANGED = 4;

/** Positions whose content differs, when the lists have the same length and few differ; else undefined. */
function changedPositions(before: readonly object[], after: readonly object[]): number[] | undefined {
  if (before.length !== after.length) return undefined;
  const changed: number[] = [];
  for (let j = 0; j < after.length; j++) {
    if (before[j] !== after[j] && changed.push(j) > MAX_CHANGED) return undefined;
  }
  return changed;
}

/** `before` (the lists of the same rules but those at `changed`) brought up to date for `rules`. */
function updatedOverlaps(
  rules: readonly Rule[],
  before: readonly (readonly number[])[],
  changed: readonly number[],
): readonly (readonly number[])[] {
  // For each changed rule, every rule it now meets.
  const meets = changed.map((c) => {
    const boxes = ruleBoxes(rules[c]);
    const met = new Set<number>();
    for (let j = 0; j < rules.length; j++) if (j !== c && rulesMeet(boxes, ruleBoxes(rules[j]))) met.add(j);
    return met;
  });
  const result = before.slice();
  for (let j = 0; j < rules.length; j++) {
    const at = changed.indexOf(j);
    if (at >= 0) {
      const list = [...meets[at]].filter((i) => i < j).sort((a, b) => a - b);
      result[j] = list.length === 0 ? NONE : list;
      continue;
    }
    // An unchanged rule: only its pairs with earlier changed rules can differ.
    let same = true;
    for (let n = 0; n < changed.length && same; n++) {
      const c = changed[n];
      if (c < j && before[j].includes(c) !== meets[n].has(j)) same = false;
    }
    if (same) continue;
    const list = before[j].filter((i) => !changed.includes(i));
    changed.forEach((c, n) => {
      if (c < j && meets[n].has(j)) list.push(c);
    });
    list.sort((a, b) => a - b);
    result[j] = list.length === 0 ? NONE : list;
  }
  return result;
}

function rulesMeet(a: readonly MatchBox[], b: readonly MatchBox[]): boolean {
  for (const x of a) for (const y of b) if (boxesOverlap(x, y)) return true;
  return false;
}

/** Every list, from an index of every rule's boxes. */
function allOverlaps(rules: readonly Rule[]): readonly (readonly number[])[] {
  // Per protocol and family (tcp/4, tcp/6, udp/4, udp/6): the rules of boxes on each single port,
  // and the boxes with a port range (their ports are checked on each meeting).
  const byPort = [0, 1, 2, 3].map(() => new Map<number, PrefixMap<number>>());
  const ranged = [0, 1, 2, 3].map(() => new PrefixMap<RuleBox>());
  for (let k = 0; k < rules.length; k++) {
    const boxes = ruleBoxes(rules[k]);
    for (let b = 0; b < boxes.length; b++) {
      const box = boxes[b];
      const g = groupIndex(box);
      if (box.portLo === box.portHi) {
        let prefixes = byPort[g].get(box.portLo);
        if (!prefixes) {
          prefixes = new PrefixMap();
          byPort[g].set(box.portLo, prefixes);
        }
        if (box.prefix) prefixes.add(box.prefix.bits, k);
        else for (const bits of boxBits(box)) prefixes.add(bits, k);
      } else {
        const entry = { box, rule: k };
        if (box.prefix) ranged[g].add(box.prefix.bits, entry);
        else for (const bits of boxBits(box)) ranged[g].add(bits, entry);
      }
    }
  }
  const ports = byPort.map((m) => [...m.keys()].sort((a, b) => a - b));
  const earlier: (number[] | undefined)[] = [];
  // The box being looked up, and its rule; one pair of callbacks for all of them.
  let box: MatchBox;
  let k = 0;
  const pair = (i: number) => {
    if (i === k) return;
    const later = i < k ? k : i;
    const list = earlier[later];
    if (list) list.push(i < k ? i : k);
    else earlier[later] = [i < k ? i : k];
  };
  const meetRange = (other: RuleBox) => {
    if (other.box.portLo <= box.portHi && box.portLo <= other.box.portHi) pair(other.rule);
  };
  const lookUp = (g: number, bits: string) => {
    ranged[g].containing(bits, meetRange);
    if (box.portLo === box.portHi) {
      byPort[g].get(box.portLo)!.containing(bits, pair);
      return;
    }
    const sorted = ports[g];
    for (let i = firstAtLeast(sorted, box.portLo); i < sorted.length && sorted[i] <= box.portHi; i++) {
      byPort[g].get(sorted[i])!.containing(bits, pair);
    }
  };
  for (k = 0; k < rules.length; k++) {
    const boxes = ruleBoxes(rules[k]);
    for (let b = 0; b < boxes.length; b++) {
      box = boxes[b];
      const g = groupIndex(box);
      if (box.prefix) lookUp(g, box.prefix.bits);
      else for (const bits of boxBits(box)) lookUp(g, bits);
    }
  }
  const result: (readonly number[])[] = [];
  for (let j = 0; j < rules.length; j++) {
    const list = earlier[j];
    if (!list) {
      result.push(NONE);
      continue;
    }
    if (list.length > 1) {
      list.sort((a, b) => a - b);
      // A pair meets through several boxes, or is found from both sides when the prefixes are equal.
      let kept = 1;
      for (let n = 1; n < list.length; n++) if (list[n] !== list[kept - 1]) list[kept++] = list[n];
      list.length = kept;
    }
    result.push(list);
  }
  return result;
}

/** The box's addresses as prefixes: its own when it has one. */
function boxBits(box: MatchBox): string[] {
  return box.prefix ? [box.prefix.bits] : intervalToBits(box.family, box.lo, box.hi);
}

/** The position of the first number in `sorted` that is at least `n`. */
function firstAtLeast(sorted: readonly number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
