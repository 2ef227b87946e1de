/**
 * Marked test texts, in the style of yaml-language-server's tests: a `|` marks
 * the cursor (`'allow: im|aps'`) and `«...»` marks expected ranges, so a test
 * states position and text in one readable string.
 */
import type { TextRange } from "../../src/core/model";

/** `'allow: im|aps'` -> the text without the marker and the cursor offset (9). */
export function withCursor(marked: string, marker = "|"): { text: string; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset < 0 || marked.indexOf(marker, offset + 1) >= 0) throw new Error(`expected exactly one ${marker}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + marker.length), offset };
}

/** `'allow: «imapz»'` -> the text without the markers and the ranges they enclosed, in order. */
export function withRanges(marked: string): { text: string; ranges: TextRange[] } {
  let text = "";
  const ranges: TextRange[] = [];
  const open: number[] = [];
  for (const ch of marked) {
    if (ch === "«") open.push(text.length);
    else if (ch === "»") {
      const start = open.pop();
      if (start === undefined) throw new Error("» without «");
      ranges.push({ start, end: text.length });
    } else text += ch;
  }
  if (open.length) throw new Error("« without »");
  return { text, ranges: ranges.sort((a, b) => a.start - b.start) };
}

/** The text a range covers: what tests compare to say "the diagnostic is on `110`". */
export function sliceOf(text: string, range: TextRange): string {
  return text.slice(range.start, range.end);
}
