/**
 * A fast reader for the small YAML subset that policy files are written in:
 * block mappings and sequences by indentation, single-line scalars and flow
 * lists of scalars, comments. It builds the same nodes, with the same ranges,
 * that yaml-reader.ts makes from the `yaml` package's document, in one pass over
 * the lines and without recursion. Whenever the text steps outside the subset,
 * or the result might differ from yaml's in any way (a syntax error, a
 * duplicate key, a comment yaml attaches somewhere unusual), it returns
 * undefined and the caller reads the text with `yaml` instead: the fast path
 * never has to reproduce yaml's error messages.
 */
import type { YMap, YPair, YRef, YScalar, YSeq } from "./yaml-reader";

/** Deeper nesting than any real policy (about six levels) goes to yaml, which has its own guard. */
const MAX_DEPTH = 16;
/** yaml refuses implicit keys over 1024 characters; leave anything near that to it. */
const MAX_KEY = 1000;

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const QUOTE = 0x22; // "
const APOSTROPHE = 0x27; // '

/**
 * Characters the subset does not take: tabs (YAML forbids them in indentation
 * and treats them as separators elsewhere), CR (line breaks must be counted as
 * yaml counts them), the BOM, other control characters and Unicode line separators.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this finds
const OUTSIDE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/** Characters that cannot start a plain scalar, or start a construct the subset leaves to yaml. */
function isIndicator(ch: number): boolean {
  switch (ch) {
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x2c: // ,
    case 0x23: // #
    case 0x26: // & anchor
    case 0x2a: // * alias
    case 0x21: // ! tag
    case 0x7c: // | block scalar
    case 0x3e: // > block scalar
    case 0x25: // % directive
    case 0x40: // @ reserved
    case 0x60: // ` reserved
    case 0x22: // "
    case 0x27: // '
      return true;
    default:
      return false;
  }
}

/** `[start, end)` without trailing whitespace as JavaScript's `\s` defines it, as the reader reports ranges. */
export function trimmedEnd(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start) {
    const ch = text.charCodeAt(e - 1);
    if (ch > SPACE && ch < 0x7f) break; // printable ASCII: never whitespace
    if (!/\s/.test(text[e - 1])) break;
    e--;
  }
  return e;
}

/**
 * A plain scalar's value under the YAML 1.2 core schema, as yaml resolves it
 * (its `schema/core` tags, tested in the same order: null, bool, int (octal,
 * decimal, hex), float (.inf/.nan, exponent, fixed)); anything else is a string.
 */
export function resolvePlain(raw: string): unknown {
  const ch = raw.charCodeAt(0);
  if ((ch >= 0x30 && ch <= 0x39) || ch === 0x2b || ch === DASH || ch === 0x2e) {
    if (!mayBeNumber(raw)) return raw;
    if (/^0o[0-7]+$/.test(raw)) return Number.parseInt(raw.substring(2), 8);
    if (/^[-+]?[0-9]+$/.test(raw)) return Number.parseInt(raw, 10);
    if (/^0x[0-9a-fA-F]+$/.test(raw)) return Number.parseInt(raw.substring(2), 16);
    if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) {
      if (raw.slice(-3).toLowerCase() === "nan") return Number.NaN;
      return raw[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return Number.parseFloat(raw);
    if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return Number.parseFloat(raw);
    return raw;
  }
  if (ch === 0x7e) return raw.length === 1 ? null : raw; // ~
  // null, true, false in their three spellings; every other word is a string.
  if (ch === 0x6e || ch === 0x4e) return raw.length === 4 && /^(?:[Nn]ull|NULL)$/.test(raw) ? null : raw;
  if (ch === 0x74 || ch === 0x54) return raw.length === 4 && /^(?:[Tt]rue|TRUE)$/.test(raw) ? true : raw;
  if (ch === 0x66 || ch === 0x46) return raw.length === 5 && /^(?:[Ff]alse|FALSE)$/.test(raw) ? false : raw;
  return raw;
}

/**
 * False when no number pattern can match: a character outside digits, signs,
 * `.`, `e`, `x`, `o`, hex letters and the letters of `inf`/`nan`, or a second
 * `.` (IPv4 addresses): a shortcut before the regular expressions.
 */
function mayBeNumber(raw: string): boolean {
  let dots = 0;
  for (let i = 0; i < raw.length; i++) {
    const k = raw.charCodeAt(i);
    if (k >= 0x30 && k <= 0x39) continue;
    if (k === 0x2e) {
      if (++dots > 1) return false;
      continue;
    }
    if (k === 0x2b || k === DASH) continue;
    const lower = k | 0x20;
    // a-f (hex, e), i n (inf, nan), o (octal), x (hex)
    if ((lower >= 0x61 && lower <= 0x66) || lower === 0x69 || lower === 0x6e || lower === 0x6f || lower === 0x78)
      continue;
    return false;
  }
  return true;
}

/** A collection still open: a block mapping or sequence, by the column of its keys or dashes. */
interface Frame {
  readonly seq: boolean;
  readonly indent: number;
  readonly start: number;
  /** The node this frame fills; its end is set when the frame closes. */
  readonly node: YMapDraft | YSeqDraft;
  /** The node's items: pairs for a mapping, nodes for a sequence. */
  readonly pairs: YPair[];
  readonly items: YRef[];
  /** yaml's `range[2]` of the last child: the collection's own `range[1]` when it closes. */
  lastEnd: number;
  /** Key strings, once the mapping is big enough for a set to beat a scan. */
  keys: Set<string> | undefined;
  /** A key whose value is on the following lines (a nested block) or absent (null). */
  pending: YScalar | undefined;
  /** Where that empty value would be: after the spaces that follow `:`. */
  pendingAt: number;
  /** Its `range[2]`: past the line when a comment follows `:`, else pendingAt. */
  pendingEnd: number;
}

type YMapDraft = { kind: "map"; start: number; end: number; items: YPair[] };
type YSeqDraft = { kind: "seq"; start: number; end: number; items: YRef[] };

/** Thrown (and caught in scanPolicyYaml) when the text leaves the subset. */
const DECLINE = Symbol("outside the policy YAML subset");

class Scanner {
  /** Where the last scalar or flow list read ended (yaml's `range[1]`). */
  private after = 0;
  /** Where the line being read starts: after a decline, the line declined. */
  line = 0;
  /** The comment lines since the last content line: deepest indent (-1: none) and where the last ends. */
  private commentIndent = -1;
  private commentEnd = 0;

  /** `depth`: how many collections are open around the ones this scanner opens (a rescan starts inside some). */
  constructor(
    private readonly text: string,
    private readonly depth = 0,
  ) {}

  /**
   * The root mapping; throws DECLINE when the text must go to yaml. Walks lines;
   * `stack` holds the open collections, innermost last.
   */
  scan(): YMap {
    return this.resume([], 0);
  }

  /**
   * The root mapping, read on from the line at `from` with `stack` holding the
   * collections open there (as a whole scan would have them, each with the
   * children read before that line).
   */
  resume(stack: Frame[], from: number): YMap {
    this.walk(stack, from, -1);
    if (stack.length === 0) throw DECLINE; // empty, or only comments: yaml's reading is the reference
    const root = stack[0];
    let top = stack[stack.length - 1];
    const commentIndent = this.commentIndent;
    if (top.pending) {
      if (commentIndent >= 0) throw DECLINE;
      closePending(top);
    } else if (commentIndent > top.indent) throw DECLINE;
    // At the end, trailing comments go to the document unless a collection keeps them (see walk).
    let moving = commentIndent >= 0;
    while (stack.length > 1) {
      stack.pop();
      const parent = stack[stack.length - 1];
      const keeps = moving && commentIndent >= top.indent && top.indent !== 0;
      if (keeps) moving = false;
      parent.lastEnd = this.close(top, keeps ? this.commentEnd : -1);
      top = parent;
    }
    this.close(root, -1);
    return root.node as YMap;
  }

  /**
   * The items of a block sequence at column `indent` written from the line at
   * `from` up to the line at `until`, where the sequence's next item starts:
   * read as the whole text's scan reads them there (that line closes the last).
   */
  items(from: number, until: number, indent: number): YRef[] {
    const seq = newFrame(true, indent, from);
    const stack = [seq];
    this.walk(stack, from, until);
    if (stack.length !== 1 || seq.items.length === 0) throw DECLINE;
    return seq.items;
  }

  /**
   * Reads the lines from `pos` into the collections on `stack` (the root is
   * opened by the first content line when the stack is empty). At the line that
   * starts at `until`, only closes what that line is outside of, and stops.
   */
  private walk(stack: Frame[], pos: number, until: number): void {
    const text = this.text;
    const len = text.length;
    let commentIndent = -1;
    let commentEnd = 0;
    while (pos < len) {
      const nl = text.indexOf("\n", pos);
      const lineEnd = nl < 0 ? len : nl;
      const next = nl < 0 ? len : nl + 1;
      let c = pos;
      while (c < lineEnd && text.charCodeAt(c) === SPACE) c++;
      const indent = c - pos;
      if (c === lineEnd) {
        pos = next;
        continue;
      }
      const ch = text.charCodeAt(c);
      this.line = pos;
      if (ch === HASH) {
        if (indent > commentIndent) commentIndent = indent;
        commentEnd = lineEnd;
        pos = next;
        continue;
      }
      // Directives and document markers.
      if (indent === 0 && (ch === 0x25 || text.startsWith("---", c) || text.startsWith("...", c))) throw DECLINE;
      const item = ch === DASH && (c + 1 === lineEnd || text.charCodeAt(c + 1) === SPACE);
      let top: Frame;
      if (stack.length === 0) {
        if (item) throw DECLINE; // the root must be a mapping
        top = newFrame(false, indent, c);
        stack.push(top);
      } else {
        top = stack[stack.length - 1];
        if (top.pending) {
          if (indent > top.indent || (indent === top.indent && item)) {
            // The pending key's value is a nested block (an indentless sequence at the key's own column).
            if (this.depth + stack.length >= MAX_DEPTH) throw DECLINE;
            const nested = newFrame(item, indent, c);
            top.pairs.push({ key: top.pending, value: nested.node });
            top.pending = undefined;
            stack.push(nested);
            top = nested;
            commentIndent = -1; // comments before a nested block stay between key and value: no range moves
          } else {
            // yaml hands comments after an empty value to the value or the next key depending on blank lines.
            if (commentIndent >= 0) throw DECLINE;
            closePending(top);
          }
        } else if (commentIndent > top.indent) {
          // yaml appends a comment indented deeper than the innermost collection to the last value.
          throw DECLINE;
        }
        // Close the collections this line is outside of (a sequence at the line's column ends at a key).
        let moving = commentIndent >= 0;
        while (top.indent > indent || (top.indent === indent && top.seq && !item)) {
          stack.pop();
          const parent = stack[stack.length - 1];
          if (!parent) throw DECLINE;
          const keeps = moving && commentIndent >= top.indent && top.indent !== 0;
          if (keeps) moving = false;
          parent.lastEnd = this.close(top, keeps ? commentEnd : -1);
          top = parent;
        }
        if (top.indent !== indent || top.seq !== item) throw DECLINE;
        if (pos === until) return;
      }
      commentIndent = -1;
      if (item) this.seqItem(top, stack, c, lineEnd, next);
      else this.pair(top, c, lineEnd, next);
      pos = next;
    }
    if (until >= 0) throw DECLINE;
    this.commentIndent = commentIndent;
    this.commentEnd = commentEnd;
  }

  /**
   * Ends a collection: its range runs to its last child's `range[2]`. Returns
   * its own `range[2]`, which extends over trailing comments it keeps: yaml's
   * parser keeps them in the innermost collection being closed unless every one
   * is indented less than it (or it is at column 0), and they then move outward.
   */
  private close(frame: Frame, keptCommentEnd: number): number {
    frame.node.end = trimmedEnd(this.text, frame.start, frame.lastEnd);
    return keptCommentEnd >= 0 ? keptCommentEnd : frame.lastEnd;
  }

  /** `key: value`, `key:` (value below or empty) in the mapping `frame`, from `c`. */
  private pair(frame: Frame, c: number, lineEnd: number, next: number): void {
    const key = this.key(c, lineEnd);
    if (!key) throw DECLINE; // a line without `key:` where a key belongs
    const colon = this.after;
    unique(frame, key.value as string);
    this.value(frame, key, colon + 1, lineEnd, next);
  }

  /** `- value` or `- key: value` (a compact mapping, whose keys align with the first). */
  private seqItem(frame: Frame, stack: Frame[], c: number, lineEnd: number, next: number): void {
    const text = this.text;
    let j = c + 1;
    while (j < lineEnd && text.charCodeAt(j) === SPACE) j++;
    if (j === lineEnd) throw DECLINE; // an empty item
    const ch = text.charCodeAt(j);
    if (ch === HASH || (ch === DASH && (j + 1 === lineEnd || text.charCodeAt(j + 1) === SPACE))) throw DECLINE;
    const key = this.key(j, lineEnd);
    if (key) {
      if (this.depth + stack.length >= MAX_DEPTH) throw DECLINE;
      const compact = newFrame(false, j - (c - frame.indent), j);
      frame.items.push(compact.node as YMap);
      stack.push(compact);
      this.value(compact, key, this.after + 1, lineEnd, next);
      return;
    }
    frame.items.push(this.inline(j, lineEnd));
    this.rest(this.after, lineEnd);
    frame.lastEnd = next;
  }

  /** The value after `key:` (from `v`, just past the colon). */
  private value(frame: Frame, key: YScalar, v: number, lineEnd: number, next: number): void {
    const text = this.text;
    let w = v;
    while (w < lineEnd && text.charCodeAt(w) === SPACE) w++;
    if (w === lineEnd || text.charCodeAt(w) === HASH) {
      frame.pending = key;
      frame.pendingAt = w;
      frame.pendingEnd = w === lineEnd ? w : next;
      return;
    }
    frame.pairs.push({ key, value: this.inline(w, lineEnd) });
    this.rest(this.after, lineEnd);
    frame.lastEnd = next;
  }

  /** After a value: only spaces, then the end of the line or a comment. */
  private rest(q: number, lineEnd: number): void {
    const text = this.text;
    let r = q;
    while (r < lineEnd && text.charCodeAt(r) === SPACE) r++;
    if (r < lineEnd && (r === q || text.charCodeAt(r) !== HASH)) throw DECLINE;
  }

  /**
   * A mapping key at `c`: a plain or quoted scalar followed by `:` and a space
   * or the line's end. Null when the line holds no key (a scalar or flow list);
   * sets `after` to the colon.
   */
  private key(c: number, lineEnd: number): YScalar | null {
    const text = this.text;
    const ch = text.charCodeAt(c);
    let key: YScalar;
    let colon: number;
    if (ch === QUOTE || ch === APOSTROPHE) {
      key = this.quoted(c, lineEnd);
      colon = this.after;
      if (text.charCodeAt(colon) !== COLON) return null;
      if (colon + 1 < lineEnd && text.charCodeAt(colon + 1) !== SPACE) throw DECLINE;
    } else {
      if (ch === OPEN) return null;
      if (isIndicator(ch) || ch === 0x3f || ch === COLON || ch === DASH) throw DECLINE; // ? : - and the rest
      colon = -1;
      for (let q = c; q < lineEnd; q++) {
        const k = text.charCodeAt(q);
        if (k === COLON) {
          if (q + 1 === lineEnd || text.charCodeAt(q + 1) === SPACE) {
            colon = q;
            break;
          }
        } else if (k === HASH && text.charCodeAt(q - 1) === SPACE) return null;
      }
      if (colon < 0) return null;
      if (text.charCodeAt(colon - 1) === SPACE) throw DECLINE; // `key :`
      const raw = text.slice(c, colon);
      const value = resolvePlain(raw);
      if (typeof value !== "string") throw DECLINE; // null, boolean and number keys: rare, left to yaml
      key = { kind: "scalar", start: c, end: trimmedEnd(text, c, colon), value, source: undefined };
    }
    if (colon - c > MAX_KEY) throw DECLINE;
    this.after = colon;
    return key;
  }

  /** A scalar or flow list written on one line, in block context, from `w`. */
  private inline(w: number, lineEnd: number): YScalar | YSeq {
    const text = this.text;
    const ch = text.charCodeAt(w);
    if (ch === OPEN) return this.flowList(w, lineEnd);
    if (ch === QUOTE || ch === APOSTROPHE) return this.quoted(w, lineEnd);
    if (isIndicator(ch)) throw DECLINE;
    if (ch === DASH || ch === 0x3f || ch === COLON) {
      if (w + 1 === lineEnd || text.charCodeAt(w + 1) === SPACE) throw DECLINE;
    }
    // Plain: up to a comment or the line's end; `: ` inside would be a nested mapping.
    let end = lineEnd;
    for (let q = w + 1; q < lineEnd; q++) {
      const k = text.charCodeAt(q);
      if (k === COLON) {
        if (q + 1 === lineEnd || text.charCodeAt(q + 1) === SPACE) throw DECLINE;
      } else if (k === HASH && text.charCodeAt(q - 1) === SPACE) {
        end = q;
        break;
      }
    }
    while (text.charCodeAt(end - 1) === SPACE) end--;
    return this.plain(w, end);
  }

  private plain(start: number, end: number): YScalar {
    const raw = this.text.slice(start, end);
    const value = resolvePlain(raw);
    this.after = end;
    return {
      kind: "scalar",
      start,
      end: trimmedEnd(this.text, start, end),
      value,
      source: typeof value === "string" ? undefined : raw,
    };
  }

  /** `'...'` (`''` is a quote) or `"..."` without escapes, closed on the same line. */
  private quoted(q: number, lineEnd: number): YScalar {
    const text = this.text;
    const quote = text.charCodeAt(q);
    let value: string;
    let end: number;
    if (quote === APOSTROPHE) {
      let from = q + 1;
      let escaped = false;
      for (;;) {
        const k = text.indexOf("'", from);
        if (k < 0 || k >= lineEnd) throw DECLINE;
        if (text.charCodeAt(k + 1) === APOSTROPHE) {
          escaped = true;
          from = k + 2;
          continue;
        }
        end = k + 1;
        break;
      }
      value = text.slice(q + 1, end - 1);
      if (escaped) value = value.replaceAll("''", "'");
    } else {
      const k = text.indexOf('"', q + 1);
      if (k < 0 || k >= lineEnd) throw DECLINE;
      end = k + 1;
      value = text.slice(q + 1, k);
      if (value.includes("\\")) throw DECLINE; // escapes: left to yaml
    }
    this.after = end;
    return { kind: "scalar", start: q, end, value, source: undefined };
  }

  /** `[a, b, "c"]` or `[]` on one line: scalars only, no trailing comma, no comment inside. */
  private flowList(w: number, lineEnd: number): YSeq {
    const text = this.text;
    const items: YRef[] = [];
    let q = w + 1;
    while (q < lineEnd && text.charCodeAt(q) === SPACE) q++;
    if (text.charCodeAt(q) !== CLOSE) {
      for (;;) {
        if (q >= lineEnd) throw DECLINE;
        const ch = text.charCodeAt(q);
        if (ch === QUOTE || ch === APOSTROPHE) {
          items.push(this.quoted(q, lineEnd));
          q = this.after;
        } else {
          items.push(this.flowPlain(q, lineEnd));
          q = this.after;
        }
        while (q < lineEnd && text.charCodeAt(q) === SPACE) q++;
        const k = text.charCodeAt(q);
        if (q < lineEnd && k === COMMA) {
          q++;
          while (q < lineEnd && text.charCodeAt(q) === SPACE) q++;
          if (text.charCodeAt(q) === CLOSE) throw DECLINE; // a trailing comma
          continue;
        }
        if (q < lineEnd && k === CLOSE) break;
        throw DECLINE;
      }
    }
    if (q >= lineEnd) throw DECLINE;
    this.after = q + 1;
    return { kind: "seq", start: w, end: q + 1, items };
  }

  /** A plain scalar inside `[...]`: ends at `,` or `]`; `:` before a space or flow indicator would make a pair. */
  private flowPlain(q0: number, lineEnd: number): YScalar {
    const text = this.text;
    const first = text.charCodeAt(q0);
    if (isIndicator(first)) throw DECLINE;
    if ((first === DASH || first === 0x3f || first === COLON) && flowBreak(text, q0 + 1, lineEnd)) throw DECLINE;
    let q = q0;
    for (; q < lineEnd; q++) {
      const k = text.charCodeAt(q);
      if (k === COMMA || k === CLOSE) break;
      if (k === OPEN || k === 0x7b || k === 0x7d) throw DECLINE;
      if (k === COLON && flowBreak(text, q + 1, lineEnd)) throw DECLINE;
      if (k === HASH && q > q0 && text.charCodeAt(q - 1) === SPACE) throw DECLINE;
    }
    if (q >= lineEnd) throw DECLINE;
    let end = q;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    return this.plain(q0, end);
  }
}

/** A space, a flow indicator or the line's end at `q`: what ends a plain scalar's `:` or `-` as an indicator. */
function flowBreak(text: string, q: number, lineEnd: number): boolean {
  if (q >= lineEnd) return true;
  const k = text.charCodeAt(q);
  return k === SPACE || k === COMMA || k === OPEN || k === CLOSE || k === 0x7b || k === 0x7d;
}

function newFrame(seq: boolean, indent: number, start: number): Frame {
  const list: (YPair | YRef)[] = [];
  return {
    seq,
    indent,
    start,
    node: seq
      ? { kind: "seq", start, end: start, items: list as YRef[] }
      : { kind: "map", start, end: start, items: list as YPair[] },
    pairs: list as YPair[],
    items: list as YRef[],
    lastEnd: start,
    keys: undefined,
    pending: undefined,
    pendingAt: 0,
    pendingEnd: 0,
  };
}

/** Duplicate keys are a yaml error. Small mappings are scanned; big ones get a set. */
function unique(frame: Frame, name: string): void {
  if (frame.keys) {
    if (frame.keys.has(name)) throw DECLINE;
    frame.keys.add(name);
    return;
  }
  const pairs = frame.pairs;
  for (let i = 0; i < pairs.length; i++) if ((pairs[i].key as YScalar).value === name) throw DECLINE;
  if (pairs.length >= 8) frame.keys = new Set([...pairs.map((p) => (p.key as YScalar).value as string), name]);
}

/** The pending key's value is empty: a null scalar where yaml puts it. */
function closePending(frame: Frame): void {
  const key = frame.pending!;
  const at = frame.pendingAt;
  frame.pairs.push({ key, value: { kind: "scalar", start: at, end: at, value: null, source: "" } });
  frame.lastEnd = frame.pendingEnd;
  frame.pending = undefined;
}

/**
 * The root mapping of a policy text in the subset, with yaml's ranges, or
 * undefined when the text must be read by yaml (never throws).
 */
export function scanPolicyYaml(text: string): YMap | undefined {
  if (text.length === 0 || OUTSIDE.test(text)) return undefined;
  return unlessDeclined(() => new Scanner(text).scan());
}

/** What `read` returns, or undefined when the scanner declines the text. */
function unlessDeclined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/** The column `at` is written at. */
function column(text: string, at: number): number {
  return at - (text.lastIndexOf("\n", at - 1) + 1);
}

/**
 * A collection of an earlier scan, `delta` characters on: what follows an edit.
 * Its items are shifted when first read, so a rescan after a keystroke costs
 * nothing for the rules below it that the parser then keeps as they were.
 */
class ShiftedCollection {
  readonly start: number;
  readonly end: number;
  private shiftedItems: readonly (YPair | YRef)[] | undefined;

  constructor(
    readonly base: YMap | YSeq,
    readonly delta: number,
  ) {
    this.start = base.start + delta;
    this.end = base.end + delta;
  }

  get kind(): "map" | "seq" {
    return this.base.kind;
  }

  get items(): readonly (YPair | YRef)[] {
    if (!this.shiftedItems) {
      const { base, delta } = this;
      this.shiftedItems =
        base.kind === "map"
          ? base.items.map((p) => ({ key: shifted(p.key, delta), value: shifted(p.value, delta) }))
          : base.items.map((item) => shifted(item, delta));
    }
    return this.shiftedItems;
  }
}

/** `node`, written `delta` characters on (collections lazily, and never a shift of a shift). */
function shifted(node: YRef, delta: number): YRef {
  if (node === null || delta === 0) return node;
  if (node instanceof ShiftedCollection) return as(new ShiftedCollection(node.base, node.delta + delta));
  switch (node.kind) {
    case "scalar":
      return {
        kind: "scalar",
        start: node.start + delta,
        end: node.end + delta,
        value: node.value,
        source: node.source,
      };
    case "map":
    case "seq":
      return as(new ShiftedCollection(node, delta));
    default:
      return null; // aliases: the fast path makes none
  }
}

/** A shifted collection is read as the node it stands for. */
function as(collection: ShiftedCollection): YMap | YSeq {
  return collection as unknown as YMap | YSeq;
}

/** Index of the last item starting at or before `at` (items in text order), or -1. */
function lastStartingBy(items: readonly (YPair | YRef)[], at: number, pairs: boolean): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const node = pairs ? (items[mid] as YPair).key : (items[mid] as YRef);
    if (node === null) return -1;
    if (node.start <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * `text`, an edit of `before` whose scan is `root`, scanned again when the
 * edit lies inside items of a block sequence, as when a key is typed into a
 * rule. With the next item's line untouched, only the edited items' lines are
 * read (by `orElse` when the scanner declines them); what precedes them is the
 * earlier tree's, what follows is shifted. With no untouched item after the
 * edit, the scan goes on from the first edited item's line to the end. The edit
 * replaced `[same, before.length - sameEnd)`. Undefined when the edit is of
 * another kind or its lines do not read as items there (then scan the whole text).
 */
export function rescanPolicyYaml(
  before: string,
  root: YMap,
  text: string,
  same: number,
  sameEnd: number,
  orElse?: OtherReaders,
): YMap | undefined {
  const first = rescanAt(before, root, text, same, sameEnd, orElse);
  if (first || (before.length - sameEnd !== same && text.length - sameEnd !== same)) return first;
  // Text typed or deleted whole is found where it first differs, which can be on the next
  // item's line (a line typed after `from: any` differs from `    - allow` after the spaces):
  // it is the same edit at the earliest place it can be.
  const longer = text.length > before.length ? text : before;
  let start = same;
  let end = longer.length - sameEnd;
  while (start > 0 && longer.charCodeAt(start - 1) === longer.charCodeAt(end - 1)) {
    start--;
    end--;
  }
  return start === same ? undefined : rescanAt(before, root, text, start, longer.length - end, orElse);
}

/**
 * Reads the items of a block list from the line at `line` to the line at `until`
 * (where its next item starts, at column `indent`) some other way, when the
 * scanner declines them; undefined when they must be read with the whole text.
 */
export type ItemsReader = (line: number, until: number, indent: number) => YRef[] | undefined;

/**
 * Reads the last items of a block list, which the scanner declines, some other
 * way (see Tail); undefined when they must be read with the whole text.
 */
export type TailReader = (tail: Tail) => { items: YRef[]; end: number } | undefined;

/** How a rescan reads edited items the scanner declines. */
export interface OtherReaders {
  readonly items: ItemsReader;
  readonly tail: TailReader;
}

/**
 * The last items of a block list, from the line at `line` to the line at `end`
 * (the first line after them outside the list, or the text's end), to be read
 * in a context of their own: `context` holds, for each collection around the
 * list, the line of the earlier text where its child on the way to the list
 * starts (`childAt`: where that child starts in `context`, outermost first), so
 * a reader of `context`, the items' lines and the line at `end` has the
 * collections open at the same columns as the whole text has. The line at `end`
 * must then be read as a child of the collection at index `nextLevel` of that
 * path, starting at `nextAt` in the text (-1: the text ends).
 */
export interface Tail {
  readonly context: string;
  readonly childAt: readonly number[];
  readonly line: number;
  readonly end: number;
  readonly nextLevel: number;
  readonly nextAt: number;
}

/** rescanPolicyYaml with the edit at the place given. */
function rescanAt(
  before: string,
  root: YMap,
  text: string,
  same: number,
  sameEnd: number,
  orElse: OtherReaders | undefined,
): YMap | undefined {
  const delta = text.length - before.length;
  const changedEnd = before.length - sameEnd;
  if (OUTSIDE.test(text.slice(same, text.length - sameEnd))) return undefined;
  // Down the earlier tree to the innermost sequence item the edit lies in.
  const path: { node: YMap | YSeq; index: number }[] = [];
  /** How much of the path leads to the innermost block sequence passed, from whose item a scan can go on. */
  let resumable = 0;
  const orResume = () => (resumable > 0 ? resumeScan(before, text, path.slice(0, resumable), orElse) : undefined);
  let node: YRef = root;
  for (;;) {
    if (node === null || node.kind === "scalar" || node.kind === "alias") return orResume();
    const k = lastStartingBy(node.items, same, node.kind === "map");
    if (k < 0) return orResume();
    path.push({ node, index: k });
    if (node.kind === "map") {
      const value: YRef = node.items[k].value;
      if (value === null || value.start > same) return orResume(); // in a key, or before its value
      node = value;
      continue;
    }
    const item: YRef = node.items[k];
    if (item === null) return undefined;
    // The first later item whose line the edit leaves alone, with the line break before it.
    for (let m = k + 1; m < node.items.length; m++) {
      const next = node.items[m];
      if (next === null) return undefined;
      const nextLine = before.lastIndexOf("\n", next.start - 1) + 1;
      if (changedEnd >= nextLine) continue;
      const line = before.lastIndexOf("\n", item.start - 1) + 1;
      // The list's column: an edit of the first item's own `- ` or indentation, the scanner
      // declines, since the line no longer starts an item there.
      const indent = column(before, node.start);
      const until = nextLine + delta;
      const items =
        unlessDeclined(() => new Scanner(text, path.length - 1).items(line, until, indent)) ??
        orElse?.items(line, until, indent);
      return items && splice(path, items, m - k, delta);
    }
    // No item after the edit (it is in the list's last item, or runs past its end): a scan can
    // go on from this item's line, which the edit starts after (a block list's, not a flow list's).
    if (before.charCodeAt(node.start) === DASH) resumable = path.length;
    if (item.kind !== "map") return orResume();
    node = item; // the edit may lie in a list inside the item
  }
}

/**
 * `text` scanned on from the line of the item at the end of `path` (a block
 * sequence's), with the collections open there made again from the earlier
 * tree: each holds the children it had before that line, and what follows is
 * read as a whole scan reads it. For an edit after which no item of the list
 * is untouched, as in a list's last item: only the rest of the file is read.
 * When the scanner declines the list's last items, `orElse` reads them (see
 * Tail) and the scan goes on after them.
 */
function resumeScan(
  before: string,
  text: string,
  path: readonly { node: YMap | YSeq; index: number }[],
  orElse: OtherReaders | undefined,
): YMap | undefined {
  const last = path[path.length - 1];
  const item = (last.node as YSeq).items[last.index]!;
  const line = before.lastIndexOf("\n", item.start - 1) + 1;
  const scanner = new Scanner(text);
  const scanned = unlessDeclined(() => scanner.resume(reopened(before, path), line));
  if (scanned || !orElse) return scanned;
  const tail = tailOf(before, text, path, line, scanner.line);
  const read = tail && orElse.tail(tail);
  if (!read) return undefined;
  // The declined scan has read into the first collections made again: make them once more.
  const stack = reopened(before, path);
  const list = stack[stack.length - 1];
  for (const node of read.items) list.items.push(node);
  list.lastEnd = read.end;
  return unlessDeclined(() => new Scanner(text).resume(stack, tail.end));
}

/**
 * The collections along `path` as a scan has them open at the line of its last
 * item: each with the children before the one the path goes on through.
 */
function reopened(before: string, path: readonly { node: YMap | YSeq; index: number }[]): Frame[] {
  const stack: Frame[] = [];
  for (const { node } of path) {
    const frame = newFrame(node.kind === "seq", column(before, node.start), node.start);
    const parent = stack[stack.length - 1];
    if (parent) {
      const { node: above, index } = path[stack.length - 1];
      if (parent.seq) parent.items.push(frame.node);
      else parent.pairs.push({ key: (above as YMap).items[index].key, value: frame.node });
    }
    stack.push(frame);
    // The children before the one the path goes on through (that one is added above, or read again).
    const { index } = path[stack.length - 1];
    if (frame.seq) for (let i = 0; i < index; i++) frame.items.push((node as YSeq).items[i]);
    else for (let i = 0; i < index; i++) frame.pairs.push((node as YMap).items[i]);
  }
  return stack;
}

/**
 * The list's items from the line at `line` to where the list ends, with the
 * context they are written in (see Tail), when the scanner declined a line
 * among them (`declined`). Undefined when a line among them is a comment
 * (yaml moves comments between collections as they close), when the first is
 * not an item of the list, or when the line after them cannot be read as
 * the next child of a collection open there.
 */
function tailOf(
  before: string,
  text: string,
  path: readonly { node: YMap | YSeq; index: number }[],
  line: number,
  declined: number,
): Tail | undefined {
  const indents = path.map(({ node }) => column(before, node.start));
  const indent = indents[indents.length - 1];
  let end = text.length;
  let nextLevel = -1;
  let nextAt = -1;
  for (let pos = line; pos < text.length; ) {
    const nl = text.indexOf("\n", pos);
    const lineEnd = nl < 0 ? text.length : nl;
    let c = pos;
    while (c < lineEnd && text.charCodeAt(c) === SPACE) c++;
    if (c < lineEnd) {
      const ch = text.charCodeAt(c);
      if (ch === HASH) return undefined;
      const item = ch === DASH && (c + 1 === lineEnd || text.charCodeAt(c + 1) === SPACE);
      const col = c - pos;
      if (pos === line) {
        if (col !== indent || !item) return undefined;
      } else if (col < indent || (col === indent && !item)) {
        end = pos;
        // The collection the scanner closes into at that line, as walk does: it must take the line.
        const seq = (p: number) => path[p].node.kind === "seq";
        nextLevel = path.length - 1;
        while (nextLevel >= 0 && (indents[nextLevel] > col || (indents[nextLevel] === col && seq(nextLevel) && !item)))
          nextLevel--;
        if (nextLevel < 0 || indents[nextLevel] !== col || seq(nextLevel) !== item) return undefined;
        nextAt = c;
        if (item) {
          nextAt = c + 1;
          while (nextAt < lineEnd && text.charCodeAt(nextAt) === SPACE) nextAt++;
          if (nextAt === lineEnd || text.charCodeAt(nextAt) === HASH) return undefined;
        }
        break;
      }
    }
    pos = nl < 0 ? text.length : nl + 1;
  }
  // The scanner declined the line at `end` or one after it: reading the items some other way is no help.
  if (declined >= end) return undefined;
  let context = "";
  const childAt: number[] = [];
  let lastLine = -1;
  for (let p = 0; p < path.length - 1; p++) {
    const { node, index } = path[p];
    const child = node.kind === "map" ? node.items[index].key : node.items[index];
    if (child === null) return undefined;
    const childLine = before.lastIndexOf("\n", child.start - 1) + 1;
    const nl = before.indexOf("\n", child.start);
    if (nl < 0) return undefined;
    if (childLine !== lastLine) {
      context += before.slice(childLine, nl + 1);
      lastLine = childLine;
    }
    childAt.push(context.length - (nl + 1 - child.start));
  }
  return { context, childAt, line, end, nextLevel, nextAt };
}

/**
 * The earlier tree with `count` items from the path's last place replaced by
 * `items`, and every node after them shifted.
 */
function splice(
  path: readonly { node: YMap | YSeq; index: number }[],
  items: readonly YRef[],
  count: number,
  delta: number,
): YMap {
  let made: YRef = null;
  for (let p = path.length - 1; p >= 0; p--) {
    const { node, index } = path[p];
    const end = node.end + delta;
    if (node.kind === "seq") {
      // The edited items at the bottom of the path; above it, the one item that holds them.
      const bottom = p === path.length - 1;
      const list = node.items.slice(0, index);
      if (bottom) for (const item of items) list.push(item);
      else list.push(made);
      for (let i = index + (bottom ? count : 1); i < node.items.length; i++) list.push(shifted(node.items[i], delta));
      made = { kind: "seq", start: node.start, end, items: list };
    } else {
      const pairs = node.items.slice(0, index);
      pairs.push({ key: node.items[index].key, value: made });
      for (let i = index + 1; i < node.items.length; i++) {
        const pair = node.items[i];
        pairs.push({ key: shifted(pair.key, delta), value: shifted(pair.value, delta) });
      }
      made = { kind: "map", start: node.start, end, items: pairs };
    }
  }
  return made as YMap;
}
