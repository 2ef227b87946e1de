/** Pieces every target generator shares: diagnostics, port labels, rule references. */

import { formatCidr } from "../addresses";
import { DEFAULT_SEVERITY, type DiagnosticCode, type PolicyDiagnostic, type Severity } from "../diagnostics";
import { fitted } from "../fitted";
import { localize } from "../i18n";
import type { AddressFamily, Cidr, Lang, Localized, PortSpec, Rule, RuleRef, RuleSet, TextRange } from "../model";

/** Where a diagnostic without a better node points: the start of the file. */
const FILE_START: TextRange = { start: 0, end: 0 };

/** Collects a generator's diagnostics in one language. */
export class TargetDiagnostics {
  readonly items: PolicyDiagnostic[] = [];

  constructor(readonly lang: Lang) {}

  add(code: DiagnosticCode, range: TextRange, text: Localized, rule?: RuleRef, severity?: Severity): void {
    this.items.push({
      code,
      severity: severity ?? DEFAULT_SEVERITY[code],
      message: localize(this.lang, text),
      range,
      ...(rule ? { rule: ruleRef(rule) } : {}),
    });
  }

  /** `target.description` for a note that had to change to fit `targetLabel`. */
  noteChanged(rule: Rule, targetLabel: string, limit: Localized): void {
    this.add(
      "target.description",
      rule.noteRange ?? rule.range,
      {
        en: `The note is changed to fit ${targetLabel} (${limit.en}). Shorten it or use only the allowed characters to keep it as written.`,
        "zh-cn": `备注已按 ${targetLabel} 的要求修改（${limit["zh-cn"]}）。请缩短备注或只使用允许的字符，以保持原文。`,
      },
      rule,
    );
  }
}

/** A bare `{direction, index}`, without the rest of the rule. */
export function ruleRef(rule: RuleRef): RuleRef {
  return { direction: rule.direction, index: rule.index };
}

/** The port specs as written, for comments and descriptions when there is no note. */
export function portLabel(ports: readonly PortSpec[]): string {
  return ports.map((p) => p.text).join(", ");
}

/** Where a direction's default is written, or the best enclosing node. */
export function defaultRange(ruleSet: RuleSet): TextRange {
  return ruleSet.defaultRange ?? ruleSet.range ?? FILE_START;
}

/**
 * The port specs of a rule with exact duplicates (same protocol and range)
 * removed, in written order: the rule's own list when it has none.
 */
export function distinctPorts(ports: readonly PortSpec[]): readonly PortSpec[] {
  const out: PortSpec[] = [];
  // Most rules name a few ports: compare them; a long list gets a set of keys.
  if (ports.length <= 16) {
    for (const p of ports) {
      if (!out.some((q) => q.protocol === p.protocol && q.from === p.from && q.to === p.to)) out.push(p);
    }
  } else {
    const seen = new Set<string>();
    for (const p of ports) {
      const key = `${p.protocol}/${p.from}-${p.to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out.length === ports.length ? ports : fitted(out);
}

/** Bilingual names for the two traffic directions. */
export const DIRECTION_TEXT: Record<RuleRef["direction"], Localized> = {
  inbound: { en: "inbound", "zh-cn": "入方向" },
  outbound: { en: "outbound", "zh-cn": "出方向" },
};

/**
 * The rule's prefixes of one family, each once, in written order: its one
 * peer's own list when that is all of them.
 */
export function familyCidrs(rule: Rule, family: AddressFamily): readonly Cidr[] {
  const out: Cidr[] = [];
  // Most rules name a few prefixes: compare them; a long list gets a set of their texts.
  let seen: Set<string> | undefined;
  for (const peer of rule.peers) {
    for (const cidr of peer.cidrs) {
      if (cidr.family !== family) continue;
      if (seen) {
        const key = formatCidr(cidr);
        if (seen.has(key)) continue;
        seen.add(key);
      } else if (out.some((c) => c === cidr || (c.prefix === cidr.prefix && c.address === cidr.address))) continue;
      out.push(cidr);
      if (!seen && out.length === 16) seen = new Set(out.map(formatCidr));
    }
  }
  const peers = rule.peers;
  // Every prefix of a single peer, in its order: the list the rule already keeps.
  if (peers.length === 1 && out.length === peers[0].cidrs.length) return peers[0].cidrs;
  return fitted(out);
}

/**
 * An output: its lines (without line ends) and the rule of each; the text is
 * the lines, each ended by a newline. Whichever a generator makes, the other
 * is derived on first read and kept (the preview reads lines, files take text).
 */
export interface OutputDocument {
  readonly lines: readonly string[];
  readonly text: string;
  readonly lineRules: readonly (RuleRef | null)[];
  /**
   * The lines as runs, each from one rule (or none), with the rule of each run.
   * A rule that did not change since the last check gives the same chunk, so
   * the preview compares two outputs chunk by chunk without visiting their lines.
   */
  readonly chunks: readonly OutputChunk[];
  readonly chunkRules: readonly (RuleRef | null)[];
}

class TextFirst implements OutputDocument {
  private split: readonly string[] | undefined;
  private runs: { chunks: OutputChunk[]; rules: (RuleRef | null)[] } | undefined;
  constructor(
    readonly text: string,
    readonly lineRules: readonly (RuleRef | null)[],
  ) {}
  get lines(): readonly string[] {
    this.split ??= this.text.slice(0, -1).split("\n");
    return this.split;
  }
  get chunks(): readonly OutputChunk[] {
    return this.lineRuns().chunks;
  }
  get chunkRules(): readonly (RuleRef | null)[] {
    return this.lineRuns().rules;
  }
  /** The lines cut where their rule changes. */
  private lineRuns(): { chunks: OutputChunk[]; rules: (RuleRef | null)[] } {
    if (!this.runs) {
      const { lines, lineRules } = this;
      const runs: { chunks: OutputChunk[]; rules: (RuleRef | null)[] } = { chunks: [], rules: [] };
      for (let start = 0, end = 1; start < lines.length; start = end, end = start + 1) {
        while (end < lines.length && lineRules[end] === lineRules[start]) end++;
        runs.chunks.push(OutputChunk.ofLines(lines.slice(start, end)));
        runs.rules.push(lineRules[start]);
      }
      this.runs = runs;
    }
    return this.runs;
  }
}

/**
 * Lines that come from one rule (or from none): made as lines or as their text
 * (the lines joined by newlines, none after the last), the other made on first
 * read. A command writes text; the preview reads lines.
 */
export class OutputChunk {
  private constructor(
    private linesMade: readonly string[] | undefined,
    private textMade: string | undefined,
  ) {}

  static ofLines(lines: readonly string[]): OutputChunk {
    return new OutputChunk(lines, undefined);
  }

  /** `text` holds one line at least. */
  static ofText(text: string): OutputChunk {
    return new OutputChunk(undefined, text);
  }

  get lines(): readonly string[] {
    this.linesMade ??= this.textMade!.split("\n");
    return this.linesMade;
  }

  get text(): string {
    this.textMade ??= this.linesMade!.join("\n");
    return this.textMade;
  }

  get empty(): boolean {
    return this.linesMade !== undefined && this.linesMade.length === 0;
  }
}

/**
 * Writes an output as chunks, each with the rule its lines came from. A
 * generator keeps each rule's chunk with the rule's content (see
 * rule-content.ts), so a check after an edit writes only the chunks of the
 * rules that changed; the text, the lines and the rule of each line are made
 * from the chunks when first read.
 */
export class OutputWriter {
  private readonly chunks: OutputChunk[] = [];
  private readonly rules: (RuleRef | null)[] = [];
  private loose: string[] = [];

  /** A line of no rule (a header, a bracket). */
  line(line: string): void {
    this.loose.push(line);
  }

  chunk(chunk: OutputChunk, rule: RuleRef | null): void {
    this.flush();
    if (chunk.empty) return;
    this.chunks.push(chunk);
    this.rules.push(rule);
  }

  /** Replaces the chunk written last (by the same lines, ended otherwise), keeping its rule. */
  replaceLast(chunk: OutputChunk): void {
    this.chunks[this.chunks.length - 1] = chunk;
  }

  done(): OutputDocument {
    this.flush();
    return new Chunked(this.chunks, this.rules);
  }

  private flush(): void {
    if (this.loose.length === 0) return;
    this.chunks.push(OutputChunk.ofLines(this.loose));
    this.rules.push(null);
    this.loose = [];
  }
}

class Chunked implements OutputDocument {
  private joined: string | undefined;
  private flat: readonly string[] | undefined;
  private tags: readonly (RuleRef | null)[] | undefined;
  constructor(
    readonly chunks: readonly OutputChunk[],
    readonly chunkRules: readonly (RuleRef | null)[],
  ) {}
  get text(): string {
    this.joined ??= `${this.chunks.map((c) => c.text).join("\n")}\n`;
    return this.joined;
  }
  get lines(): readonly string[] {
    if (!this.flat) {
      const lines: string[] = [];
      for (const chunk of this.chunks) for (const line of chunk.lines) lines.push(line);
      this.flat = lines;
    }
    return this.flat;
  }
  get lineRules(): readonly (RuleRef | null)[] {
    if (!this.tags) {
      const tags: (RuleRef | null)[] = [];
      this.chunks.forEach((chunk, n) => {
        for (let i = 0; i < chunk.lines.length; i++) tags.push(this.chunkRules[n]);
      });
      this.tags = tags;
    }
    return this.tags;
  }
}

/** An output made as one text ending in a newline. */
export function outputOfText(text: string, lineRules: readonly (RuleRef | null)[]): OutputDocument {
  return new TextFirst(text, lineRules);
}

/**
 * What every generator returns: its findings at once, its output (with the rule
 * of each line) only when asked for, then kept. The editor checks on every
 * keystroke and needs only the findings; the output waits for the preview or `generate`.
 */
export interface PlannedDocument {
  readonly diagnostics: PolicyDiagnostic[];
  render(): OutputDocument;
}

export function plannedDocument(diagnostics: PolicyDiagnostic[], build: () => OutputDocument): PlannedDocument {
  let document: OutputDocument | undefined;
  return { diagnostics, render: () => (document ??= build()) };
}
