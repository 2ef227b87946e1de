/**
 * A small policy with one known mistake per block, to show what each checker
 * catches ("checking more" in numbers): a checker catches a fault when it reports
 * anything inside that fault's block.
 */

export interface Fault {
  /** What is wrong, in the words of the spec's diagnostic. */
  readonly what: string;
  /** 0-based first and last line of the block that holds it. */
  readonly firstLine: number;
  readonly lastLine: number;
}

export interface FaultyPolicy {
  readonly text: string;
  readonly faults: readonly Fault[];
}

type Block = readonly [what: string | null, lines: readonly string[]];

const BLOCKS: readonly Block[] = [
  [null, ["mailpolicy: 1", "name: faults.example.net", "sources:", "  office: 203.0.113.0/24"]],
  ["source.host-bits: 10.0.0.1/8", ["  lab: 10.0.0.1/8"]],
  ["source.invalid: 300.1.2.3", ["  broken: 300.1.2.3"]],
  [null, ["inbound:", "  default: drop", "  rules:", "    - allow: smtp", "      from: any"]],
  ["port.unknown-service: imapz", ["    - allow: imapz", "      from: any"]],
  ["source.undefined: offfice", ["    - allow: ssh", "      from: offfice"]],
  ["port.range: 70000", ["    - allow: 70000", "      from: office"]],
  ["port.range: 2000-1000", ["    - allow: 2000-1000/tcp", "      from: office"]],
  ["security.plaintext-access: imap from any", ["    - allow: imap", "      from: any"]],
  ["rule.duplicate: smtp from any again", ["    - allow: smtp", "      from: any"]],
  [null, ["    - allow: submission", "      from: office"]],
  ["rule.shadowed: inside office, already allowed", ["    - allow: submission", "      from: 203.0.113.7"]],
  ["security.admin-exposed: ssh from any", ["    - allow: 22", "      from: any"]],
  ["port.protocol-mismatch: 993/udp", ["    - allow: 993/udp", "      from: office"]],
  ["rule.expired: expires in the past", ["    - allow: https", "      from: office", "      expires: 2020-01-01"]],
  ["schema.unknown-key: form", ["    - allow: pop3s", "      from: office", "      form: any"]],
  [null, ["outbound:", "  default: accept", "  rules:"]],
  ["security.outbound-smtp-blocked: 25 out with cloud targets", ["    - allow: smtp", "      to: any"]],
  [
    null,
    [
      "targets:",
      "  iptables:",
      "    ipv6: false",
      "  aliyun:",
      "    regionId: cn-hangzhou",
      "    securityGroupId: sg-bp1example",
      "  aws:",
      "    groupId: sg-0123456789abcdef0",
    ],
  ],
];

/** The faulty policy and where each fault is. */
export function faultyPolicy(): FaultyPolicy {
  const lines: string[] = [];
  const faults: Fault[] = [];
  for (const [what, block] of BLOCKS) {
    if (what) faults.push({ what, firstLine: lines.length, lastLine: lines.length + block.length - 1 });
    lines.push(...block);
  }
  return { text: `${lines.join("\n")}\n`, faults };
}

/** The faults that have at least one reported line inside their block. */
export function caughtFaults(faults: readonly Fault[], reportedLines: readonly number[]): Fault[] {
  return faults.filter((f) => reportedLines.some((line) => line >= f.firstLine && line <= f.lastLine));
}

/** 0-based line of a character offset. */
export function lineOfOffset(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
