/**
 * YAML text -> typed Policy with exact ranges, plus syntax and schema
 * diagnostics. Never throws: whatever the text, the caller gets a Policy made
 * of the parts that could be read, and a diagnostic for each part that could not.
 */
import { ANY4, ANY6, formatCidr, parseCidr } from "./addresses";
import { DIAGNOSTIC_CODES, type PolicyDiagnostic } from "./diagnostics";
import { fitted } from "./fitted";
import type {
  AddressSpec,
  AliyunOptions,
  AwsOptions,
  DefaultAction,
  Direction,
  IptablesOptions,
  Lang,
  Localized,
  Policy,
  PortSpec,
  Rule,
  RuleSet,
  SourceGroup,
  TargetOptions,
  TextRange,
} from "./model";
import { parsePortSpec } from "./ports";
import { movedDiagnostic, movedRule } from "./rule-content";
import { nearestName } from "./suggest";
import { changedWindow } from "./text-change";
import { type Entry, forgetScans, isMap, isScalar, isSeq, YamlReader, type YRef, yamlPath } from "./yaml-reader";

export interface ParsedPolicy {
  readonly policy: Policy;
  readonly diagnostics: PolicyDiagnostic[];
}

/** Keys each mapping accepts, in the order completion offers them. */
export const POLICY_KEYS = {
  top: ["mailpolicy", "name", "sources", "inbound", "outbound", "targets"],
  ruleSet: ["default", "rules"],
  inboundRule: ["allow", "deny", "reject", "from", "note", "acknowledge", "expires"],
  outboundRule: ["allow", "deny", "reject", "to", "note", "acknowledge", "expires"],
  targets: ["iptables", "aliyun", "aws"],
  iptables: ["ipv6", "baseline", "forward"],
  aliyun: ["regionId", "securityGroupId", "priority"],
  aws: ["groupId"],
} as const;

/** Peer names every policy has; `sources` cannot redefine them. */
export const BUILTIN_PEERS = ["any", "any4", "any6"] as const;

const ACTIONS = ["allow", "deny", "reject"] as const;
/** A key meant for the other direction (`to` in an inbound rule) and the one meant here. */
const INBOUND_RENAMED: Record<string, string> = { to: "from" };
const OUTBOUND_RENAMED: Record<string, string> = { from: "to" };
const PEERS_EXPECTED: Localized = {
  en: "a source name, `any`, an address or a list of them",
  "zh-cn": "来源名称、`any`、地址或它们的列表",
};
const PORTS_EXPECTED: Localized = {
  en: "a port (`imaps`, `993`, `993/tcp`, `6000-6010/udp`) or a list of them",
  "zh-cn": "端口（`imaps`、`993`、`993/tcp`、`6000-6010/udp`）或端口列表",
};
const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The policy of an empty file: nothing allowed in, everything allowed out. */
export function emptyPolicy(): Policy {
  return {
    version: 1,
    sources: new Map(),
    inbound: { default: "drop", rules: [] },
    outbound: { default: "accept", rules: [] },
    targets: {},
  };
}

/** Parses a policy file. Never throws. */
export function parsePolicy(text: string, lang: Lang = "en"): ParsedPolicy {
  const reader = new PolicyReader(String(text ?? ""), lang);
  try {
    return reader.read();
  } catch (error) {
    // Last line of defence (a stack overflow inside the YAML library, say).
    reader.report(
      "yaml.syntax",
      { start: 0, end: 0 },
      {
        en: `The file could not be read as YAML (${String(error)}); simplify its structure.`,
        "zh-cn": `无法按 YAML 读取此文件（${String(error)}）；请简化其结构。`,
      },
    );
    return { policy: emptyPolicy(), diagnostics: reader.diagnostics };
  }
}

/** Nothing, shared: most rules acknowledge nothing and are read without a finding. */
const NONE: readonly never[] = Object.freeze([]);

/** A rule as one parse read it: the rule (undefined when unusable), the diagnostics, and where. */
interface RuleReading {
  readonly direction: Direction;
  readonly start: number;
  readonly end: number;
  readonly index: number;
  readonly rule: Rule | undefined;
  readonly diagnostics: readonly PolicyDiagnostic[];
}

/**
 * The rules the latest parse read, list by list in text order, with the text they were
 * read from. The editor reads the whole file on every keystroke, and an edit
 * changes one place: a rule whose lines lie wholly before the change, or wholly
 * after it, has the same text at the same column, so (read with the same sources
 * and language) it reads the same: it is kept, or moved by the length the edit
 * added, instead of read again. Only the latest parse is kept, which bounds
 * memory to one policy; only readings of the fast scanner's trees are kept (the
 * items `yaml` reads into them hold no aliases either): none could reach outside a rule.
 */
let lastReadings: { readonly context: string; readonly text: string; readonly lists: RuleReadings } | undefined;

/** Each list's readings in the order read, which is the order of the text. */
type RuleReadings = Record<Direction, RuleReading[]>;

/** How the latest parse came by its rules, for tests and benchmarks: read, moved from elsewhere, or kept as they were. */
export const ruleReadings = { read: 0, moved: 0, kept: 0 };

/** Forgets the rules read so far, so the next parse reads every rule (for tests). */
export function forgetRuleReadings(): void {
  lastReadings = undefined;
  forgetScans();
}

class PolicyReader extends YamlReader {
  private sources: ReadonlyMap<string, SourceGroup> = new Map();
  /** This parse's readings, when it keeps them. */
  private readings: RuleReadings | undefined;
  /**
   * The previous parse's readings, when they can be reused, with how far each
   * list has been looked through (rules are looked up in text order), and how
   * this text differs from its.
   */
  private previous:
    | { lists: RuleReadings; looked: Record<Direction, number>; same: number; sameFrom: number; delta: number }
    | undefined;

  read(): ParsedPolicy {
    ruleReadings.read = ruleReadings.moved = ruleReadings.kept = 0;
    const doc = this.load();
    return { policy: doc ? this.readPolicy(doc.contents) : emptyPolicy(), diagnostics: this.diagnostics };
  }

  /** Starts keeping readings, once the sources are read: they are part of what a rule reads the same with. */
  private startReadings(): void {
    // Readings stay valid for their own text whatever the document; the yaml path's
    // nodes may hold aliases into other parts, so it neither uses nor adds any.
    if (yamlPath.last === "yaml") return;
    let context = this.lang;
    for (const group of this.sources.values()) context += `\n${group.name}=${group.cidrs.map(formatCidr).join(",")}`;
    const last = lastReadings;
    if (last?.context === context) {
      const { same, sameEnd } = changedWindow(last.text, this.text);
      this.previous = {
        lists: last.lists,
        looked: { inbound: 0, outbound: 0 },
        same,
        sameFrom: this.text.length - sameEnd,
        delta: this.text.length - last.text.length,
      };
    }
    this.readings = { inbound: [], outbound: [] };
    lastReadings = { context, text: this.text, lists: this.readings };
  }

  /** A rule of the list: the previous parse's reading, when its text is untouched by the edit, or a new reading. */
  private readRuleOnce(direction: Direction, index: number, item: YRef): Rule | undefined {
    if (!this.readings || item === null || item.kind === "alias") {
      ruleReadings.read++;
      return this.readRule(direction, index, item);
    }
    const { start, end } = item;
    const previous = this.previous;
    let seen: RuleReading | undefined;
    if (previous) {
      // Its lines (from the start of its first) wholly before the change, or wholly after it,
      // where the previous text had the same rule: the same text, at the same column. After
      // it, the line break before its first line must be unchanged too: a line break typed
      // into the indentation leaves the rest of the line in the same text, at another column.
      if (end <= previous.same) seen = this.previousAt(direction, start);
      else if (this.text.lastIndexOf("\n", start - 1) >= previous.sameFrom) {
        seen = this.previousAt(direction, start - previous.delta);
      }
      if (seen && seen.end - seen.start !== end - start) seen = undefined;
    }
    let reading: RuleReading;
    if (seen && seen.direction === direction) {
      if (seen.start === start && seen.index === index) {
        reading = seen;
        ruleReadings.kept++;
      } else {
        ruleReadings.moved++;
        const delta = start - seen.start;
        reading = {
          direction,
          start,
          end,
          index,
          rule: seen.rule && movedRule(seen.rule, delta, index, this.sources),
          diagnostics:
            seen.diagnostics.length === 0 ? NONE : seen.diagnostics.map((d) => movedDiagnostic(d, delta, index)),
        };
      }
      for (const d of reading.diagnostics) this.diagnostics.push(d);
    } else {
      ruleReadings.read++;
      const before = this.diagnostics.length;
      const rule = this.readRule(direction, index, item);
      const diagnostics = this.diagnostics.length === before ? NONE : this.diagnostics.slice(before);
      reading = { direction, start, end, index, rule, diagnostics };
    }
    this.readings[direction].push(reading);
    return reading.rule;
  }

  /** The previous parse's reading of a rule of the list that started at `start`; asked in text order. */
  private previousAt(direction: Direction, start: number): RuleReading | undefined {
    const previous = this.previous!;
    const list = previous.lists[direction];
    let k = previous.looked[direction];
    while (k < list.length && list[k].start < start) k++;
    previous.looked[direction] = k;
    return k < list.length && list[k].start === start ? list[k] : undefined;
  }

  private readPolicy(contents: YRef): Policy {
    const root = this.deref(contents);
    const policy = emptyPolicy();
    if (root === null || (isScalar(root) && root.value === null)) {
      if (this.diagnostics.length === 0) {
        this.report(
          "schema.required",
          { start: 0, end: 0 },
          {
            en: "The file is empty: start it with `mailpolicy: 1`.",
            "zh-cn": "文件为空：请以 `mailpolicy: 1` 开头。",
          },
        );
      }
      return policy;
    }
    if (!isMap(root)) {
      this.wrongType(root, this.rangeOf(root), {
        en: "a mapping of keys (`mailpolicy: 1`, `sources:`, `inbound:` ...)",
        "zh-cn": "键的映射（`mailpolicy: 1`、`sources:`、`inbound:` 等）",
      });
      return policy;
    }
    const top = this.entries(root, POLICY_KEYS.top);
    let version = 1;
    const versionEntry = top.get("mailpolicy");
    if (!versionEntry) {
      const first = this.rangeOf(root);
      this.report("schema.required", this.firstLine(first), {
        en: "Missing `mailpolicy: 1`: the format version is required.",
        "zh-cn": "缺少 `mailpolicy: 1`：格式版本为必填项。",
      });
    } else {
      const v = isScalar(versionEntry.value) ? versionEntry.value.value : undefined;
      if (typeof v === "number") version = v;
      if (v !== 1) {
        this.report(
          "schema.version",
          versionEntry.valueRange,
          {
            en: "Unsupported format version: this tool reads `mailpolicy: 1`.",
            "zh-cn": "不支持的格式版本：本工具读取 `mailpolicy: 1`。",
          },
          "1",
        );
      }
    }
    const nameEntry = top.get("name");
    const name = nameEntry ? this.scalarText(nameEntry, { en: "text", "zh-cn": "文本" }) : undefined;
    this.sources = this.readSources(top.get("sources"));
    this.startReadings();
    const inbound = this.readRuleSet("inbound", top.get("inbound"));
    const outbound = this.readRuleSet("outbound", top.get("outbound"));
    const usesIpv6 = [...inbound.rules, ...outbound.rules].some((r) =>
      r.peers.some((p) => p.cidrs.some((c) => c.family === 6)),
    );
    const targets = this.readTargets(top.get("targets"), usesIpv6);
    return {
      version,
      ...(name !== undefined ? { name } : {}),
      sources: this.sources,
      inbound,
      outbound,
      targets,
    };
  }

  private readSources(entry: Entry | undefined): Map<string, SourceGroup> {
    const groups = new Map<string, SourceGroup>();
    if (!entry || entry.value === null) return groups;
    if (!isMap(entry.value)) {
      this.wrongType(entry.value, entry.valueRange, {
        en: "a mapping of names to addresses (`office: 203.0.113.0/24`)",
        "zh-cn": "名称到地址的映射（`office: 203.0.113.0/24`）",
      });
      return groups;
    }
    for (const group of this.entries(entry.value, null).values()) {
      if ((BUILTIN_PEERS as readonly string[]).includes(group.name) || !SOURCE_NAME.test(group.name)) {
        this.report("schema.type", group.keyRange, {
          en: `\`${group.name}\` cannot name a source: use a name that starts with a letter and is not any, any4 or any6.`,
          "zh-cn": `\`${group.name}\` 不能作为来源名称：请使用以字母开头、且不是 any、any4、any6 的名称。`,
        });
        continue;
      }
      const entries = this.items(group, {
        en: "an IP address, a CIDR or a list of them",
        "zh-cn": "IP 地址、CIDR 或它们的列表",
      }).flatMap(({ node, range }) => {
        const text = this.scalarValue(node);
        if (text === undefined) {
          this.wrongType(node, range, { en: "an IP address or CIDR", "zh-cn": "IP 地址或 CIDR" });
          return [];
        }
        return [this.readLiteral(text, range)];
      });
      groups.set(group.name, {
        name: group.name,
        cidrs: entries.flatMap((e) => e.cidrs),
        entries,
        nameRange: group.keyRange,
        range: group.pairRange,
      });
    }
    return groups;
  }

  /** `203.0.113.0/24`, `2001:db8::1`: a literal prefix; a bare address is a host prefix. */
  private readLiteral(text: string, range: TextRange): AddressSpec {
    const parsed = parseCidr(text);
    if (!parsed) {
      this.report("source.invalid", range, {
        en: `\`${text}\` is not an IP address or CIDR: write one such as \`203.0.113.0/24\` or \`2001:db8::/48\`.`,
        "zh-cn": `\`${text}\` 不是 IP 地址或 CIDR：请写成 \`203.0.113.0/24\` 或 \`2001:db8::/48\` 这样的形式。`,
      });
      return { text, kind: "literal", cidrs: [], range };
    }
    if (parsed.hostBits) {
      const network = formatCidr(parsed.cidr);
      this.report(
        "source.host-bits",
        range,
        {
          en: `\`${text}\` has host bits set; it means the network \`${network}\`: write that.`,
          "zh-cn": `\`${text}\` 设置了主机位，实际表示网络 \`${network}\`：请改写为它。`,
        },
        network,
      );
    }
    return { text, kind: "literal", cidrs: [parsed.cidr], range };
  }

  /** One `from:`/`to:` entry: a built-in, a source name or a literal. */
  private readPeer(text: string, range: TextRange): AddressSpec {
    if (text === "any") return { text, kind: "any", cidrs: [ANY4, ANY6], range };
    if (text === "any4") return { text, kind: "any4", cidrs: [ANY4], range };
    if (text === "any6") return { text, kind: "any6", cidrs: [ANY6], range };
    const group = this.sources.get(text);
    if (group) return { text, kind: "source", sourceName: text, cidrs: group.cidrs, range };
    if (!SOURCE_NAME.test(text) || parseCidr(text)) return this.readLiteral(text, range);
    const near = nearestName(text, [...BUILTIN_PEERS, ...this.sources.keys()]);
    this.report(
      "source.undefined",
      range,
      near
        ? {
            en: `\`${text}\` is not defined in \`sources\`; did you mean \`${near}\`?`,
            "zh-cn": `\`sources\` 中没有定义 \`${text}\`，是否想写 \`${near}\`？`,
          }
        : {
            en: `\`${text}\` is not defined: add it under \`sources:\`, or write \`any\` or an address.`,
            "zh-cn": `未定义 \`${text}\`：请在 \`sources:\` 下添加它，或写 \`any\` 或一个地址。`,
          },
      near,
    );
    return { text, kind: "source", sourceName: text, cidrs: [], range };
  }

  private readRuleSet(direction: Direction, entry: Entry | undefined): RuleSet {
    const fallback: DefaultAction = direction === "inbound" ? "drop" : "accept";
    if (!entry) return { default: fallback, rules: [] };
    const range = entry.keyRange;
    if (entry.value === null) return { default: fallback, rules: [], range };
    if (!isMap(entry.value)) {
      this.wrongType(entry.value, entry.valueRange, {
        en: "a mapping with `default:` and `rules:`",
        "zh-cn": "包含 `default:` 和 `rules:` 的映射",
      });
      return { default: fallback, rules: [], range };
    }
    const keys = this.entries(entry.value, POLICY_KEYS.ruleSet);
    let defaultAction: DefaultAction = fallback;
    let defaultRange: TextRange | undefined;
    const def = keys.get("default");
    if (def) {
      defaultRange = def.valueRange;
      const v = isScalar(def.value) ? def.value.value : undefined;
      if (v === "drop" || v === "reject" || v === "accept") defaultAction = v;
      else {
        const near = v === "deny" ? "drop" : v === "allow" ? "accept" : undefined;
        this.report(
          "schema.type",
          def.valueRange,
          {
            en: `\`default\` is one of drop, reject or accept${near ? `; did you mean \`${near}\`?` : "."}`,
            "zh-cn": `\`default\` 只能是 drop、reject 或 accept${near ? `，是否想写 \`${near}\`？` : "。"}`,
          },
          near,
        );
      }
    }
    const rules: Rule[] = [];
    const list = keys.get("rules");
    if (list && list.value !== null) {
      if (!isSeq(list.value)) {
        this.wrongType(list.value, list.valueRange, {
          en: "a list of rules (`- allow: smtp`)",
          "zh-cn": "规则列表（`- allow: smtp`）",
        });
      } else {
        for (const item of list.value.items) {
          const rule = this.readRuleOnce(direction, rules.length, item);
          if (rule) rules.push(rule);
        }
      }
    }
    return { default: defaultAction, ...(defaultRange ? { defaultRange } : {}), rules, range };
  }

  private readRule(direction: Direction, index: number, item: YRef): Rule | undefined {
    const node = this.deref(item);
    const range = this.rangeOf(item);
    if (!isMap(node)) {
      this.wrongType(node, range, {
        en: "a rule mapping (`allow: smtp` with `from: any`)",
        "zh-cn": "规则映射（`allow: smtp` 加 `from: any`）",
      });
      return undefined;
    }
    const peerKey = direction === "inbound" ? "from" : "to";
    const keys =
      direction === "inbound"
        ? this.entries(node, POLICY_KEYS.inboundRule, INBOUND_RENAMED)
        : this.entries(node, POLICY_KEYS.outboundRule, OUTBOUND_RENAMED);
    // The actions written, in the order they are written (a loop: this runs once per rule).
    const actions: { action: (typeof ACTIONS)[number]; entry: Entry }[] = [];
    for (const action of ACTIONS) {
      const entry = keys.get(action);
      if (entry) actions.push({ action, entry });
    }
    if (actions.length > 1) actions.sort((a, b) => a.entry.keyRange.start - b.entry.keyRange.start);
    if (actions.length === 0) {
      this.report("schema.required", this.firstLine(range), {
        en: "A rule needs an action: `allow`, `deny` or `reject`, with the ports it applies to.",
        "zh-cn": "规则需要一个动作：`allow`、`deny` 或 `reject`，并写出适用的端口。",
      });
      return undefined;
    }
    for (const extra of actions.slice(1)) {
      this.report("schema.type", extra.entry.keyRange, {
        en: `A rule takes one action, and this one already has \`${actions[0].action}\`: move \`${extra.action}\` into a rule of its own.`,
        "zh-cn": `一条规则只能有一个动作，此规则已有 \`${actions[0].action}\`：请把 \`${extra.action}\` 移到单独的规则中。`,
      });
    }
    const { action, entry: actionEntry } = actions[0];
    const ports = this.readPorts(actionEntry);
    const peerEntry = keys.get(peerKey);
    const peers: AddressSpec[] = [];
    if (!peerEntry) {
      this.report("schema.required", actionEntry.pairRange, {
        en: `Add \`${peerKey}:\` to this rule (a source name, \`any\` or an address): there is no implicit "${direction === "inbound" ? "from" : "to"} anywhere".`,
        "zh-cn": `请为此规则添加 \`${peerKey}:\`（来源名称、\`any\` 或地址）：不存在隐含的“任意地址”。`,
      });
    } else {
      for (const { node, range: r } of this.items(peerEntry, PEERS_EXPECTED)) {
        const text = this.scalarValue(node);
        if (text !== undefined) peers.push(this.readPeer(text, r));
        else this.wrongType(node, r, { en: "a source name or an address", "zh-cn": "来源名称或地址" });
      }
    }
    const noteEntry = keys.get("note");
    const note = noteEntry ? this.scalarText(noteEntry, { en: "text", "zh-cn": "文本" }) : undefined;
    const acknowledge = this.readAcknowledge(keys.get("acknowledge"));
    const expiresEntry = keys.get("expires");
    let expires: string | undefined;
    if (expiresEntry) {
      const v = this.scalarValue(expiresEntry.value);
      if (v !== undefined && isDate(v)) expires = v;
      else {
        this.report("schema.type", expiresEntry.valueRange, {
          en: "`expires` is a date written YYYY-MM-DD, such as 2027-01-31.",
          "zh-cn": "`expires` 是 YYYY-MM-DD 格式的日期，例如 2027-01-31。",
        });
      }
    }
    // Optional keys are added only when present (no spread of temporary objects: once per rule).
    const rule: { -readonly [K in keyof Rule]: Rule[K] } = {
      direction,
      index,
      action,
      ports,
      peers: fitted(peers),
      acknowledge,
      range,
      actionRange: actionEntry.pairRange,
    };
    if (note !== undefined && noteEntry) {
      rule.note = note;
      rule.noteRange = noteEntry.valueRange;
    }
    if (expires !== undefined && expiresEntry) {
      rule.expires = expires;
      rule.expiresRange = expiresEntry.valueRange;
    }
    return rule;
  }

  private readPorts(entry: Entry): PortSpec[] {
    const ports: PortSpec[] = [];
    for (const { node, range } of this.items(entry, PORTS_EXPECTED)) {
      const text = this.scalarValue(node);
      if (text === undefined) {
        this.wrongType(node, range, { en: "a port or service name", "zh-cn": "端口或服务名" });
        continue;
      }
      const parsed = parsePortSpec(text, range, this.lang);
      for (const d of parsed.diagnostics) this.diagnostics.push(d);
      for (const spec of parsed.specs) ports.push(spec);
    }
    return fitted(ports);
  }

  private readAcknowledge(entry: Entry | undefined): readonly string[] {
    if (!entry) return NONE;
    return this.items(entry, { en: "a list of diagnostic codes", "zh-cn": "诊断代码列表" }).flatMap(
      ({ node, range }) => {
        const code = this.scalarValue(node);
        if (code !== undefined && (DIAGNOSTIC_CODES as string[]).includes(code)) return [code];
        const near = code === undefined ? undefined : nearestName(code, DIAGNOSTIC_CODES);
        this.report(
          "schema.type",
          range,
          near
            ? {
                en: `Unknown diagnostic code; did you mean \`${near}\`?`,
                "zh-cn": `未知的诊断代码，是否想写 \`${near}\`？`,
              }
            : {
                en: "`acknowledge` lists diagnostic codes such as `security.plaintext-access`.",
                "zh-cn": "`acknowledge` 列出诊断代码，例如 `security.plaintext-access`。",
              },
          near,
        );
        return [];
      },
    );
  }

  private readTargets(entry: Entry | undefined, usesIpv6: boolean): TargetOptions {
    if (!entry || entry.value === null) return {};
    if (!isMap(entry.value)) {
      this.wrongType(entry.value, entry.valueRange, {
        en: "a mapping of targets (`iptables:`, `aliyun:`, `aws:`)",
        "zh-cn": "目标的映射（`iptables:`、`aliyun:`、`aws:`）",
      });
      return {};
    }
    const keys = this.entries(entry.value, POLICY_KEYS.targets, { ip6tables: "iptables" });
    const options = (e: Entry, allowed: readonly string[]) => {
      if (e.value === null) return new Map<string, Entry>();
      if (isMap(e.value)) return this.entries(e.value, allowed);
      this.wrongType(e.value, e.valueRange, { en: "a mapping of options", "zh-cn": "选项的映射" });
      return new Map<string, Entry>();
    };
    const targets: { iptables?: IptablesOptions; aliyun?: AliyunOptions; aws?: AwsOptions } = {};
    const ipt = keys.get("iptables");
    if (ipt) {
      const o = options(ipt, POLICY_KEYS.iptables);
      const forward = this.choice(o.get("forward"), ["drop", "accept"]);
      targets.iptables = {
        ipv6: this.bool(o.get("ipv6")) ?? usesIpv6,
        baseline: this.bool(o.get("baseline")) ?? true,
        forward: (forward ?? "drop") as "drop" | "accept",
        range: ipt.keyRange,
      };
    }
    const ali = keys.get("aliyun");
    if (ali) {
      const o = options(ali, POLICY_KEYS.aliyun);
      const regionId = this.optionText(o.get("regionId"));
      const securityGroupId = this.optionText(o.get("securityGroupId"));
      let priority = 1;
      const p = o.get("priority");
      if (p) {
        const v = isScalar(p.value) ? p.value.value : undefined;
        if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 100) priority = v;
        else {
          this.report("schema.type", p.valueRange, {
            en: "`priority` is a whole number from 1 to 100 (Alibaba Cloud: smaller wins).",
            "zh-cn": "`priority` 是 1 到 100 的整数（阿里云：数值越小优先级越高）。",
          });
        }
      }
      targets.aliyun = {
        ...(regionId !== undefined ? { regionId } : {}),
        ...(securityGroupId !== undefined ? { securityGroupId } : {}),
        priority,
        range: ali.keyRange,
      };
    }
    const aws = keys.get("aws");
    if (aws) {
      const groupId = this.optionText(options(aws, POLICY_KEYS.aws).get("groupId"));
      targets.aws = { ...(groupId !== undefined ? { groupId } : {}), range: aws.keyRange };
    }
    return targets;
  }
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}
