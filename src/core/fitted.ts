/**
 * A list built by `push`, at its own size. V8 gives an array room for 16 items
 * at its first push, and a policy keeps several small lists per rule (ports,
 * peers, match boxes) for as long as it is open: at tens of thousands of rules
 * that room is a third of the heap, and the collector walks it on every pass.
 */
export function fitted<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}
