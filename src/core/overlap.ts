/**
 * An index of match boxes that answers "which earlier boxes share a packet with
 * this one?" without comparing against all of them, so duplicate and shadow
 * detection and Alibaba Cloud priorities stay near-linear on policies with tens
 * of thousands of rules.
 *
 * Large policies list many networks on a few mail ports, so both dimensions
 * matter: boxes are grouped by exact port (ranges apart, ports found by binary
 * search), and within a group a binary trie over address prefixes finds the
 * ancestors and descendants of a prefix, the only prefixes that can overlap it.
 */
import { FAMILY_BITS, intervalToPrefixes } from "./addresses";
import type { MatchBox } from "./match";

interface TrieNode<T> {
  zero?: TrieNode<T>;
  one?: TrieNode<T>;
  items: { box: MatchBox; value: T }[];
}

/** The boxes of one protocol and family: a trie per single port, one for port ranges. */
interface Group<T> {
  readonly byPort: Map<number, TrieNode<T>>;
  /** The keys of byPort in order, rebuilt lazily after additions. */
  ports: number[];
  sorted: boolean;
  readonly ranges: TrieNode<T>;
}

export class OverlapIndex<T> {
  private readonly groups = new Map<string, Group<T>>();

  /** Adds a box; `value` comes back from `query` for every box it overlaps. */
  add(box: MatchBox, value: T): void {
    const key = `${box.protocol}${box.family}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { byPort: new Map(), ports: [], sorted: true, ranges: { items: [] } };
      this.groups.set(key, group);
    }
    let root = group.ranges;
    if (box.portLo === box.portHi) {
      const existing = group.byPort.get(box.portLo);
      if (existing) root = existing;
      else {
        root = { items: [] };
        group.byPort.set(box.portLo, root);
        group.ports.push(box.portLo);
        group.sorted = false;
      }
    }
    for (const [lo, prefix] of intervalToPrefixes(box.family, box.lo, box.hi)) {
      insert(root, box, value, pathOf(box.family, lo), prefix);
    }
  }

  /**
   * Calls `visit` for each indexed box that shares a packet with `box`. A value
   * may be visited more than once (a box split into several prefixes).
   */
  query(box: MatchBox, visit: (value: T, other: MatchBox) => void): void {
    const group = this.groups.get(`${box.protocol}${box.family}`);
    if (!group) return;
    const roots: TrieNode<T>[] = [group.ranges];
    if (box.portLo === box.portHi) {
      const root = group.byPort.get(box.portLo);
      if (root) roots.push(root);
    } else {
      if (!group.sorted) {
        group.ports.sort((a, b) => a - b);
        group.sorted = true;
      }
      // Only the ports inside the range: a binary search to its start.
      const ports = group.ports;
      let lo = 0;
      let hi = ports.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (ports[mid] < box.portLo) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < ports.length && ports[i] <= box.portHi; i++) roots.push(group.byPort.get(ports[i])!);
    }
    const prefixes = intervalToPrefixes(box.family, box.lo, box.hi).map(
      ([lo, prefix]) => [pathOf(box.family, lo), prefix] as const,
    );
    for (const root of roots) {
      for (const [path, prefix] of prefixes) search(root, box, path, prefix, visit);
    }
  }
}

/** The address as a string of bits, most significant first: one allocation instead of one per trie level. */
function pathOf(family: MatchBox["family"], lo: bigint): string {
  return lo.toString(2).padStart(FAMILY_BITS[family], "0");
}

function insert<T>(root: TrieNode<T>, box: MatchBox, value: T, path: string, prefix: number): void {
  let node = root;
  for (let depth = 0; depth < prefix; depth++) {
    if (path.charCodeAt(depth) === 48) {
      node.zero ??= { items: [] };
      node = node.zero;
    } else {
      node.one ??= { items: [] };
      node = node.one;
    }
  }
  node.items.push({ box, value });
}

function search<T>(
  root: TrieNode<T>,
  box: MatchBox,
  path: string,
  prefix: number,
  visit: (value: T, other: MatchBox) => void,
): void {
  const portsMeet = (other: MatchBox) => other.portLo <= box.portHi && box.portLo <= other.portHi;
  // Ancestors (and the node itself) contain the prefix.
  let node: TrieNode<T> | undefined = root;
  for (let depth = 0; node && depth < prefix; depth++) {
    for (const item of node.items) if (portsMeet(item.box)) visit(item.value, item.box);
    node = path.charCodeAt(depth) === 48 ? node.zero : node.one;
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
