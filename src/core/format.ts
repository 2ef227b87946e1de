/**
 * Plain-text formatting shared by the CLI and the extension: diagnostic lines and
 * the JSON report, terminal-safe text, display widths, the side-by-side preview
 * layout and Markdown flattened to plain text. Pure and browser-safe.
 */
import type { PolicyDiagnostic, Severity } from "./diagnostics";
import type { LineIndex } from "./lines";
import type { TextRange } from "./model";

/** A range as people and tools count it: lines and columns from 1, end exclusive. */
export interface DiagnosticLocation {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** One diagnostic in the `check --format json` report; keys in the documented order. */
export interface JsonDiagnostic extends DiagnosticLocation {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

/** One file's entry in the `check --format json` report. */
export interface JsonFileReport {
  readonly file: string;
  readonly diagnostics: JsonDiagnostic[];
}

/** A checked file: its name as the user gave it, its text and its diagnostics. */
export interface FileDiagnostics {
  readonly file: string;
  readonly lines: LineIndex;
  readonly diagnostics: readonly PolicyDiagnostic[];
}

/** Converts a character range to 1-based lines and columns (columns in UTF-16 code units). */
export function diagnosticLocation(lines: LineIndex, range: TextRange): DiagnosticLocation {
  const start = lines.positionAt(range.start);
  const end = lines.positionAt(Math.max(range.start, range.end));
  return { line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/** `file:line:col severity code message`, one line, safe to print to a terminal. */
export function formatDiagnosticText(file: string, lines: LineIndex, diagnostic: PolicyDiagnostic): string {
  const { line, column } = diagnosticLocation(lines, diagnostic.range);
  const message = diagnostic.message.replace(/\s*[\r\n]+\s*/g, " ");
  return toPrintable(`${file}:${line}:${column} ${diagnostic.severity} ${diagnostic.code} ${message}`);
}

/** Builds the `check --format json` report: exactly code, severity, message and the location. */
export function toJsonReport(files: readonly FileDiagnostics[]): JsonFileReport[] {
  return files.map(({ file, lines, diagnostics }) => ({
    file,
    diagnostics: diagnostics.map((d) => {
      const { line, column, endLine, endColumn } = diagnosticLocation(lines, d.range);
      return { code: d.code, severity: d.severity, message: d.message, line, column, endLine, endColumn };
    }),
  }));
}

// Characters a terminal would act on instead of showing: C0/C1 controls, line and
// paragraph separators, and bidirectional overrides ("Trojan Source").
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes text safe for a terminal: control and bidi-override characters become
 * visible escapes (`\u001b`), so a policy's text can never move the cursor or recolour
 * the screen. Newlines and tabs are kept.
 */
export function toPrintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Columns a code point takes in a terminal: 0 for combining marks, 2 for East Asian wide ones. */
export function codePointWidth(codePoint: number): number {
  if (codePoint === 0x200b || (codePoint >= 0x300 && codePoint <= 0x36f)) return 0;
  if (ZERO_WIDTH.test(String.fromCodePoint(codePoint))) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Columns a line takes in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) width += codePointWidth(c.codePointAt(0)!);
  return width;
}

/** Pads with spaces to `width` terminal columns. */
export function padToWidth(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Starts every continuation row of a wrapped line, so nothing looks silently cut. */
export const CONTINUATION = "↪ ";

/** Replaces tabs by spaces up to the next multiple of 8, as a terminal shows them. */
function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const c of line) out += c === "\t" ? " ".repeat(8 - (displayWidth(out) % 8)) : c;
  return out;
}

/**
 * Wraps one line to rows of at most `width` columns. Breaks after a space when one is
 * near the end, else inside a word; continuation rows keep the line's indentation and
 * start with {@link CONTINUATION}. Every character of the line appears in the rows.
 */
export function wrapLine(line: string, width: number): string[] {
  const chars = Array.from(expandTabs(toPrintable(line)));
  const widths = chars.map((c) => codePointWidth(c.codePointAt(0)!));
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= width) return [chars.join("")];
  const indentLength = Math.min(chars.length - chars.join("").trimStart().length, Math.floor(width / 2));
  const prefix = " ".repeat(indentLength) + CONTINUATION;
  const rows: string[] = [];
  let at = 0;
  while (at < chars.length) {
    const lead = rows.length === 0 ? "" : prefix;
    const room = Math.max(1, width - displayWidth(lead));
    let end = at;
    let used = 0;
    while (end < chars.length && used + widths[end] <= room) used += widths[end++];
    if (end === at) end = at + 1; // a wide character in a one-column room: show it anyway
    if (end < chars.length) {
      const space = chars.lastIndexOf(" ", end - 1);
      if (space >= at && space + 1 - at >= Math.ceil((end - at) / 2)) end = space + 1;
    }
    rows.push(lead + chars.slice(at, end).join(""));
    at = end;
  }
  return rows;
}

/** One side of the side-by-side preview: a header and its lines. */
export interface Column {
  readonly title: string;
  readonly lines: readonly string[];
}

/** Between the two columns. */
export const COLUMN_SEPARATOR = " │ ";
/** Narrowest total width laid out; narrower requests get this width. */
export const MIN_SIDE_BY_SIDE_WIDTH = 40;

/** Splits the room between two columns: a column that needs less than half keeps its width. */
function splitWidths(left: Column, right: Column, inner: number): [number, number] {
  const natural = (c: Column) => c.lines.reduce((w, l) => Math.max(w, cellWidth(l)), Math.max(1, cellWidth(c.title)));
  const wantLeft = natural(left);
  const wantRight = natural(right);
  const half = Math.floor(inner / 2);
  const minimum = Math.floor((MIN_SIDE_BY_SIDE_WIDTH - COLUMN_SEPARATOR.length) / 2);
  let leftWidth: number;
  if (wantLeft + wantRight <= inner) leftWidth = wantLeft;
  else if (wantLeft <= half) leftWidth = wantLeft;
  else if (wantRight <= inner - half) leftWidth = inner - wantRight;
  else leftWidth = half;
  leftWidth = Math.min(Math.max(leftWidth, minimum), inner - minimum);
  return [leftWidth, inner - leftWidth];
}

function cellWidth(line: string): number {
  return displayWidth(expandTabs(toPrintable(line)));
}

/**
 * Lays out two columns side by side in `width` terminal columns: a header row per side,
 * a rule, then the lines, each wrapped (never cut) to its column. Returns the rows,
 * without trailing spaces. Widths below {@link MIN_SIDE_BY_SIDE_WIDTH} are raised to it.
 */
export function renderSideBySide(left: Column, right: Column, width: number): string[] {
  const total = Math.max(MIN_SIDE_BY_SIDE_WIDTH, Math.floor(Number.isFinite(width) ? width : MIN_SIDE_BY_SIDE_WIDTH));
  const [leftWidth, rightWidth] = splitWidths(left, right, total - COLUMN_SEPARATOR.length);
  const wrapAll = (lines: readonly string[], w: number) => lines.flatMap((l) => wrapLine(l, w));
  const zip = (a: string[], b: string[]) => {
    const rows: string[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      rows.push((padToWidth(a[i] ?? "", leftWidth) + COLUMN_SEPARATOR + (b[i] ?? "")).trimEnd());
    }
    return rows;
  };
  const rule = "─".repeat(leftWidth) + "─┼─" + "─".repeat(rightWidth);
  return [
    ...zip(wrapLine(left.title, leftWidth), wrapLine(right.title, rightWidth)),
    rule,
    ...zip(wrapAll(left.lines, leftWidth), wrapAll(right.lines, rightWidth)),
  ];
}

/** Removes inline Markdown (emphasis, code, links) from one line of text. */
function plainInline(text: string): string {
  return text
    .split(/(`+[^`]*`+)/)
    .map((part, i) => {
      if (i % 2 === 1) return part.replace(/^`+\s?|\s?`+$/g, "");
      return part
        .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
        .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) =>
          label === url ? url : `${label} (${url})`,
        )
        .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
        .replace(/<br\s*\/?>/gi, " ")
        .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
        .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, "$1$2")
        .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, "$1$2")
        .replace(/~~(.+?)~~/g, "$1")
        .replace(/\\([\\`*_{}[\]()#+\-.!|>])/g, "$1");
    })
    .join("");
}

const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function tableCells(row: string): string[] {
  const trimmed = row
    .trim()
    .replace(/^\|/, "")
    .replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((c) => plainInline(c.trim()));
}

/** Aligns a Markdown table's cells in columns separated by two spaces. */
function plainTable(rows: readonly string[]): string[] {
  const cells = rows.filter((r) => !TABLE_DELIMITER.test(r)).map(tableCells);
  const widths: number[] = [];
  for (const row of cells) {
    for (const [i, c] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, displayWidth(c));
  }
  return cells.map((row) =>
    row
      .map((c, i) => padToWidth(c, widths[i]))
      .join("  ")
      .trimEnd(),
  );
}

/**
 * Flattens Markdown (as used for port documentation) to plain text for a terminal:
 * headings underlined, emphasis and code marks removed, links as `text (url)`, lists
 * with bullets, tables aligned, code blocks indented. Control characters are escaped.
 */
export function markdownToPlainText(markdown: string): string {
  const source = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let fence: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const line = source[i];
    const fenceMatch = /^\s*(```+|~~~+)/.exec(line);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length) fence = undefined;
      else out.push(`    ${line}`);
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const text = plainInline(heading[2]);
      out.push(text);
      if (heading[1].length <= 3) out.push((heading[1].length === 1 ? "=" : "-").repeat(displayWidth(text)));
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push("─".repeat(20));
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows = [line];
      while (i + 1 < source.length && /^\s*\|/.test(source[i + 1])) rows.push(source[++i]);
      out.push(...plainTable(rows));
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (quote) {
      out.push(`  ${plainInline(quote[1])}`);
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1]}• ${plainInline(bullet[2])}`);
      continue;
    }
    out.push(plainInline(line.trimEnd()));
  }
  // One blank line between blocks at most, none at the ends.
  const text = out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/^\n+|\n+$/g, "");
  return toPrintable(text);
}
