/**
 * Colouring for the preview: splits one output line into tokens. Pure; the
 * webview turns each token into a `<span>` set with `textContent`, so the
 * tokens' texts joined always give back the line exactly.
 */

export type TokenKind =
  | "comment"
  | "table"
  | "chain"
  | "option"
  | "accept"
  | "drop"
  | "keyword"
  | "string"
  | "number"
  | "key"
  | "value";

export interface Token {
  readonly text: string;
  /** Undefined for spaces and punctuation. */
  readonly kind?: TokenKind;
}

function verdictKind(word: string): TokenKind {
  if (word === "ACCEPT" || word === "accept") return "accept";
  if (word === "DROP" || word === "REJECT" || word === "drop") return "drop";
  return "value";
}

/** Tokens of one iptables-save line: comments, tables, chains, options, verdicts, quoted strings. */
export function tokenizeIptablesLine(line: string): Token[] {
  if (line.startsWith("#")) return [{ text: line, kind: "comment" }];
  if (line.startsWith("*")) return [{ text: line, kind: "table" }];
  if (line === "COMMIT") return [{ text: line, kind: "keyword" }];
  const tokens: Token[] = [];
  // Words, spaces, and double-quoted strings with backslash escapes (as iptables-save quotes comments).
  const re = /"(?:[^"\\]|\\.)*"?|\s+|[^\s"]+/g;
  let previous = "";
  for (const m of line.matchAll(re)) {
    const text = m[0];
    if (/^\s/.test(text)) {
      tokens.push({ text });
      continue;
    }
    let kind: TokenKind;
    if (text.startsWith('"')) kind = "string";
    else if (text.startsWith(":") && tokens.length === 0) kind = "chain";
    else if (text.startsWith("-")) kind = "option";
    else if (previous === "-A" || previous === "-I" || previous === "-N") kind = "chain";
    else if (previous === "-j" || previous === "--jump" || (tokens.length === 2 && previous.startsWith(":")))
      kind = verdictKind(text);
    else if (/^\d+$/.test(text) || /^\[\d+:\d+\]$/.test(text)) kind = "number";
    else kind = "value";
    tokens.push({ text, kind });
    previous = text;
  }
  return tokens;
}

/** Tokens of one line of pretty-printed JSON: keys, strings, numbers, literals. */
export function tokenizeJsonLine(line: string): Token[] {
  const tokens: Token[] = [];
  const re = /"(?:[^"\\]|\\.)*"?(\s*:)?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|\s+|[^\s"\d]+?/g;
  for (const m of line.matchAll(re)) {
    const text = m[0];
    if (m[1] !== undefined) {
      const key = text.slice(0, text.length - m[1].length);
      tokens.push({ text: key, kind: "key" }, { text: m[1] });
    } else if (text.startsWith('"')) {
      const value = text.slice(1, -1);
      const kind = value === "accept" || value === "drop" ? verdictKind(value) : "string";
      tokens.push({ text, kind });
    } else if (/^-?\d/.test(text)) tokens.push({ text, kind: "number" });
    else if (text === "true" || text === "false" || text === "null") tokens.push({ text, kind: "keyword" });
    else tokens.push({ text });
  }
  return mergePlain(tokens);
}

/** Joins neighbouring uncoloured tokens so the DOM gets fewer spans. */
function mergePlain(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && !last.kind && !t.kind) out[out.length - 1] = { text: last.text + t.text };
    else out.push(t);
  }
  return out;
}

/** The tokenizer for a target's output. */
export function tokenizerFor(target: string): (line: string) => Token[] {
  return target === "iptables" || target === "ip6tables" ? tokenizeIptablesLine : tokenizeJsonLine;
}
