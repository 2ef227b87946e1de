/**
 * Renders a benchmark policy for the two tools we compare against, in each tool's
 * own idiom, so each is given the same rules in the order that gives the same
 * first-match result:
 * - ferm: `@def` variables for the named groups, one `domain ip` and one
 *   `domain ip6` block with INPUT and OUTPUT chains (`ferm --remote` input).
 * - Capirca: NETWORK.net and SERVICES.svc definitions and one .pol file with an
 *   iptables filter per chain and address family (`aclgen` input).
 * Rules on `any` go into both families, the others into their own; IPv4 and IPv6
 * packets never meet, so the per-family order is all that matters.
 */
import type { BenchFamily, BenchPolicy, BenchPort, BenchRule } from "./policy-generator";

type Chain = "INPUT" | "OUTPUT";
const CHAINS: readonly { chain: Chain; direction: BenchRule["direction"]; policy: string }[] = [
  { chain: "INPUT", direction: "inbound", policy: "DROP" },
  { chain: "OUTPUT", direction: "outbound", policy: "ACCEPT" },
];

function inFamily(rule: BenchRule, family: BenchFamily): boolean {
  return rule.family === null || rule.family === family;
}

function fermList(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `(${items.join(" ")})`;
}

function fermPort(port: BenchPort): string {
  return port.from === port.to ? String(port.from) : `${port.from}:${port.to}`;
}

function fermRule(rule: BenchRule): string {
  const parts = [`proto ${rule.ports[0].protocol}`];
  if (rule.peers.length > 0) {
    const peers = rule.peers.map((p) => (p.kind === "cidr" ? p.cidr : `$${p.name}`));
    parts.push(`${rule.direction === "inbound" ? "saddr" : "daddr"} ${fermList(peers)}`);
  }
  parts.push(`dport ${fermList(rule.ports.map(fermPort))}`);
  if (rule.note) parts.push(`mod comment comment "${rule.note}"`);
  if (rule.action === "allow") parts.push("ACCEPT");
  else if (rule.action === "deny") parts.push("DROP");
  else parts.push(rule.ports[0].protocol === "tcp" ? "REJECT reject-with tcp-reset" : "REJECT");
  return `      ${parts.join(" ")};`;
}

/** A ferm configuration with the same rules; `ferm --remote FILE` prints iptables-save text. */
export function renderFerm(policy: BenchPolicy): string {
  const out = [`# bench policy, ${policy.ruleCount} rules`];
  for (const group of policy.groups) out.push(`@def $${group.name} = (${group.cidrs.join(" ")});`);
  for (const family of [4, 6] as const) {
    out.push(`domain ${family === 4 ? "ip" : "ip6"} table filter {`);
    for (const { chain, direction, policy: defaultPolicy } of CHAINS) {
      out.push(`  chain ${chain} {`, `    policy ${defaultPolicy};`);
      for (const rule of policy.rules) {
        if (rule.direction === direction && inFamily(rule, family)) out.push(fermRule(rule));
      }
      out.push("  }");
    }
    out.push("}");
  }
  return `${out.join("\n")}\n`;
}

/** Capirca's input: definitions plus one policy file. */
export interface CapircaInput {
  readonly networks: string;
  readonly services: string;
  readonly policy: string;
}

function serviceToken(port: BenchPort): string {
  if (/^[a-z]/.test(port.text)) return port.text.toUpperCase().replace(/-/g, "_");
  const range = port.from === port.to ? `${port.from}` : `${port.from}_${port.to}`;
  return `P${range}_${port.protocol.toUpperCase()}`;
}

function capircaCidr(cidr: string): string {
  if (cidr.includes("/")) return cidr;
  return cidr.includes(":") ? `${cidr}/128` : `${cidr}/32`;
}

/** Capirca needs a name for every address list, so literal peers get one per rule. */
export function renderCapirca(policy: BenchPolicy): CapircaInput {
  const networks: string[] = [];
  const definition = (name: string, cidrs: readonly string[]) => {
    networks.push(`${name} = ${capircaCidr(cidrs[0])}`);
    for (const cidr of cidrs.slice(1)) networks.push(`    ${capircaCidr(cidr)}`);
  };
  for (const group of policy.groups) definition(group.name.toUpperCase(), group.cidrs);

  const services = new Map<string, BenchPort>();
  const terms: string[] = [];
  const peerTokens: (string | null)[] = policy.rules.map((rule, i) => {
    if (rule.peers.length === 0) return null;
    const first = rule.peers[0];
    if (first.kind === "group") return first.name.toUpperCase();
    definition(
      `R${i}_PEER`,
      rule.peers.map((p) => (p.kind === "cidr" ? p.cidr : "")),
    );
    return `R${i}_PEER`;
  });
  for (const rule of policy.rules) for (const port of rule.ports) services.set(serviceToken(port), port);

  for (const family of [4, 6] as const) {
    for (const { chain, direction, policy: defaultPolicy } of CHAINS) {
      const members = policy.rules.flatMap((rule, i) =>
        rule.direction === direction && inFamily(rule, family) ? [i] : [],
      );
      // Capirca refuses a filter without terms; its chain then keeps the default policy.
      if (members.length === 0) continue;
      terms.push("header {", `  target:: iptables ${chain} ${defaultPolicy} ${family === 4 ? "inet" : "inet6"}`, "}");
      for (const i of members) {
        const rule = policy.rules[i];
        const protocol = rule.ports[0].protocol;
        terms.push(`term r${i} {`);
        const peer = peerTokens[i];
        if (peer) terms.push(`  ${direction === "inbound" ? "source" : "destination"}-address:: ${peer}`);
        terms.push(`  destination-port:: ${rule.ports.map(serviceToken).join(" ")}`, `  protocol:: ${protocol}`);
        if (rule.note) terms.push(`  comment:: "${rule.note}"`);
        const action =
          rule.action === "allow"
            ? "accept"
            : rule.action === "deny"
              ? "deny"
              : protocol === "tcp"
                ? "reject-with-tcp-rst"
                : "reject";
        terms.push(`  action:: ${action}`, "}");
      }
    }
  }
  const serviceLines = [...services].map(([token, p]) => {
    const range = p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`;
    return `${token} = ${range}/${p.protocol}`;
  });
  return {
    networks: `${networks.join("\n")}\n`,
    services: `${serviceLines.join("\n")}\n`,
    policy: `${terms.join("\n")}\n`,
  };
}
