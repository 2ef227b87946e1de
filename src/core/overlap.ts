/**
 * An index of match boxes that answers "which earlier boxes share a packet with
 * this one?" without comparing against all of them, so duplicate and shadow
 * detection and Alibaba Cloud priorities stay near-linear on policies with tens
 * of thousands of rules.
 *
 * Large policies list many networks on a few mail ports, so both dimensions
 * matter: boxes are grouped by exact port (ranges apart), and within a group a
 * binary trie over address prefixes finds the ancestors and descendants of a
 * prefix, the only prefixes that can overlap it.
 */
import { FAMILY_BITS, intervalToPrefixes } from "./addresses";
import type { MatchBox } from "./match";

interface TrieNode<T> {
  zero?: TrieNode<T>;
  one?: TrieNode<T>;
  items: { box: MatchBox; value: T }[];
}

/** Ranges up to this many ports are looked up port by port. */
const PORT_FANOUT = 64;

export class OverlapIndex<T> {
  private readonly tries = new Map<string, TrieNode<T>>();

  /** Adds a box; `value` comes back from `query` for every box it overlaps. */
  add(box: MatchBox, value: T): void {
    const key =
      box.portLo === box.portHi ? `${box.protocol}${box.family}:${box.portLo}` : `${box.protocol}${box.family}:r`;
    let root = this.tries.get(key);
    if (!root) {
      root = { items: [] };
      this.tries.set(key, root);
    }
    for (const [lo, prefix] of prefixesOf(box)) {
      insert(root, box, value, lo, prefix);
    }
  }

  /**
   * Calls `visit` for each indexed box that shares a packet with `box`. A value
   * may be visited more than once (a box split into several prefixes).
   */
  query(box: MatchBox, visit: (value: T, other: MatchBox) => void): void {
    const base = `${box.protocol}${box.family}:`;
    const roots: TrieNode<T>[] = [];
    const range = this.tries.get(`${base}r`);
    if (range) roots.push(range);
    if (box.portHi - box.portLo < PORT_FANOUT) {
      for (let p = box.portLo; p <= box.portHi; p++) {
        const root = this.tries.get(base + p);
        if (root) roots.push(root);
      }
    } else {
      for (const [key, root] of this.tries) {
        if (key.startsWith(base) && root !== range) roots.push(root);
      }
    }
    const prefixes = prefixesOf(box);
    for (const root of roots) {
      for (const [lo, prefix] of prefixes) search(root, box, lo, prefix, visit);
    }
  }
}

/** The aligned prefixes `[lo, prefix]` that make up the box's address interval. */
function prefixesOf(box: MatchBox): [bigint, number][] {
  return intervalToPrefixes(box.family, box.lo, box.hi);
}

function insert<T>(root: TrieNode<T>, box: MatchBox, value: T, lo: bigint, prefix: number): void {
  const bits = FAMILY_BITS[box.family];
  let node = root;
  for (let depth = 0; depth < prefix; depth++) {
    const bit = (lo >> BigInt(bits - 1 - depth)) & 1n;
    if (bit === 0n) node = node.zero ??= { items: [] };
    else node = node.one ??= { items: [] };
  }
  node.items.push({ box, value });
}

function search<T>(
  root: TrieNode<T>,
  box: MatchBox,
  lo: bigint,
  prefix: number,
  visit: (value: T, other: MatchBox) => void,
): void {
  const bits = FAMILY_BITS[box.family];
  const portsMeet = (other: MatchBox) => other.portLo <= box.portHi && box.portLo <= other.portHi;
  // Ancestors (and the node itself) contain the prefix.
  let node: TrieNode<T> | undefined = root;
  for (let depth = 0; node && depth < prefix; depth++) {
    for (const item of node.items) if (portsMeet(item.box)) visit(item.value, item.box);
    const bit = (lo >> BigInt(bits - 1 - depth)) & 1n;
    node = bit === 0n ? node.zero : node.one;
  }
  if (!node) return;
  // The node's whole subtree lies inside the prefix.
  const stack: TrieNode<T>[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    for (const item of n.items) if (portsMeet(item.box)) visit(item.value, item.box);
    if (n.zero) stack.push(n.zero);
    if (n.one) stack.push(n.one);
  }
}
