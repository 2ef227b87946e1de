/**
 * The two security-group documents as the providers document their meaning,
 * written out as iptables rules so real packets can be sent through them.
 * This is an independent reading of the provider semantics (not the
 * generator's): a stateful group, Alibaba Cloud deciding by Priority (smaller
 * first, `drop` before `accept` at a tie) with inbound denied and outbound
 * allowed by default, AWS allowing only what a permission lists.
 */
import type { Family } from "../../support/kernel";

type Entry = Record<string, string | number | undefined>;

interface AliyunDocument {
  Ingress: Entry[];
  Egress: Entry[];
}

interface AwsRange {
  CidrIp?: string;
  CidrIpv6?: string;
}

interface AwsPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: AwsRange[];
  Ipv6Ranges?: AwsRange[];
}

interface AwsDocument {
  IpPermissions: AwsPermission[];
  IpPermissionsEgress: AwsPermission[];
}

const HEADER = (input: string, output: string) => [
  "*filter",
  `:INPUT ${input} [0:0]`,
  ":FORWARD DROP [0:0]",
  `:OUTPUT ${output} [0:0]`,
  "-A INPUT -i lo -j ACCEPT",
  "-A OUTPUT -o lo -j ACCEPT",
  // Security groups are stateful: answers to allowed connections always pass.
  "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
  "-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
];

/** `-p tcp -m tcp --dport a:b`, or nothing for "all protocols"; null for protocols a probe never uses. */
function match(protocol: string, from: number, to: number): string | null {
  const p = protocol.toLowerCase();
  if (p === "all" || p === "-1") return "";
  if (p !== "tcp" && p !== "udp") return null;
  const all = from === -1 || (from <= 1 && to >= 65535);
  return all ? `-p ${p} ` : `-p ${p} -m ${p} --dport ${from === to ? from : `${from}:${to}`} `;
}

function rule(chain: "INPUT" | "OUTPUT", cidr: string | undefined, m: string | null, target: string): string | null {
  if (cidr === undefined || m === null) return null;
  const address = cidr.endsWith("/0") ? "" : `${chain === "INPUT" ? "-s" : "-d"} ${cidr} `;
  return `-A ${chain} ${address}${m}-j ${target}`.replace(/ +/g, " ");
}

/** Alibaba Cloud: entries by Priority, drop first at a tie; provider defaults when nothing matches. */
export function aliyunAsIptables(doc: AliyunDocument, family: Family): string {
  const lines = HEADER("DROP", "ACCEPT");
  const sides = [
    ["INPUT", doc.Ingress, family === 4 ? "SourceCidrIp" : "Ipv6SourceCidrIp"],
    ["OUTPUT", doc.Egress, family === 4 ? "DestCidrIp" : "Ipv6DestCidrIp"],
  ] as const;
  for (const [chain, entries, cidrKey] of sides) {
    const ordered = entries
      .map((entry, order) => ({ entry, order }))
      .sort((a, b) => {
        const byPriority = Number(a.entry.Priority ?? 1) - Number(b.entry.Priority ?? 1);
        const drop = (e: Entry) => (String(e.Policy ?? "accept").toLowerCase() === "drop" ? 0 : 1);
        return byPriority || drop(a.entry) - drop(b.entry) || a.order - b.order;
      });
    for (const { entry } of ordered) {
      const [from, to] = String(entry.PortRange).split("/").map(Number);
      const target = String(entry.Policy ?? "accept").toLowerCase() === "drop" ? "DROP" : "ACCEPT";
      const line = rule(chain, entry[cidrKey] as string | undefined, match(String(entry.IpProtocol), from, to), target);
      if (line) lines.push(line);
    }
  }
  return [...lines, "COMMIT", ""].join("\n");
}

/** AWS: only what a permission lists passes, in both directions. */
export function awsAsIptables(doc: AwsDocument, family: Family): string {
  const lines = HEADER("DROP", "DROP");
  const sides = [
    ["INPUT", doc.IpPermissions],
    ["OUTPUT", doc.IpPermissionsEgress],
  ] as const;
  for (const [chain, permissions] of sides) {
    for (const p of permissions) {
      const m = match(p.IpProtocol, p.FromPort ?? -1, p.ToPort ?? -1);
      const ranges = family === 4 ? (p.IpRanges ?? []) : (p.Ipv6Ranges ?? []);
      for (const r of ranges) {
        const line = rule(chain, family === 4 ? r.CidrIp : r.CidrIpv6, m, "ACCEPT");
        if (line) lines.push(line);
      }
    }
  }
  return [...lines, "COMMIT", ""].join("\n");
}
