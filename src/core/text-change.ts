/**
 * Where an edited text differs from the text before the edit. The editor sends
 * the whole text on every keystroke; the scanner and the parser both ask where
 * it changed, so the latest answer is kept.
 */

/** The length of the two texts' common start, and of their common end after it. */
export interface ChangedWindow {
  readonly same: number;
  readonly sameEnd: number;
}

/** Compared a block at a time first: comparing two slices is a memory compare inside V8. */
const BLOCK = 2048;

let latest: { before: string; after: string; window: ChangedWindow } | undefined;

/** Where `after` differs from `before`: `[same, after.length - sameEnd)` replaced `[same, before.length - sameEnd)`. */
export function changedWindow(before: string, after: string): ChangedWindow {
  if (latest && latest.before === before && latest.after === after) return latest.window;
  const most = Math.min(before.length, after.length);
  let same = 0;
  while (same + BLOCK <= most && before.slice(same, same + BLOCK) === after.slice(same, same + BLOCK)) same += BLOCK;
  while (same < most && before.charCodeAt(same) === after.charCodeAt(same)) same++;
  const tail = most - same;
  const b = before.length;
  const a = after.length;
  let sameEnd = 0;
  while (
    sameEnd + BLOCK <= tail &&
    before.slice(b - sameEnd - BLOCK, b - sameEnd) === after.slice(a - sameEnd - BLOCK, a - sameEnd)
  ) {
    sameEnd += BLOCK;
  }
  while (sameEnd < tail && before.charCodeAt(b - 1 - sameEnd) === after.charCodeAt(a - 1 - sameEnd)) sameEnd++;
  const window = { same, sameEnd };
  latest = { before, after, window };
  return window;
}
