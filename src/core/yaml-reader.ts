/**
 * Walking a YAML document with exact ranges and typed reads: the schema-agnostic
 * half of the policy parser (what a key, a scalar, a list "is", and the
 * diagnostics for the wrong shape). Reads a small node model of its own, made
 * either by the fast scanner for the subset real policies use (policy-yaml.ts)
 * or, for anything else, from the `yaml` package's document.
 */
import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap as isYamlMap,
  isPair as isYamlPair,
  isScalar as isYamlScalar,
  isSeq as isYamlSeq,
  Lexer,
  Parser,
  Scalar,
  visit,
  YAMLParseError,
} from "yaml";
import { DEFAULT_SEVERITY, type DiagnosticCode, type PolicyDiagnostic } from "./diagnostics";
import { localize } from "./i18n";
import type { Lang, Localized, TextRange } from "./model";
import { rescanPolicyYaml, scanPolicyYaml, type Tail, trimmedEnd } from "./policy-yaml";
import { nearestName } from "./suggest";
import { changedWindow } from "./text-change";

/**
 * The nodes the policy reader walks. `start`/`end` are what `rangeOf` gives
 * (yaml's `[range[0], range[1])` without trailing whitespace), computed once.
 */
export interface YScalar {
  readonly kind: "scalar";
  readonly start: number;
  readonly end: number;
  /** Resolved by the YAML 1.2 core schema: null, boolean, number or string. */
  readonly value: unknown;
  /** The source text of a plain scalar whose value is not a string (`025` stays `025`). */
  readonly source: string | undefined;
}
export interface YMap {
  readonly kind: "map";
  readonly start: number;
  readonly end: number;
  readonly items: readonly YPair[];
}
export interface YSeq {
  readonly kind: "seq";
  readonly start: number;
  readonly end: number;
  readonly items: readonly YRef[];
}
/** `*name`: ranges are the alias's own, the node is the anchored one (null when unresolved). */
export interface YAlias {
  readonly kind: "alias";
  readonly start: number;
  readonly end: number;
  readonly target: YNode | null;
}
export type YNode = YScalar | YMap | YSeq;
/** Where a node is written: the node itself, an alias to it, or nothing. */
export type YRef = YNode | YAlias | null;
export interface YPair {
  readonly key: YRef;
  readonly value: YRef;
}

export const isMap = (node: unknown): node is YMap => (node as YNode | null)?.kind === "map";
export const isSeq = (node: unknown): node is YSeq => (node as YNode | null)?.kind === "seq";
export const isScalar = (node: unknown): node is YScalar => (node as YNode | null)?.kind === "scalar";

/**
 * Which reader `load` uses, for tests and benchmarks: `fast` off forces the
 * `yaml` path; `last` tells which path the latest load took (`mixed`: the fast
 * scanner's tree with the edited items read by `yaml`, see yamlItems and
 * yamlTail), `rescanned` whether a fast or mixed load read only the edited
 * items again (see rescanPolicyYaml), and `tail` whether a mixed load's `yaml`
 * read a list's last items (yamlTail).
 */
export const yamlPath: {
  fast: boolean;
  last: "fast" | "mixed" | "yaml" | undefined;
  rescanned: boolean;
  tail: boolean;
} = {
  fast: true,
  last: undefined,
  rescanned: false,
  tail: false,
};

/** The latest fast scan and its text: the next text is most often it after one keystroke. */
let latestScan: { readonly text: string; readonly root: YMap } | undefined;

/** Forgets the latest scan, so the next load scans the whole text (for tests and benchmarks). */
export function forgetScans(): void {
  latestScan = undefined;
}

/**
 * A tree for `text`, the syntax errors `yaml` found in the items it read (none
 * from the fast scanner), and whether it read any (see yamlItems, yamlTail).
 */
interface Scanned {
  readonly root: YMap;
  readonly errors: readonly YamlError[];
  readonly mixed: boolean;
}

/** What the reader reports of one of yaml's errors. */
type YamlError = Pick<YAMLParseError, "code" | "message" | "pos">;

/**
 * `text` read by the fast scanner: the latest scan when the text is the same, or
 * a rescan of the edited items; when the scanner declines those items, `yaml`
 * reads them alone (see yamlItems and yamlTail). A tree `yaml` read part of is
 * not kept: the next edit is compared with the latest text the scanner read whole.
 */
function fastScan(text: string): Scanned | undefined {
  const latest = latestScan;
  let root: YMap | undefined;
  const errors: YamlError[] = [];
  let mixed = false;
  let lastItems = false;
  if (latest) {
    if (latest.text === text) root = latest.root;
    else {
      const { same, sameEnd } = changedWindow(latest.text, text);
      const read = <T extends { errors: YamlError[] }>(found: T | undefined): T | undefined => {
        if (found) {
          errors.push(...found.errors);
          mixed = true;
        }
        return found;
      };
      root = rescanPolicyYaml(latest.text, latest.root, text, same, sameEnd, {
        items: (line, until, indent) => read(yamlItems(text, line, until, indent))?.items,
        tail: (tail) => {
          const found = read(yamlTail(text, tail));
          if (found) lastItems = true;
          return found;
        },
      });
    }
  }
  yamlPath.rescanned = root !== undefined;
  yamlPath.tail = root !== undefined && lastItems;
  if (root && mixed) return { root, errors, mixed };
  root ??= scanPolicyYaml(text);
  latestScan = root ? { text, root } : undefined;
  return root && { root, errors: [], mixed: false };
}

/**
 * The items of a block list written from `line` to `until` (where the list's
 * next item starts, at column `indent`), read by `yaml`, when they hold a syntax
 * error, as while a key is typed before its colon: what `yaml` makes of the whole
 * file there, without reading the whole file. The items are read together with
 * the next item's line, which must still start an item of the same list, and
 * nothing in them may run on past a line's end (see runsOn): then the lines
 * around them are read as before. Undefined, and the whole file is read,
 * when they hold no error (the fast scanner declined something else), when they
 * use anchors, aliases, tags, block scalars or directives, when a line is not
 * inside the list (less indented, or at its column without `- `), or when an
 * error lies past them. Each of these only costs the whole file's reading; a
 * property test (parse-reuse.test.ts) compares such reads with it along random edits.
 */
function yamlItems(
  text: string,
  line: number,
  until: number,
  indent: number,
): { items: YRef[]; errors: YamlError[] } | undefined {
  const region = linesThrough(text, line, until);
  if (region === undefined) return undefined;
  for (let at = 0; at < region.length; ) {
    const nl = region.indexOf("\n", at);
    const end = nl < 0 ? region.length : nl;
    let c = at;
    while (c < end && region.charCodeAt(c) === 0x20) c++;
    if (c < end && (c - at < indent || (c - at === indent && region.charCodeAt(c) !== 0x2d))) return undefined;
    at = end + 1;
  }
  const doc = composeRegion(region);
  const own = until - line;
  if (!doc || doc.errors.length === 0 || doc.errors.some((e) => e.pos[1] > own) || doc.warnings.length > 0)
    return undefined;
  if (!isYamlSeq(doc.contents)) return undefined;
  const seq = fromYaml(doc, region, line) as YSeq;
  const next = seq.items[seq.items.length - 1];
  // The next item's line must be read as the next item: starting there, after its `- `.
  if (seq.items.length < 2 || next === null || next.start !== until + indent + 2) return undefined;
  return { items: seq.items.slice(0, -1), errors: shiftedErrors(doc, line) };
}

/**
 * A block list's last items (see Tail), read by `yaml` where the fast scanner
 * declines them: a bare `- ` typed for a new rule, a key before its colon in
 * the list's last rule. `yaml` reads them after lines that open the same
 * collections at the same columns as the whole text has, and before the line
 * that follows them there, which closes the list: what it makes of the whole
 * file there. Undefined, and the whole file is read, when the items use anchors,
 * aliases, tags, block scalars or directives, when something in them runs on
 * past a line's end (see runsOn), when an error lies outside them,
 * when the list runs on past them, or when the line after them is not read as
 * the next child of the collection the scanner will put it in. A property test
 * (parse-reuse.test.ts) compares such reads with the whole file's along random edits.
 */
function yamlTail(text: string, tail: Tail): { items: YRef[]; end: number; errors: YamlError[] } | undefined {
  const own = linesThrough(text, tail.line, tail.end);
  if (own === undefined) return undefined;
  const read = tail.context + own;
  const doc = composeRegion(read);
  const from = tail.context.length;
  const to = from + tail.end - tail.line;
  if (!doc || doc.warnings.length > 0 || doc.errors.some((e) => e.pos[0] < from || e.pos[0] >= to || e.pos[1] > to))
    return undefined;
  // Positions in the text: the items' lines are written at `tail.line` there.
  const offset = tail.line - from;
  const root = fromYaml(doc, read, offset);
  let node: YRef = root;
  let next: YRef = null;
  for (let level = 0; level < tail.childAt.length; level++) {
    if (node === null || (node.kind !== "map" && node.kind !== "seq")) return undefined;
    const child = tail.childAt[level] + offset;
    const children: readonly YRef[] = node.kind === "map" ? node.items.map((p) => p.key) : node.items;
    if (level === tail.nextLevel) next = children[children.length - 1];
    const k = children.findIndex((c) => c !== null && c.start === child);
    if (k < 0) return undefined;
    node = node.kind === "map" ? node.items[k].value : node.items[k];
  }
  if (node === null || node.kind !== "seq" || node.items.length === 0 || node.end > tail.end) return undefined;
  if (tail.nextLevel >= 0 && (next === null || next.start !== tail.nextAt)) return undefined;
  return { items: [...node.items], end: node.end, errors: shiftedErrors(doc, offset) };
}

/**
 * `text` from `line` through the end of the line at `next`, which `yaml` reads
 * in yamlItems and yamlTail; undefined when it holds anchors, aliases, tags,
 * block scalars or directives, which only the whole file's reading resolves,
 * or when something in it runs on past a line's end (see runsOn).
 */
function linesThrough(text: string, line: number, next: number): string | undefined {
  const nextEnd = text.indexOf("\n", next);
  const lines = text.slice(line, nextEnd < 0 ? text.length : nextEnd + 1);
  return /[&*!|>%]/.test(lines) || runsOn(lines) ? undefined : lines;
}

/**
 * Whether a flow collection or a quoted scalar in `lines` runs on past the end of
 * its line, as yaml's lexer reads them. Elsewhere yaml's state at a line's start
 * follows from its indentation, so a line outside the edited items is read as
 * before; after such a construct it need not be: `{ ?` ended by the next rule's
 * indentation leaves yaml reading that rule's keys as one multi-line key.
 */
function runsOn(lines: string): boolean {
  let depth = 0;
  for (const lexeme of new Lexer().lex(lines)) {
    switch (lexeme) {
      case "{":
      case "[":
        depth++;
        break;
      case "}":
      case "]":
        if (depth > 0) depth--;
        break;
      case "\n":
        if (depth > 0) return true;
        break;
      case "\x18": // a flow collection ended by a line's indentation
        return true;
      default: {
        const quote = lexeme[0];
        if (quote !== '"' && quote !== "'") break;
        // Ends on its line, with no escape that could hide its end.
        if (lexeme.length < 2 || !lexeme.endsWith(quote) || lexeme.includes("\n") || lexeme.includes("\\")) return true;
      }
    }
  }
  return false;
}

/** yaml's document of a part of the text, or undefined when it nests too deep to walk. */
function composeRegion(region: string): Document | undefined {
  const tokens = [...new Parser().parse(region)];
  return findExcessiveNesting(region, tokens) ? undefined : composeOne(tokens, region.length);
}

/** yaml's errors in a part of the text, at their places in the text: `offset` characters on. */
function shiftedErrors(doc: Document, offset: number): YamlError[] {
  return doc.errors.map(({ code, message, pos }) => ({ code, message, pos: [offset + pos[0], offset + pos[1]] }));
}

/**
 * yaml's document as the reader's nodes: ranges trimmed, aliases resolved once
 * (shared, never expanded). `text` is what yaml read; it was written at `offset`.
 */
function fromYaml(doc: Document, text: string, offset = 0): YRef {
  const made = new Map<unknown, YNode>();
  const convert = (raw: unknown): YRef => {
    if (isAlias(raw)) {
      const target = raw.resolve(doc);
      const r = raw.range;
      return {
        kind: "alias",
        start: offset + (r ? r[0] : 0),
        end: offset + (r ? trimmedEnd(text, r[0], r[1]) : 0),
        target: target ? (made.get(target) ?? (convert(target) as YNode | null)) : null,
      };
    }
    if (!isYamlScalar(raw) && !isYamlMap(raw) && !isYamlSeq(raw)) return null;
    const r = raw.range;
    const start = offset + (r ? r[0] : 0);
    const end = offset + (r ? trimmedEnd(text, r[0], r[1]) : 0);
    if (isYamlScalar(raw)) {
      const plainSource =
        typeof raw.value !== "string" && raw.type === Scalar.PLAIN && r ? text.slice(r[0], r[1]) : undefined;
      const node: YScalar = { kind: "scalar", start, end, value: raw.value, source: plainSource };
      made.set(raw, node);
      return node;
    }
    if (isYamlMap(raw)) {
      const items: YPair[] = [];
      const node: YMap = { kind: "map", start, end, items };
      made.set(raw, node);
      for (const pair of raw.items) {
        if (isYamlPair(pair)) items.push({ key: convert(pair.key), value: convert(pair.value) });
      }
      return node;
    }
    const items: YRef[] = [];
    const node: YSeq = { kind: "seq", start, end, items };
    made.set(raw, node);
    for (const item of raw.items) items.push(convert(item));
    return node;
  };
  return convert(doc.contents);
}

/**
 * Collections nested deeper than this are refused before the document is
 * composed: a real policy nests about six levels, and very deep input makes
 * the recursive composer exhaust the stack, which inside an extension host can
 * abort the whole process (a V8 fatal error, not a catchable exception).
 */
export const MAX_NESTING = 64;

/**
 * Where collections first nest deeper than MAX_NESTING, or undefined. Uses
 * yaml's own tokenizer (which keeps an explicit stack, so any depth is safe)
 * and walks its tokens without recursion: quotes and comments count exactly
 * as YAML reads them.
 */
export function findExcessiveNesting(
  text: string,
  tokens: readonly CST.Token[] = [...new Parser().parse(text)],
): TextRange | undefined {
  type Walked = { offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
  const stack: { token: unknown; depth: number }[] = [];
  for (const token of tokens) stack.push({ token, depth: 0 });
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (!top.token || typeof top.token !== "object") continue;
    const token = top.token as Walked;
    const depth = Array.isArray(token.items) ? top.depth + 1 : top.depth;
    if (depth > MAX_NESTING) {
      const at = Math.min(token.offset ?? 0, text.length);
      return { start: at, end: Math.min(at + 1, text.length) };
    }
    stack.push({ token: token.value, depth });
    for (const item of token.items ?? []) stack.push({ token: item.key, depth }, { token: item.value, depth });
  }
  return undefined;
}

/** What yaml's parseDocument does, on tokens already made: the first document, MULTIPLE_DOCS past it. */
function composeOne(tokens: readonly CST.Token[], length: number): Document {
  const composer = new Composer({ prettyErrors: false, uniqueKeys: true, logLevel: "error" });
  let doc: Document | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          "MULTIPLE_DOCS",
          "Source contains multiple documents; please use YAML.parseAllDocuments()",
        ),
      );
      break;
    }
  }
  return doc!;
}

/**
 * The nodes yaml makes of `text`, or undefined when it reports any error or
 * warning: what the fast scanner must reproduce exactly (for tests).
 */
export function yamlNodes(text: string): YRef | undefined {
  const tokens = [...new Parser().parse(text)];
  if (findExcessiveNesting(text, tokens)) return undefined;
  const doc = composeOne(tokens, text.length);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  return fromYaml(doc, text);
}

export interface Entry {
  readonly name: string;
  readonly keyRange: TextRange;
  /** The value with aliases resolved; null when empty. */
  readonly value: YNode | null;
  /** Where the value is written, or the key when the value is empty. */
  readonly valueRange: TextRange;
  /** From the key to the end of the value. */
  readonly pairRange: TextRange;
}

export type Items = { node: YNode | null; range: TextRange }[];

/** Reads YAML nodes and reports each problem once, in the chosen language. */
export class YamlReader {
  readonly diagnostics: PolicyDiagnostic[] = [];

  constructor(
    protected readonly text: string,
    protected readonly lang: Lang,
  ) {}

  /**
   * Parses the text into the reader's nodes and reports syntax errors. Undefined
   * when the text is unsafe to walk (too deep, alias bomb): read nothing then.
   */
  protected load(): { contents: YRef } | undefined {
    // Real policies stay inside a small YAML subset that a dedicated scanner reads
    // many times faster; it declines (undefined) whatever it cannot read exactly as yaml does.
    if (yamlPath.fast) {
      let scanned: Scanned | undefined;
      try {
        scanned = fastScan(this.text);
      } catch {
        latestScan = undefined;
        scanned = undefined; // a scanner bug must cost speed, never correctness
      }
      if (scanned) {
        yamlPath.last = scanned.mixed ? "mixed" : "fast";
        this.reportYamlErrors(scanned.errors);
        return { contents: scanned.root };
      }
    }
    yamlPath.last = "yaml";
    return this.loadYaml();
  }

  /** The `yaml` package's reading, with its diagnostics. */
  private loadYaml(): { contents: YRef } | undefined {
    // One tokenizer pass serves both the nesting guard and the composer.
    const tokens = [...new Parser().parse(this.text)];
    const tooDeep = findExcessiveNesting(this.text, tokens);
    if (tooDeep) {
      this.report("yaml.syntax", tooDeep, {
        en: `Nesting is too deep (over ${MAX_NESTING} levels); a policy needs only a few levels.`,
        "zh-cn": `嵌套过深（超过 ${MAX_NESTING} 层）；策略文件只需要少数几层。`,
      });
      return undefined;
    }
    // logLevel "error": warnings would go to the console (process.emitWarning); "silent" would also drop MULTIPLE_DOCS.
    const doc = composeOne(tokens, this.text.length);
    this.reportYamlErrors(doc.errors);
    // No `*` anywhere means no alias to expand: skip the costly conversion.
    if (!this.text.includes("*")) return { contents: fromYaml(doc, this.text) };
    try {
      // yaml's own alias budget (maxAliasCount) stops "billion laughs" expansion.
      doc.toJS({ maxAliasCount: 100, mapAsMap: true });
    } catch {
      let range: TextRange = { start: 0, end: 0 };
      visit(doc, {
        Alias: (_key, node) => {
          const r = node.range;
          range = r ? { start: r[0], end: trimmedEnd(this.text, r[0], r[1]) } : range;
          return visit.BREAK;
        },
      });
      this.report("yaml.syntax", range, {
        en: "Too many alias expansions (`*name`); write the values out instead.",
        "zh-cn": "别名（`*name`）展开次数过多；请直接写出这些值。",
      });
      return undefined;
    }
    return { contents: fromYaml(doc, this.text) };
  }

  /** yaml's errors, each as a `yaml.syntax` diagnostic at its place. */
  private reportYamlErrors(errors: readonly YamlError[]): void {
    for (const error of errors) {
      const start = Math.min(error.pos[0], this.text.length);
      const message = error.message.split("\n")[0];
      this.report(
        "yaml.syntax",
        { start, end: Math.max(start, Math.min(error.pos[1], this.text.length)) },
        error.code === "MULTIPLE_DOCS"
          ? {
              en: "A policy file holds one YAML document: remove the `---` separator and what follows, or move it to its own file.",
              "zh-cn": "一个策略文件只能包含一个 YAML 文档：请删除 `---` 分隔符及其后的内容，或将其移到单独的文件。",
            }
          : { en: `YAML syntax error: ${message}`, "zh-cn": `YAML 语法错误：${message}` },
      );
    }
  }

  /** Adds a diagnostic with the code's default severity. */
  report(code: DiagnosticCode, range: TextRange, message: Localized, suggestion?: string): void {
    this.diagnostics.push({
      code,
      severity: DEFAULT_SEVERITY[code],
      message: localize(this.lang, message),
      range,
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
  }
  protected bool(e: Entry | undefined): boolean | undefined {
    if (!e) return undefined;
    const v = isScalar(e.value) ? e.value.value : undefined;
    if (typeof v === "boolean") return v;
    this.report("schema.type", e.valueRange, {
      en: `\`${e.name}\` is true or false.`,
      "zh-cn": `\`${e.name}\` 只能是 true 或 false。`,
    });
    return undefined;
  }

  protected choice(e: Entry | undefined, allowed: readonly string[]): string | undefined {
    if (!e) return undefined;
    const v = this.scalarValue(e.value);
    if (v !== undefined && allowed.includes(v)) return v;
    const near = v === undefined ? undefined : nearestName(v, allowed);
    this.report(
      "schema.type",
      e.valueRange,
      {
        en: `\`${e.name}\` is one of: ${allowed.join(", ")}${near ? `; did you mean \`${near}\`?` : "."}`,
        "zh-cn": `\`${e.name}\` 只能是：${allowed.join("、")}${near ? `，是否想写 \`${near}\`？` : "。"}`,
      },
      near,
    );
    return undefined;
  }

  protected optionText(e: Entry | undefined): string | undefined {
    return e ? this.scalarText(e, { en: "text", "zh-cn": "文本" }) : undefined;
  }

  /** A scalar's text; null when empty, undefined when not a scalar. */
  protected scalarText(e: Entry, expected: Localized): string | undefined {
    const v = this.scalarValue(e.value);
    if (v === undefined) this.wrongType(e.value, e.valueRange, expected);
    return v;
  }

  /**
   * A scalar as the user wrote it: strings as they are, numbers and booleans in
   * their source form (`025` stays `025`). Undefined for anything else.
   */
  protected scalarValue(node: YNode | null | undefined): string | undefined {
    if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
    if (typeof node.value === "string") return node.value;
    if (node.source !== undefined) return node.source;
    return String(node.value);
  }

  /** A scalar or a list of scalars, each with its range; reports other shapes. */
  protected items(e: Entry, expected: Localized): Items {
    if (isSeq(e.value)) {
      if (e.value.items.length === 0) this.wrongType(e.value, e.valueRange, expected);
      return e.value.items.map((item) => ({ node: this.deref(item), range: this.rangeOf(item) }));
    }
    if (e.value === null || isMap(e.value)) {
      this.wrongType(e.value, e.valueRange, expected);
      return [];
    }
    return [{ node: e.value, range: e.valueRange }];
  }

  /** The keys of a mapping; reports unknown ones with the nearest valid key. */
  protected entries(
    map: YMap,
    allowed: readonly string[] | null,
    renamed: Record<string, string> = {},
  ): Map<string, Entry> {
    const out = new Map<string, Entry>();
    for (const pair of map.items) {
      const key = this.deref(pair.key);
      const name = this.scalarValue(key);
      const keyRange = key ? this.rangeOf(pair.key) : this.rangeOf(pair.value);
      if (name === undefined) {
        this.report("schema.type", keyRange, { en: "A key must be plain text.", "zh-cn": "键必须是普通文本。" });
        continue;
      }
      if (allowed && !allowed.includes(name)) {
        // A key meant for another place (`to` in an inbound rule) maps to its counterpart here.
        const guess = nearestName(name, [...allowed, ...Object.keys(renamed)]) ?? name;
        const near = Object.hasOwn(renamed, guess) ? renamed[guess] : allowed.includes(guess) ? guess : undefined;
        this.report(
          "schema.unknown-key",
          keyRange,
          near
            ? {
                en: `Unknown key \`${name}\`; did you mean \`${near}\`?`,
                "zh-cn": `未知的键 \`${name}\`，是否想写 \`${near}\`？`,
              }
            : {
                en: `Unknown key \`${name}\`; expected one of: ${allowed.join(", ")}.`,
                "zh-cn": `未知的键 \`${name}\`；可用的键：${allowed.join("、")}。`,
              },
          near,
        );
        continue;
      }
      if (out.has(name)) continue; // yaml reports the duplicate
      const value = this.deref(pair.value);
      const empty = value === null || (isScalar(value) && value.value === null);
      const valueRange = empty ? keyRange : this.rangeOf(pair.value);
      out.set(name, {
        name,
        keyRange,
        value: empty ? null : value,
        valueRange,
        pairRange: { start: keyRange.start, end: Math.max(keyRange.end, valueRange.end) },
      });
    }
    return out;
  }

  protected wrongType(node: YNode | null, range: TextRange, expected: Localized): void {
    const found: Localized = isSeq(node)
      ? { en: node.items.length ? "a list" : "an empty list", "zh-cn": node.items.length ? "列表" : "空列表" }
      : isMap(node)
        ? { en: "a mapping", "zh-cn": "映射" }
        : node === null || (isScalar(node) && node.value === null)
          ? { en: "nothing", "zh-cn": "空值" }
          : { en: "a single value", "zh-cn": "单个值" };
    this.report("schema.type", range, {
      en: `Expected ${expected.en}; found ${found.en}.`,
      "zh-cn": `此处应为${expected["zh-cn"]}，实际为${found["zh-cn"]}。`,
    });
  }

  protected deref(node: YRef | undefined): YNode | null {
    if (!node) return null;
    return node.kind === "alias" ? node.target : node;
  }

  /** `[start, valueEnd)` of a node, without trailing whitespace (block scalars end with a newline). */
  protected rangeOf(node: YRef | undefined): TextRange {
    return node ? { start: node.start, end: node.end } : { start: 0, end: 0 };
  }

  protected firstLine(range: TextRange): TextRange {
    const nl = this.text.indexOf("\n", range.start);
    return { start: range.start, end: nl < 0 || nl > range.end ? range.end : nl };
  }
}
