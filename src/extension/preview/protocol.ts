/**
 * The messages between the extension and the preview webview. Pure types and
 * small helpers: imported by both sides (the webview script bundles this file).
 */
import type { Direction, Lang, RuleRef, TargetName } from "../../core/model";
import type { LineEditOf } from "./lineChanges";

/** The two columns of the preview. */
export type PreviewSide = "host" | "cloud";
export type HostTarget = Extract<TargetName, "iptables" | "ip6tables">;
export type CloudTarget = Extract<TargetName, "aliyun" | "aws">;

export const HOST_TARGETS: readonly HostTarget[] = ["iptables", "ip6tables"];
export const CLOUD_TARGETS: readonly CloudTarget[] = ["aliyun", "aws"];

/** A rule as a string, `inbound:3`, so it can sit in a data attribute and be compared cheaply. */
export type RuleKey = `${Direction}:${number}`;

export function ruleKey(rule: RuleRef): RuleKey {
  return `${rule.direction}:${rule.index}`;
}

export function parseRuleKey(key: string): RuleRef | undefined {
  const m = /^(inbound|outbound):(\d+)$/.exec(key);
  return m ? { direction: m[1] as Direction, index: Number(m[2]) } : undefined;
}

/** A diagnostic as the webview shows it: message, position, and the offsets to reveal. */
export interface PreviewProblem {
  readonly code: string;
  readonly severity: "error" | "warning" | "info" | "hint";
  readonly message: string;
  /** 0-based, as in VS Code. */
  readonly line: number;
  readonly character: number;
  readonly start: number;
  readonly end: number;
}

/** One generated target, ready to show. */
export interface TargetView {
  readonly target: TargetName;
  readonly fileName: string;
  /** The exact output; empty when generation failed. */
  readonly text: string;
  /** For each output line, the rule it came from. */
  readonly lineRules: readonly (RuleKey | null)[];
  /** Whether `targets:` in the policy names this target (else shown for reference). */
  readonly configured: boolean;
  /** `target.unsupported`, `target.limit`, `target.description` for this target. */
  readonly problems: readonly PreviewProblem[];
  /** Set when the generator itself failed: shown instead of output. */
  readonly failure?: string;
}

/** Every UI text the webview shows, already localized by the extension. */
export interface PreviewLabels {
  readonly hostTitle: string;
  readonly cloudTitle: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly aliyun: string;
  readonly aws: string;
  readonly copy: string;
  readonly save: string;
  readonly copied: string;
  readonly lock: string;
  readonly unlock: string;
  readonly lockedHint: string;
  readonly errorsTitle: string;
  readonly errorsHint: string;
  readonly notConfigured: string;
  readonly failed: string;
  readonly empty: string;
  readonly lineTitle: string;
}

/** Everything the webview renders (an update sends it as a `SentState`). */
export interface PreviewState {
  /** The policy document's URI. */
  readonly resource: string;
  readonly title: string;
  readonly version: number;
  readonly lang: Lang;
  readonly locked: boolean;
  readonly labels: PreviewLabels;
  /** True when the policy has errors: the webview shows `errors` and no output. */
  readonly hasErrors: boolean;
  /** What to fix before anything is generated. */
  readonly errors: readonly PreviewProblem[];
  readonly outputs: readonly TargetView[];
  readonly host: HostTarget;
  readonly cloud: CloudTarget;
  /** The rule under the editor's cursor. */
  readonly cursorRule: RuleKey | null;
}

/** What the webview keeps with `setState`, so the serializer can restore the panel after a reload. */
export interface PersistedPreviewState {
  readonly resource: string;
  readonly locked: boolean;
  readonly host?: HostTarget;
  readonly cloud?: CloudTarget;
}

/** Lines `start .. start + deleteCount` of an output replaced by `lines`, with their rules. */
export type LineEdit = LineEditOf<RuleKey | null>;

/** An output as the changes from the one sent before it for the same target (see `sentState`). */
export interface OutputPatch {
  /** The `id` of the output these edits apply to. */
  readonly base: number;
  readonly edits: readonly LineEdit[];
  /** Lines after the edits, and whether the text ends with a newline: a check that both sides agree. */
  readonly lineCount: number;
  readonly finalNewline: boolean;
}

/**
 * A target's output as an update carries it: whole, or as a patch of the last
 * one sent for the target, so typing sends the few lines that changed rather
 * than megabytes of unchanged output.
 */
export type SentView = Omit<TargetView, "text" | "lineRules"> & {
  /** Names this output, for a later patch's `base`. */
  readonly id: number;
} & (
    | { readonly text: string; readonly lineRules: readonly (RuleKey | null)[]; readonly patch?: undefined }
    | { readonly patch: OutputPatch; readonly text?: undefined; readonly lineRules?: undefined }
  );

/** The state as an update carries it. */
export interface SentState extends Omit<PreviewState, "outputs"> {
  readonly outputs: readonly SentView[];
}

/** Extension -> webview. */
export type ToWebview =
  | { readonly type: "update"; readonly state: SentState }
  | { readonly type: "cursor"; readonly rule: RuleKey | null }
  | { readonly type: "copied"; readonly side: PreviewSide };

/** Webview -> extension. */
export type FromWebview =
  | { readonly type: "revealRule"; readonly rule: RuleKey }
  | { readonly type: "revealRange"; readonly start: number; readonly end: number; readonly version: number }
  | { readonly type: "select"; readonly host: HostTarget; readonly cloud: CloudTarget }
  | { readonly type: "copy"; readonly target: TargetName; readonly side: PreviewSide }
  | { readonly type: "save"; readonly target: TargetName }
  | { readonly type: "toggleLock" }
  /** A patch did not fit what the webview has (it was reloaded): send everything again. */
  | { readonly type: "resync" };
