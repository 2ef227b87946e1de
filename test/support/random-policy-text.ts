/**
 * Random policy texts: a small tree of what policies hold, rendered with
 * random formatting (comments anywhere, blank lines, spacing, indentation,
 * list styles), then sometimes mutated into a near-miss or broken YAML.
 */
import type { Rng } from "../system/support/rng";

export type Tree =
  | { kind: "map"; pairs: [string, Tree][] }
  | { kind: "seq"; items: Tree[] }
  | { kind: "scalar"; text: string }
  | { kind: "empty" };

const PORTS = ["smtp", "imaps", "submissions", "pop3", "ssh", "25", "025", "993/tcp", "6000-6010/udp", "0x19", "99999"];
const PEERS = ["any", "any4", "office", "monitoring", "203.0.113.0/24", "10.0.0.1/8", "2001:db8::1", "2001:db8::/48"];
const ODD = ["true", "~", "null", "1e3", ".inf", "-.5", "0o17", "False", "NULL", "+1", "1.", "0x1F"];
/** Notes the subset reads (in YAML terms: plain scalars with `#`, `:`, `*`, `&` inside, unicode). */
const NOTES = [
  "legacy scanner, remove by 2027",
  "see ticket #42",
  "a#b",
  "ratio 1:2",
  "http://example.com/x",
  "star* and &amp",
  "阿里云企业邮箱 smtp.qiye.aliyun.com:465",
  "emoji 📬 ok",
  "a, b [c] {d}",
  "trailing space ",
  "nbsp\u00a0",
  "ideographic\u3000",
  "-dash",
  "?q",
  ":colon",
  "it's",
];
/** Notes that start or contain what only yaml reads (or that break the line). */
const ODD_NOTES = [
  "*star",
  "&amp",
  "!bang",
  "x: y",
  "ends:",
  "key: value: x",
  "|pipe",
  ">fold",
  "%pct",
  "@at",
  "`tick`",
  "'single'",
  '"double"',
  "back\\slash",
  "{a}",
  "[a",
];

function quoteAs(r: Rng, text: string): string {
  switch (r.int(0, 9)) {
    case 0:
      return `'${text.replaceAll("'", "''")}'`;
    case 1:
      return JSON.stringify(text);
    default:
      return text;
  }
}

function scalar(r: Rng, pool: readonly string[]): Tree {
  const roll = r.next();
  if (roll < 0.06) return { kind: "scalar", text: quoteAs(r, r.pick(ODD)) };
  if (roll < 0.08) return { kind: "empty" };
  if (roll < 0.1) return { kind: "scalar", text: quoteAs(r, r.pick(ODD_NOTES)) };
  return { kind: "scalar", text: quoteAs(r, r.pick(pool)) };
}

function list(r: Rng, pool: readonly string[]): Tree {
  if (r.next() < 0.5) return scalar(r, pool);
  const items: Tree[] = [];
  for (let i = r.int(0, 4); i > 0; i--) items.push(scalar(r, pool));
  return { kind: "seq", items };
}

function key(r: Rng, name: string): string {
  const roll = r.next();
  if (roll < 0.03) return name.slice(0, -1) + "x"; // a typo
  if (roll < 0.06) return `"${name}"`;
  if (roll < 0.08) return `'${name}'`;
  return name;
}

export function randomTree(r: Rng): Tree {
  const top: [string, Tree][] = [];
  if (r.next() < 0.95)
    top.push([key(r, "mailpolicy"), { kind: "scalar", text: r.pick(["1", "1", "2", "'1'", "1.0"]) }]);
  if (r.next() < 0.5) top.push([key(r, "name"), scalar(r, NOTES)]);
  if (r.next() < 0.03) top.push([key(r, "name"), scalar(r, NOTES)]); // maybe a duplicate
  if (r.next() < 0.7) {
    const groups: [string, Tree][] = [];
    for (const name of r.sample(["office", "monitoring", "vpc", "any", "9bad"], r.int(0, 3))) {
      groups.push([name, list(r, PEERS)]);
    }
    top.push([key(r, "sources"), groups.length ? { kind: "map", pairs: groups } : { kind: "empty" }]);
  }
  for (const direction of ["inbound", "outbound"] as const) {
    if (r.next() < 0.2) continue;
    const rules: Tree[] = [];
    for (let i = r.int(0, 4); i > 0; i--) {
      const pairs: [string, Tree][] = [[key(r, r.pick(["allow", "allow", "deny", "reject"])), list(r, PORTS)]];
      if (r.next() < 0.9) pairs.push([key(r, direction === "inbound" ? "from" : "to"), list(r, PEERS)]);
      if (r.next() < 0.3) pairs.push([key(r, "note"), scalar(r, NOTES)]);
      if (r.next() < 0.1) pairs.push([key(r, "acknowledge"), list(r, ["security.plaintext-access", "rule.shadowed"])]);
      if (r.next() < 0.1) pairs.push([key(r, "expires"), scalar(r, ["2027-01-31", "2020-02-30", "soon"])]);
      if (r.next() < 0.02) pairs.push([...pairs[0]]); // a duplicate key
      rules.push({ kind: "map", pairs: r.sample(pairs, pairs.length - (r.next() < 0.1 ? 1 : 0)) });
    }
    const set: [string, Tree][] = [];
    if (r.next() < 0.8) set.push([key(r, "default"), scalar(r, ["drop", "reject", "accept", "deny"])]);
    if (r.next() < 0.9)
      set.push([key(r, "rules"), rules.length || r.next() < 0.5 ? { kind: "seq", items: rules } : { kind: "empty" }]);
    top.push([direction, { kind: "map", pairs: set }]);
  }
  if (r.next() < 0.6) {
    const targets: [string, Tree][] = [];
    if (r.next() < 0.7) {
      targets.push([
        "iptables",
        {
          kind: "map",
          pairs: [
            ["ipv6", scalar(r, ["true", "false", "True", "yes"])],
            ["forward", scalar(r, ["drop", "accept"])],
          ],
        },
      ]);
    }
    if (r.next() < 0.7) {
      targets.push([
        "aliyun",
        {
          kind: "map",
          pairs: [
            ["regionId", scalar(r, ["cn-hangzhou", "025"])],
            ["priority", scalar(r, ["1", "100", "0x10", "1e1", "101", "5.0"])],
          ],
        },
      ]);
    }
    if (r.next() < 0.5)
      targets.push(["aws", { kind: "map", pairs: [["groupId", scalar(r, ["sg-0123456789abcdef0"])]] }]);
    top.push([key(r, "targets"), targets.length ? { kind: "map", pairs: targets } : { kind: "empty" }]);
  }
  return { kind: "map", pairs: r.sample(top, top.length) };
}

/** Renders with random formatting: comments anywhere, blank lines, spacing, indentation, list styles. */
export function render(r: Rng, tree: Tree): string {
  const out: string[] = [];
  const comment = () => (r.next() < 0.15 ? `${" ".repeat(r.next() < 0.05 ? 0 : r.int(1, 3))}# ${r.pick(NOTES)}` : "");
  const trailing = () => (r.next() < 0.1 ? " ".repeat(r.int(1, 3)) : "");
  const extras = (indent: number) => {
    while (r.next() < 0.12) {
      const deep = r.next() < 0.1 ? r.int(1, 4) : 0;
      out.push(r.next() < 0.4 ? " ".repeat(r.int(0, 3)) : `${" ".repeat(r.int(0, indent) + deep)}# note`);
    }
  };
  const inline = (t: Tree): string | undefined => {
    if (t.kind === "scalar") return t.text;
    if (t.kind === "empty") return "";
    if (t.kind === "seq" && t.items.every((i) => i.kind === "scalar") && r.next() < 0.6) {
      const sep = r.pick([", ", ",", " , "]);
      const pad = r.pick(["", " "]);
      return `[${pad}${t.items.map((i) => (i as { text: string }).text).join(sep)}${pad}]`;
    }
    return undefined;
  };
  const block = (t: Tree, indent: number, prefix: string) => {
    // `prefix` is what precedes the first line's content (`- ` for a compact mapping in a list).
    if (t.kind === "map") {
      const inner = prefix ? indent + prefix.length : indent;
      t.pairs.forEach(([k, v], i) => {
        const lead = i === 0 ? `${" ".repeat(indent)}${prefix}` : " ".repeat(inner);
        if (i > 0 || !prefix) extras(inner);
        const gap = r.pick([" ", " ", "  "]);
        const text = inline(v);
        if (text !== undefined) {
          out.push(`${lead}${k}:${text === "" ? "" : gap + text}${trailing()}${comment()}`);
        } else {
          out.push(`${lead}${k}:${trailing()}${comment()}`);
          const step = v.kind === "seq" && r.next() < 0.4 ? 0 : r.pick([2, 2, 4, 3]);
          block(v, inner + step, "");
        }
      });
    } else if (t.kind === "seq") {
      for (const item of t.items) {
        extras(indent);
        const text = inline(item);
        const dash = r.next() < 0.9 ? "- " : "-   ";
        if (text !== undefined && text !== "") out.push(`${" ".repeat(indent)}${dash}${text}${trailing()}${comment()}`);
        else if (item.kind === "map") block(item, indent, dash);
        else out.push(`${" ".repeat(indent)}-${trailing()}`); // an empty item: yaml's
      }
    }
  };
  if (r.next() < 0.3) out.push("# A policy", "");
  block(tree, 0, "");
  extras(0);
  return out.join("\n") + (r.next() < 0.9 ? "\n" : "");
}

/** Sometimes breaks the text: a character inserted, deleted or replaced where YAML is touchy. */
export function mutate(r: Rng, text: string): string {
  if (r.next() < 0.6 || text.length === 0) return text;
  const at = r.int(0, text.length - 1);
  const junk = r.pick([
    ":",
    "- ",
    " ",
    "  ",
    "\t",
    "[",
    "]",
    '"',
    "'",
    "#",
    "\n",
    "&a ",
    "*a",
    "!!str ",
    "{",
    "? ",
    "|",
    "---\n",
    "\r",
    "\ufeff",
    ",",
  ]);
  switch (r.int(0, 2)) {
    case 0:
      return text.slice(0, at) + junk + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + junk + text.slice(at + 1);
  }
}

/** One keystroke-sized edit: a character or a short piece typed, deleted or replaced, or a line moved. */
export function keystroke(r: Rng, text: string): string {
  if (text.length === 0) return "mailpolicy: 1\n";
  const at = r.int(0, text.length - 1);
  const lines = text.split("\n");
  switch (r.int(0, 9)) {
    case 0: {
      const i = r.int(0, lines.length - 1);
      lines.splice(i, 0, lines[i]); // a line duplicated
      return lines.join("\n");
    }
    case 1: {
      lines.splice(r.int(0, lines.length - 1), 1); // a line deleted
      return lines.join("\n");
    }
    case 2: {
      const [i, j] = [r.int(0, lines.length - 1), r.int(0, lines.length - 1)];
      [lines[i], lines[j]] = [lines[j], lines[i]]; // two lines swapped
      return lines.join("\n");
    }
    case 3:
      return mutate(r, text);
    default: {
      const piece = r.pick(["1", "9", "a", "s", " ", "  ", "\n", "- ", ":", "#", "/", ".", "smtp", "any", "\n    "]);
      const cut = r.int(0, 2);
      return text.slice(0, at) + (cut === 1 ? "" : piece) + text.slice(at + (cut === 0 ? 0 : 1));
    }
  }
}
