/**
 * The typed policy model: what a `*.mailpolicy.yaml` file means once parsed.
 *
 * Every node keeps the text range it came from so diagnostics, hovers and the
 * preview's line mapping can point back at the exact YAML node.
 */

/** Half-open character offsets `[start, end)` into the policy text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export type Lang = "en" | "zh-cn";

/** A text in each UI language. */
export interface Localized {
  readonly en: string;
  readonly "zh-cn": string;
}

export type Protocol = "tcp" | "udp";
export type Direction = "inbound" | "outbound";
/** What a rule does with a matching packet. */
export type Action = "allow" | "deny" | "reject";
/** What happens when no rule matches. */
export type DefaultAction = "accept" | "drop" | "reject";
export type AddressFamily = 4 | 6;

/** One port or port range on one transport, as written in a rule. */
export interface PortSpec {
  /** As written: `smtp`, `143`, `9100/tcp`, `6000-6010/udp`. */
  readonly text: string;
  /** Catalog key when the port was given by service name. */
  readonly service?: string;
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
  readonly range: TextRange;
}

/** A network prefix, host bits cleared. `address` is in canonical text form (RFC 5952 for IPv6). */
export interface Cidr {
  readonly family: AddressFamily;
  readonly address: string;
  readonly prefix: number;
}

/** One entry of `from:` / `to:` (or of a source group), resolved to prefixes. */
export interface AddressSpec {
  /** As written: `any`, `office`, `203.0.113.0/24`. */
  readonly text: string;
  readonly kind: "any" | "any4" | "any6" | "source" | "literal";
  /** For kind `source`: the name in `sources`. */
  readonly sourceName?: string;
  /** Resolved prefixes; empty when the name is undefined or the literal invalid. */
  readonly cidrs: readonly Cidr[];
  readonly range: TextRange;
}

/** A named address group from `sources`. */
export interface SourceGroup {
  readonly name: string;
  readonly cidrs: readonly Cidr[];
  /** The entries as written, with their ranges. */
  readonly entries: readonly AddressSpec[];
  readonly nameRange: TextRange;
  readonly range: TextRange;
}

/** Identifies a rule across the policy. */
export interface RuleRef {
  readonly direction: Direction;
  readonly index: number;
}

export interface Rule extends RuleRef {
  readonly action: Action;
  readonly ports: readonly PortSpec[];
  /** `from` for inbound, `to` for outbound. */
  readonly peers: readonly AddressSpec[];
  readonly note?: string;
  /** The `note` value, for diagnostics about how a target changed it. */
  readonly noteRange?: TextRange;
  /** Diagnostic codes this rule knowingly triggers; they drop to hints. */
  readonly acknowledge: readonly string[];
  /** `YYYY-MM-DD`. */
  readonly expires?: string;
  /** The `expires` value, for the diagnostic once it has passed. */
  readonly expiresRange?: TextRange;
  /** The whole rule mapping. */
  readonly range: TextRange;
  /** The action key and value (`allow: smtp`). */
  readonly actionRange: TextRange;
}

export interface RuleSet {
  readonly default: DefaultAction;
  readonly defaultRange?: TextRange;
  readonly rules: readonly Rule[];
  /** The `inbound:` / `outbound:` key, when present. */
  readonly range?: TextRange;
}

export interface IptablesOptions {
  /** Emit ip6tables-save too. Default: true when any IPv6 prefix is used. */
  readonly ipv6: boolean;
  /** Loopback, ESTABLISHED/RELATED, INVALID and essential ICMP rules. Default true. */
  readonly baseline: boolean;
  /** Policy of the FORWARD chain. Default drop: a mail host is not a router. */
  readonly forward: "drop" | "accept";
  readonly range?: TextRange;
}

export interface AliyunOptions {
  readonly regionId?: string;
  readonly securityGroupId?: string;
  /** First priority to use, 1..100. Default 1. */
  readonly priority: number;
  readonly range?: TextRange;
}

export interface AwsOptions {
  readonly groupId?: string;
  readonly range?: TextRange;
}

/** Which targets the file configures; an absent key means not configured. */
export interface TargetOptions {
  readonly iptables?: IptablesOptions;
  readonly aliyun?: AliyunOptions;
  readonly aws?: AwsOptions;
}

export interface Policy {
  readonly version: number;
  readonly name?: string;
  readonly sources: ReadonlyMap<string, SourceGroup>;
  readonly inbound: RuleSet;
  readonly outbound: RuleSet;
  readonly targets: TargetOptions;
}

/** A connection attempt, as seen by the host the policy protects. */
export interface Packet {
  readonly direction: Direction;
  readonly protocol: Protocol;
  /** Destination port. */
  readonly port: number;
  /** The peer: source address for inbound, destination address for outbound. */
  readonly address: string;
}

export type Verdict = "allow" | "deny" | "reject";

export type TargetName = "iptables" | "ip6tables" | "aliyun" | "aws";
export const TARGET_NAMES: readonly TargetName[] = ["iptables", "ip6tables", "aliyun", "aws"];
