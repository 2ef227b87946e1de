/**
 * Builds what the preview shows from a checked policy. Pure (no `vscode`), so
 * it is unit-tested directly; the panel only adds the document and the webview.
 */
import { type CheckResult, configuredTargets, outputFor } from "../../core/check";
import type { PolicyDiagnostic } from "../../core/diagnostics";
import type { GeneratedOutput } from "../../core/generate/index";
import { LineIndex } from "../../core/lines";
import type { Direction, Lang, Policy, Rule, RuleRef, TargetName } from "../../core/model";
import { chunkEdits, type OutputChunks, outputLines } from "./lineChanges";
import {
  type PreviewProblem,
  type PreviewState,
  type RuleKey,
  ruleKey,
  type SentState,
  type SentView,
  type TargetView,
} from "./protocol";

/** Generates one target; the real one is `generateTarget` from the core. */
export type TargetGenerator = (policy: Policy, target: TargetName, lang: Lang) => GeneratedOutput;

/** What the state is built from: its descriptive fields as they will be sent, plus the inputs below. */
export interface PreviewInput
  extends Pick<PreviewState, "resource" | "title" | "version" | "lang" | "locked" | "labels" | "host" | "cloud"> {
  /** Targets named under `targets:`; the others are generated for reference. */
  readonly configured: readonly TargetName[];
  /** The cursor's offset in the policy, when an editor shows it. */
  readonly cursorOffset?: number;
}

/** Converts a core diagnostic to what the webview shows, with its 0-based position. */
export function toPreviewProblem(d: PolicyDiagnostic, lines: LineIndex): PreviewProblem {
  const pos = lines.positionAt(d.range.start);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: pos.line,
    character: pos.character,
    start: d.range.start,
    end: d.range.end,
  };
}

/**
 * The preview's whole state, with the outputs of the shown host and cloud
 * targets (a switch asks for the other). With errors in the policy it carries
 * the errors and no output, so the webview never shows stale output as if it
 * were current.
 */
export function buildPreviewState(
  check: CheckResult,
  lines: LineIndex,
  generate: TargetGenerator,
  input: PreviewInput,
): PreviewState {
  // A policy can have errors with no error-severity diagnostic left (a user turned the
  // code down, but part of the file could not be read): then list everything found.
  const blocking = check.diagnostics.filter((d) => d.severity === "error");
  const errors = check.hasErrors
    ? (blocking.length > 0 ? blocking : check.diagnostics).map((d) => toPreviewProblem(d, lines))
    : [];
  // Only the two shown: the others would cost as much to make and send, for nothing on screen.
  const outputs = check.hasErrors ? [] : [input.host, input.cloud].map((t) => view(t));
  const cursorRule = input.cursorOffset === undefined ? undefined : ruleAtOffset(check.policy, input.cursorOffset);
  return {
    resource: input.resource,
    title: input.title,
    version: input.version,
    lang: input.lang,
    locked: input.locked,
    labels: input.labels,
    hasErrors: check.hasErrors,
    errors,
    outputs,
    host: input.host,
    cloud: input.cloud,
    cursorRule: cursorRule ? ruleKey(cursorRule) : null,
  };

  function view(target: TargetName): TargetView {
    const configured = input.configured.includes(target);
    try {
      const out = generate(check.policy, target, input.lang);
      return viewOf(
        {
          target,
          fileName: out.fileName,
          configured,
          problems: out.diagnostics.map((d) => toPreviewProblem(d, lines)),
        },
        out,
      );
    } catch (err) {
      // A generator bug must not blank the whole preview: show it on its side only.
      const failure = err instanceof Error ? err.message : String(err);
      return { target, fileName: "", text: "", lineRules: [], configured, problems: [], failure };
    }
  }
}

/** Where a view keeps the output it shows, and its line keys once made (hidden: never sent or compared). */
const OUTPUT = Symbol("output");
const LINE_KEYS = Symbol("line keys");
type ShownOutput = Pick<GeneratedOutput, "text" | "lines" | "lineRules"> &
  Partial<Pick<GeneratedOutput, "chunks" | "chunkRules">>;
type WithOutput = { readonly [OUTPUT]?: ShownOutput; [LINE_KEYS]?: readonly (RuleKey | null)[] };

/**
 * A view of a generated output. Its `text` and `lineRules` are read from the
 * output only when the view goes whole to the webview: an update sends changed
 * lines, found from the output's chunks, so a large output is never joined,
 * split or keyed line by line per edit. (Shared getters, not closures per
 * view: see generateTarget on why.)
 */
function viewOf(fields: Omit<TargetView, "text" | "lineRules">, out: ShownOutput): TargetView {
  Object.defineProperty(fields, OUTPUT, { value: out });
  Object.defineProperty(fields, LINE_KEYS, { value: undefined, writable: true });
  return Object.defineProperties(fields, VIEW_FIELDS) as TargetView;
}

const VIEW_FIELDS: PropertyDescriptorMap = {
  text: {
    enumerable: true,
    get(this: WithOutput) {
      return this[OUTPUT]?.text;
    },
  },
  lineRules: {
    enumerable: true,
    get(this: WithOutput) {
      const rules = this[OUTPUT]?.lineRules;
      if (rules === undefined) return undefined;
      this[LINE_KEYS] ??= lineKeys(rules);
      return this[LINE_KEYS];
    },
  },
};

/** What the webview holds of one target's output: as chunks with the key of each, its line count and its id. */
interface SentOutput extends OutputChunks<RuleKey | null> {
  readonly id: number;
  readonly lineCount: number;
}

/**
 * A view's output as chunks: the output's own (a rule the edit did not touch
 * gives the same chunk), or else each line as one (a failure shows an empty
 * text; a copied output has no chunks).
 */
function viewChunks(view: TargetView): Omit<SentOutput, "id"> & { finalNewline: boolean } {
  const out = (view as WithOutput)[OUTPUT];
  if (out?.chunks && out.chunkRules) {
    const chunks: (readonly string[])[] = [];
    const rules: (RuleKey | null)[] = [];
    let lineCount = 0;
    for (let c = 0; c < out.chunks.length; c++) {
      const lines = out.chunks[c].lines;
      chunks.push(lines);
      rules.push(keyOf(out.chunkRules[c]));
      lineCount += lines.length;
    }
    // A generated output's text is its lines, each ended by a newline.
    return { chunks, rules, lineCount, finalNewline: true };
  }
  // Each line a chunk of its own, keyed by its rule.
  const lines = out ? out.lines : outputLines(view.text);
  return {
    chunks: lines.map((line) => [line]),
    rules: view.lineRules,
    lineCount: lines.length,
    finalNewline: out ? true : view.text.endsWith("\n"),
  };
}

/** What the webview holds of each target: the output last sent for it (see {@link SentOutput}). */
export type SentOutputs = Map<TargetName, SentOutput>;

/**
 * The update that brings the webview to `state`: each output whole the first
 * time, then as the edits from the one sent before it for the same target.
 * Records what was sent in `sent`; clear it when the webview may have lost it.
 */
export function sentState(state: PreviewState, sent: SentOutputs, id: number): SentState {
  const outputs = state.outputs.map((view): SentView => {
    const { finalNewline, ...now } = viewChunks(view);
    const last = sent.get(view.target);
    sent.set(view.target, { id, ...now });
    if (!last) return { ...view, id };
    const patch = { base: last.id, edits: chunkEdits(last, now), lineCount: now.lineCount, finalNewline };
    // Every field but the text and the line rules (not read, so not made: they are in the patch).
    const rest: Record<string, unknown> = {};
    for (const key of Object.keys(view)) {
      if (key !== "text" && key !== "lineRules") rest[key] = view[key as keyof TargetView];
    }
    return { ...(rest as Omit<TargetView, "text" | "lineRules">), id, patch };
  });
  return { ...state, outputs };
}

/**
 * The state for a policy text and its check, as the panel shows it: targets the
 * policy configures are marked so, and the outputs the check planned are reused.
 */
export function previewStateOf(
  check: CheckResult,
  text: string,
  input: Omit<PreviewInput, "configured">,
): PreviewState {
  const generate: TargetGenerator = (_policy, target, lang) => outputFor(check, target, lang);
  return buildPreviewState(check, new LineIndex(text), generate, {
    ...input,
    configured: configuredTargets(check.policy),
  });
}

/** One key per output line. */
function lineKeys(lineRules: readonly (RuleRef | null)[]): (RuleKey | null)[] {
  return lineRules.map(keyOf);
}

/** Each rule's key, made once per position and kept: every update names the same rules again. */
const KEYS: Record<Direction, RuleKey[]> = { inbound: [], outbound: [] };

function keyOf(rule: RuleRef | null): RuleKey | null {
  if (rule === null) return null;
  const keys = KEYS[rule.direction];
  keys[rule.index] ??= ruleKey(rule);
  return keys[rule.index];
}

function allRules(policy: Policy): readonly Rule[] {
  return [...policy.inbound.rules, ...policy.outbound.rules];
}

/** The rule whose text contains `offset` (the cursor), or undefined. */
export function ruleAtOffset(policy: Policy, offset: number): RuleRef | undefined {
  const rule = allRules(policy).find((r) => r.range.start <= offset && offset <= r.range.end);
  return rule ? { direction: rule.direction, index: rule.index } : undefined;
}

/** The rule a `RuleRef` names in this policy, for revealing it in the editor. */
export function findRule(policy: Policy, ref: RuleRef): Rule | undefined {
  const set = ref.direction === "inbound" ? policy.inbound : policy.outbound;
  return set.rules.find((r) => r.index === ref.index);
}

/** The 0-based output lines generated from `rule`. */
export function linesOfRule(lineRules: readonly (RuleKey | null)[], rule: RuleKey | null): number[] {
  if (!rule) return [];
  const lines: number[] = [];
  lineRules.forEach((r, i) => {
    if (r === rule) lines.push(i);
  });
  return lines;
}

/** What the language status item says about a policy. */
export interface PolicySummary {
  readonly errors: number;
  readonly warnings: number;
  readonly targets: readonly string[];
}

/** The status text: the worst news first. Pure, for the unit tests. */
export function summaryText(s: PolicySummary, t: (message: string, ...args: (string | number)[]) => string): string {
  if (s.errors > 0) return s.errors === 1 ? t("$(error) 1 error") : t("$(error) {0} errors", s.errors);
  if (s.warnings > 0) return s.warnings === 1 ? t("$(warning) 1 warning") : t("$(warning) {0} warnings", s.warnings);
  return t("$(check) Policy OK");
}
