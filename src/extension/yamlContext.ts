/**
 * Where the cursor is in a policy file's YAML, from indentation alone, so
 * completion works on half-typed files that do not parse yet.
 */

/** Key position (typing a key) or value position (after `key:`), with the keys that enclose it. */
export interface YamlContext {
  /** Enclosing keys from the top, e.g. `["inbound", "rules"]`. */
  readonly path: readonly string[];
  /** Set in value position: the key whose value is being typed. */
  readonly valueKey?: string;
  /** The partial word before the cursor. */
  readonly word: string;
}

/** Indentation of a line's key: a `- ` item marker counts as indentation. */
function keyIndent(line: string): number {
  const m = line.match(/^(\s*)(-\s+)?/);
  return (m?.[1].length ?? 0) + (m?.[2]?.length ?? 0);
}

/** The key that a line starts with, if any. */
function lineKey(line: string): string | undefined {
  return line.match(/^\s*(?:-\s+)?([A-Za-z][\w-]*)\s*:(?:\s|$)/)?.[1];
}

export function yamlContextAt(text: string, offset: number): YamlContext | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  if (/(^|\s)#/.test(prefix)) return undefined;
  const value = prefix.match(/^(\s*)(-\s+)?([A-Za-z][\w-]*)\s*:\s+(.*)$/);
  const key = value ? undefined : prefix.match(/^(\s*)(-\s+)?([\w-]*)$/);
  const m = value ?? key;
  if (!m) return undefined;
  const indent = m[1].length + (m[2]?.length ?? 0);
  const path: string[] = [];
  let limit = indent;
  const lines = text.slice(0, lineStart).split("\n");
  for (let i = lines.length - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i];
    if (!line.trim() || /^\s*#/.test(line)) continue;
    const ind = keyIndent(line);
    if (ind >= limit) continue;
    const k = lineKey(line);
    if (k) path.unshift(k);
    limit = ind;
  }
  if (value) {
    const word = value[4].match(/[\w.:/-]*$/)?.[0] ?? "";
    return { path, valueKey: value[3], word };
  }
  return { path, word: key?.[3] ?? "" };
}
