/**
 * Which output lines an update changed, so the webview rebuilds only those:
 * a keystroke in a 5,000-rule policy changes a handful of the outputs' tens of
 * thousands of lines, and rebuilding all of them took seconds. Pure (the
 * webview script bundles it), so it is unit-tested directly.
 */

/** Lines `start .. start + deleteCount` of the old output become `start .. start + insertCount` of the new. */
export interface LineChange {
  readonly start: number;
  readonly deleteCount: number;
  readonly insertCount: number;
}

/** An output as lines, with the rule each line came from (a line is unchanged only if both are). */
export interface OutputLines<Rule> {
  readonly lines: readonly string[];
  readonly rules: readonly Rule[];
}

/**
 * The changes that turn `before` into `after`, in ascending order and apart.
 * Lines the two share at the start and at the end are kept; between them, when
 * the line count did not change (an edit inside a rule), only the lines that
 * differ are replaced, each run of them as one change at the same position;
 * otherwise the whole middle is one change.
 */
export function lineChanges<Rule>(before: OutputLines<Rule>, after: OutputLines<Rule>): LineChange[] {
  const same = (i: number, j: number) => before.lines[i] === after.lines[j] && before.rules[i] === after.rules[j];
  const oldCount = before.lines.length;
  const newCount = after.lines.length;
  let head = 0;
  while (head < oldCount && head < newCount && same(head, head)) head++;
  let tail = 0;
  while (tail < oldCount - head && tail < newCount - head && same(oldCount - 1 - tail, newCount - 1 - tail)) tail++;
  const oldEnd = oldCount - tail;
  const newEnd = newCount - tail;
  if (head === oldEnd && head === newEnd) return [];
  if (oldEnd - head !== newEnd - head) {
    return [{ start: head, deleteCount: oldEnd - head, insertCount: newEnd - head }];
  }
  const changes: LineChange[] = [];
  let i = head;
  while (i < oldEnd) {
    if (same(i, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < oldEnd && !same(i, i)) i++;
    changes.push({ start, deleteCount: i - start, insertCount: i - start });
  }
  return changes;
}

/** An output's text as lines, without the empty one after the final newline. */
export function outputLines(text: string): string[] {
  return text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
}

/** Lines `start .. start + deleteCount` replaced by `lines`, with their rules. */
export interface LineEditOf<Rule> {
  readonly start: number;
  readonly deleteCount: number;
  readonly lines: readonly string[];
  readonly rules: readonly Rule[];
}

/** The edits that turn `before` into `after`: {@link lineChanges} with the new lines. */
export function lineEdits<Rule>(before: OutputLines<Rule>, after: OutputLines<Rule>): LineEditOf<Rule>[] {
  return lineChanges(before, after).map(({ start, deleteCount, insertCount }) => ({
    start,
    deleteCount,
    lines: after.lines.slice(start, start + insertCount),
    rules: after.rules.slice(start, start + insertCount),
  }));
}

/** An output as runs of lines, each run from one rule (or none), with the rule of each run. */
export interface OutputChunks<Rule> {
  readonly chunks: readonly (readonly string[])[];
  readonly rules: readonly Rule[];
}

/**
 * {@link lineEdits} for outputs given as chunks. The chunks the two share at the
 * start and at the end (the same rule, and the same lines: most often the very
 * same array, kept for a rule the edit did not touch) are passed over without
 * visiting their lines; only the chunks between them are compared line by line.
 */
export function chunkEdits<Rule>(before: OutputChunks<Rule>, after: OutputChunks<Rule>): LineEditOf<Rule>[] {
  const same = (i: number, j: number) => {
    if (before.rules[i] !== after.rules[j]) return false;
    const a = before.chunks[i];
    const b = after.chunks[j];
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return false;
    return true;
  };
  const oldCount = before.chunks.length;
  const newCount = after.chunks.length;
  let head = 0;
  let headLines = 0;
  while (head < oldCount && head < newCount && same(head, head)) headLines += before.chunks[head++].length;
  let tail = 0;
  while (tail < oldCount - head && tail < newCount - head && same(oldCount - 1 - tail, newCount - 1 - tail)) tail++;
  const middle = (output: OutputChunks<Rule>, end: number): OutputLines<Rule> => {
    const lines: string[] = [];
    const rules: Rule[] = [];
    for (let c = head; c < end; c++) {
      for (const line of output.chunks[c]) {
        lines.push(line);
        rules.push(output.rules[c]);
      }
    }
    return { lines, rules };
  };
  const edits = lineEdits(middle(before, oldCount - tail), middle(after, newCount - tail));
  return headLines === 0 ? edits : edits.map((edit) => ({ ...edit, start: edit.start + headLines }));
}

/** `before` with `edits` applied (they are in order and apart, so from the last back). */
export function applyLineEdits<Rule>(before: OutputLines<Rule>, edits: readonly LineEditOf<Rule>[]): OutputLines<Rule> {
  let lines = before.lines.slice();
  let rules = before.rules.slice();
  for (let k = edits.length - 1; k >= 0; k--) {
    const edit = edits[k];
    if (edit.deleteCount === edit.lines.length) {
      // Lines replaced in place (an edit inside a rule): no copy of the whole output per edit.
      for (let i = 0; i < edit.lines.length; i++) {
        lines[edit.start + i] = edit.lines[i];
        rules[edit.start + i] = edit.rules[i];
      }
      continue;
    }
    const end = edit.start + edit.deleteCount;
    lines = [...lines.slice(0, edit.start), ...edit.lines, ...lines.slice(end)];
    rules = [...rules.slice(0, edit.start), ...edit.rules, ...rules.slice(end)];
  }
  return { lines, rules };
}

/** The inverse of {@link outputLines}. */
export function outputText(lines: readonly string[], finalNewline: boolean): string {
  return lines.join("\n") + (finalNewline ? "\n" : "");
}
