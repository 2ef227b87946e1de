/**
 * Independent models of how each target decides a new TCP/UDP connection, used
 * as the other side of the parity tests. They read the generated text the way
 * the real tool does (iptables-restore's argument splitting, JSON for the
 * clouds) and refuse anything they do not understand, so an unexpected option
 * fails a test instead of being ignored.
 */
import { cidrToInterval, parseAddress, parseCidr } from "../../src/core/addresses";
import type { AddressFamily, Packet } from "../../src/core/model";

export type SimVerdict = "allow" | "deny" | "reject";
export type Decide = (packet: Packet) => SimVerdict;

/**
 * Splits one iptables-restore line into arguments, as iptables' `add_param_to_argv`
 * does: whitespace separates, double quotes group, and inside quotes a
 * backslash makes the next character literal.
 */
export function splitIptablesArgs(line: string): string[] {
  const args: string[] = [];
  let param = "";
  let quoted = false;
  let escaped = false;
  let started = false;
  for (const ch of line) {
    if (quoted) {
      if (escaped) {
        param += ch;
        escaped = false;
      } else if (ch === "\\") escaped = true;
      else if (ch === '"') {
        quoted = false;
        args.push(param);
        param = "";
        started = false;
      } else param += ch;
      continue;
    }
    if (ch === '"') {
      quoted = true;
      started = true;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\n") {
      if (param.length > 0 || started) args.push(param);
      param = "";
      started = false;
      continue;
    }
    param += ch;
  }
  if (param.length > 0) args.push(param);
  return args;
}

interface IptablesRule {
  readonly chain: string;
  readonly args: readonly string[];
  readonly matches: (packet: Packet, address: Address) => boolean;
  readonly verdict: SimVerdict;
  readonly comment?: string;
}

/** The parsed filter table: chain policies and rules, with each rule's arguments. */
export interface IptablesTable {
  readonly policies: Record<string, string>;
  readonly rules: IptablesRule[];
}

/** Parses iptables-save text, throwing on anything outside what the generator may write. */
export function parseIptablesSave(text: string): IptablesTable {
  const policies: Record<string, string> = {};
  const rules: IptablesRule[] = [];
  const lines = text.split("\n");
  if (lines.pop() !== "") throw new Error("iptables-save text must end with a newline");
  let table = false;
  let committed = false;
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    if (committed) throw new Error(`line after COMMIT: ${line}`);
    if (line === "*filter") table = true;
    else if (!table) throw new Error(`line before *filter: ${line}`);
    else if (line === "COMMIT") committed = true;
    else if (line.startsWith(":")) {
      const m = /^:(INPUT|FORWARD|OUTPUT) (ACCEPT|DROP) \[0:0\]$/.exec(line);
      if (!m) throw new Error(`bad chain line: ${line}`);
      policies[m[1]] = m[2];
    } else if (line.startsWith("-A ")) rules.push(parseRule(splitIptablesArgs(line)));
    else throw new Error(`unexpected line: ${line}`);
  }
  if (!committed) throw new Error("missing COMMIT");
  return { policies, rules };
}

function parseRule(args: string[]): IptablesRule {
  const chain = args[1];
  const tests: ((packet: Packet, address: Address) => boolean)[] = [];
  let verdict: SimVerdict | undefined;
  let comment: string | undefined;
  let protocol: string | undefined;
  let i = 2;
  const next = () => {
    if (i >= args.length) throw new Error(`missing argument in: ${args.join(" ")}`);
    return args[i++];
  };
  while (i < args.length) {
    const opt = next();
    if (opt === "-s" || opt === "-d") {
      const value = next();
      const parsed = parseCidr(value);
      if (!parsed || !value.includes("/")) throw new Error(`bad address ${value}`);
      const iv = cidrToInterval(parsed.cidr);
      // Inbound packets come from the peer (-s); outbound ones go to it (-d).
      const wanted = opt === "-s" ? "inbound" : "outbound";
      tests.push((p, a) => {
        if (p.direction !== wanted) throw new Error(`${opt} in the wrong chain`);
        return !!a && a.family === parsed.cidr.family && iv.lo <= a.value && a.value <= iv.hi;
      });
    } else if (opt === "-i" || opt === "-o") {
      if (next() !== "lo") throw new Error("only lo interfaces are expected");
      tests.push(() => false); // simulated packets arrive on the network interface
    } else if (opt === "-p") {
      const value = next();
      protocol = value;
      tests.push((p) => p.protocol === value);
    } else if (opt === "-m") {
      const module = next();
      if (module === "tcp" || module === "udp") {
        if (module !== protocol || next() !== "--dport") throw new Error(`bad -m ${module}`);
        const [lo, hi] = portRange(next());
        tests.push((p) => lo <= p.port && p.port <= hi);
      } else if (module === "multiport") {
        if (next() !== "--dports") throw new Error("bad multiport");
        const ranges = next().split(",").map(portRange);
        const slots = ranges.reduce((n, [lo, hi]) => n + (lo === hi ? 1 : 2), 0);
        if (slots > 15) throw new Error("too many ports specified");
        tests.push((p) => ranges.some(([lo, hi]) => lo <= p.port && p.port <= hi));
      } else if (module === "comment") {
        if (next() !== "--comment") throw new Error("bad comment");
        comment = next();
      } else if (module === "conntrack") {
        if (next() !== "--ctstate") throw new Error("bad conntrack");
        const states = next().split(",");
        tests.push(() => states.includes("NEW")); // simulated packets open new connections
      } else if (module === "icmp" || module === "icmp6") {
        next();
        next();
        tests.push(() => false);
      } else if (module === "limit") {
        if (next() !== "--limit" || next() === "" || next() !== "--limit-burst") throw new Error("bad limit");
        next();
      } else if (module === "hl") {
        if (next() !== "--hl-eq") throw new Error("bad hl");
        next();
      } else throw new Error(`unknown match ${module}`);
    } else if (opt === "-j") {
      const target = next();
      if (target === "ACCEPT") verdict = "allow";
      else if (target === "DROP") verdict = "deny";
      else if (target === "REJECT") {
        verdict = "reject";
        if (next() !== "--reject-with") throw new Error("REJECT without --reject-with");
        const how = next();
        const expected = protocol === "tcp" ? ["tcp-reset"] : ["icmp-port-unreachable", "icmp6-port-unreachable"];
        if (!expected.includes(how)) throw new Error(`unexpected --reject-with ${how} for ${protocol}`);
      } else throw new Error(`unknown target ${target}`);
      if (i !== args.length) throw new Error(`arguments after the target: ${args.slice(i).join(" ")}`);
    } else throw new Error(`unknown option ${opt}`);
  }
  if (!verdict) throw new Error(`rule without -j: ${args.join(" ")}`);
  return { chain, args, verdict, comment, matches: (p, a) => tests.every((t) => t(p, a)) };
}

function portRange(text: string): [number, number] {
  const m = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!m) throw new Error(`bad port ${text}`);
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  if (lo < 0 || hi > 65535 || lo > hi) throw new Error(`bad port ${text}`);
  return [lo, hi];
}

/** How iptables decides a new connection: first matching rule of INPUT/OUTPUT, else the chain policy. */
export function compileIptables(text: string, family: AddressFamily): Decide {
  const table = parseIptablesSave(text);
  return (packet) => {
    const chain = packet.direction === "inbound" ? "INPUT" : "OUTPUT";
    const address = parseAddress(packet.address);
    if (address?.family !== family) throw new Error(`an IPv${family} table cannot see ${packet.address}`);
    for (const rule of table.rules) {
      if (rule.chain === chain && rule.matches(packet, address)) return rule.verdict;
    }
    return table.policies[chain] === "ACCEPT" ? "allow" : "deny";
  };
}

interface CloudEntry {
  readonly protocol: string;
  readonly lo: number;
  readonly hi: number;
  readonly family: AddressFamily;
  readonly addressLo: bigint;
  readonly addressHi: bigint;
}

function cloudCidr(text: unknown, family: AddressFamily): { family: AddressFamily; lo: bigint; hi: bigint } {
  if (typeof text !== "string") throw new Error(`CIDR must be a string: ${String(text)}`);
  const parsed = parseCidr(text);
  if (!parsed || parsed.cidr.family !== family || parsed.hostBits || !text.includes("/")) {
    throw new Error(`bad CIDR ${text}`);
  }
  const iv = cidrToInterval(parsed.cidr);
  return { family, lo: iv.lo, hi: iv.hi };
}

type Address = ReturnType<typeof parseAddress>;

function inEntry(e: CloudEntry, packet: Packet, a: Address): boolean {
  if (!a || a.family !== e.family || a.value < e.addressLo || a.value > e.addressHi) return false;
  if (e.protocol === "all") return true;
  return e.protocol === packet.protocol && e.lo <= packet.port && packet.port <= e.hi;
}

/**
 * How Alibaba Cloud decides: among matching entries the smallest Priority
 * wins, `drop` wins a tie; with no match inbound is denied, outbound allowed.
 */
export function compileAliyun(text: string): Decide {
  const doc = JSON.parse(text);
  const parse = (list: unknown[], direction: "inbound" | "outbound") =>
    list.map((raw) => {
      const e = raw as Record<string, unknown>;
      const allowed = new Set(["IpProtocol", "PortRange", "Policy", "Priority", "Description"]);
      const v4 = direction === "inbound" ? "SourceCidrIp" : "DestCidrIp";
      const v6 = direction === "inbound" ? "Ipv6SourceCidrIp" : "Ipv6DestCidrIp";
      for (const key of Object.keys(e)) if (!allowed.has(key) && key !== v4 && key !== v6) throw new Error(key);
      if (v4 in e === v6 in e) throw new Error("exactly one CIDR field per entry");
      const cidr = v4 in e ? cloudCidr(e[v4], 4) : cloudCidr(e[v6], 6);
      const protocol = String(e.IpProtocol).toLowerCase();
      const m = /^(-?\d+)\/(-?\d+)$/.exec(String(e.PortRange));
      if (!m) throw new Error(`bad PortRange ${String(e.PortRange)}`);
      if (protocol === "all" ? m[0] !== "-1/-1" : Number(m[1]) < 1 || Number(m[2]) > 65535 || +m[1] > +m[2]) {
        throw new Error(`bad PortRange ${m[0]} for ${protocol}`);
      }
      if (e.Policy !== "accept" && e.Policy !== "drop") throw new Error(`bad Policy ${String(e.Policy)}`);
      if (typeof e.Priority !== "string" || !/^[1-9]\d*$/.test(e.Priority)) throw new Error("bad Priority");
      if (typeof e.Description !== "string" || e.Description.length < 1 || e.Description.length > 512) {
        throw new Error("bad Description");
      }
      const entry: CloudEntry = {
        protocol,
        lo: Number(m[1]),
        hi: Number(m[2]),
        family: cidr.family,
        addressLo: cidr.lo,
        addressHi: cidr.hi,
      };
      return { entry, drop: e.Policy === "drop", priority: Number(e.Priority) };
    });
  const ingress = parse(doc.Ingress, "inbound");
  const egress = parse(doc.Egress, "outbound");
  return (packet) => {
    const list = packet.direction === "inbound" ? ingress : egress;
    const address = parseAddress(packet.address);
    let best: { drop: boolean; priority: number } | undefined;
    for (const r of list) {
      if (!inEntry(r.entry, packet, address)) continue;
      if (!best || r.priority < best.priority || (r.priority === best.priority && r.drop)) best = r;
    }
    if (!best) return packet.direction === "inbound" ? "deny" : "allow";
    return best.drop ? "deny" : "allow";
  };
}

/** How AWS decides: allowed when any permission matches, denied otherwise. */
export function compileAws(text: string): Decide {
  const doc = JSON.parse(text);
  const parse = (list: unknown[]) =>
    list.flatMap((raw) => {
      const p = raw as Record<string, unknown>;
      const protocol = String(p.IpProtocol);
      if (!["tcp", "udp", "-1"].includes(protocol)) throw new Error(`bad IpProtocol ${protocol}`);
      const lo = protocol === "-1" ? 0 : Number(p.FromPort);
      const hi = protocol === "-1" ? 65535 : Number(p.ToPort);
      if (!(Number.isInteger(lo) && Number.isInteger(hi) && 0 <= lo && lo <= hi && hi <= 65535)) {
        throw new Error("bad ports");
      }
      const entries: CloudEntry[] = [];
      const seen = new Set<string>();
      const ranges = [
        ...((p.IpRanges as { CidrIp: string; Description: string }[]) ?? []).map((r) => [4, r.CidrIp, r.Description]),
        ...((p.Ipv6Ranges as { CidrIpv6: string; Description: string }[]) ?? []).map((r) => [
          6,
          r.CidrIpv6,
          r.Description,
        ]),
      ] as [AddressFamily, string, string][];
      for (const [family, text, description] of ranges) {
        if (seen.has(text)) throw new Error(`duplicate CIDR ${text} in one permission`);
        seen.add(text);
        if (!/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{0,255}$/.test(description)) {
          throw new Error(`bad Description ${description}`);
        }
        const cidr = cloudCidr(text, family);
        entries.push({
          protocol: protocol === "-1" ? "all" : protocol,
          lo,
          hi,
          family,
          addressLo: cidr.lo,
          addressHi: cidr.hi,
        });
      }
      return entries;
    });
  const inbound = parse(doc.IpPermissions);
  const outbound = parse(doc.IpPermissionsEgress);
  return (packet) => {
    const address = parseAddress(packet.address);
    return (packet.direction === "inbound" ? inbound : outbound).some((e) => inEntry(e, packet, address))
      ? "allow"
      : "deny";
  };
}
