/**
 * The installed .vsix holds every file its package.json points at: the
 * .vscodeignore allow-list cannot silently drop a grammar, a snippet file or a bundle.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface Manifest {
  readonly main?: string;
  readonly browser?: string;
  readonly l10n?: string;
  readonly contributes?: {
    readonly languages?: { configuration?: string }[];
    readonly grammars?: { path: string }[];
    readonly snippets?: { path: string }[];
    readonly yamlValidation?: { url: string }[];
  };
}

/** The files a manifest refers to, relative to the extension folder. */
export function referencedFiles(manifest: Manifest): string[] {
  const c = manifest.contributes ?? {};
  const files = [
    manifest.main,
    manifest.browser,
    manifest.l10n && `${manifest.l10n}/bundle.l10n.zh-cn.json`,
    "package.nls.json",
    "package.nls.zh-cn.json",
    ...(c.languages ?? []).map((l) => l.configuration),
    ...(c.grammars ?? []).map((g) => g.path),
    ...(c.snippets ?? []).map((s) => s.path),
    ...(c.yamlValidation ?? []).map((y) => y.url),
  ];
  return files
    .filter((f): f is string => typeof f === "string" && !/^[a-z]+:/.test(f))
    .map((f) => path.normalize(f.endsWith(".js") || path.extname(f) ? f : `${f}.js`));
}

/** The referenced files missing from the extension installed under `extensionsDir`. */
export function missingPackagedFiles(extensionsDir: string, id: string): string[] {
  const folder = readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${id.toLowerCase()}-`));
  if (!folder) return [`the extension ${id} is not installed in ${extensionsDir}`];
  const root = path.join(extensionsDir, folder);
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
  return referencedFiles(manifest).filter((f) => !existsSync(path.join(root, f)));
}
