/**
 * Writing generated files through `vscode.workspace.fs`, so it works in
 * virtual workspaces and the browser as well as on disk.
 */
import * as vscode from "vscode";

/** `a/b/rules.v4` -> `a/b/.rules.v4.<random>.tmp`: a sibling, so the rename stays on one file system. */
export function temporaryName(fileName: string, random: string): string {
  return `.${fileName}.${random}.tmp`;
}

/**
 * Writes `text` to `uri` atomically: a temporary sibling first, then a rename
 * over the target, so a reader (or iptables-restore) never sees half a file.
 */
export async function writeFileAtomic(uri: vscode.Uri, text: string): Promise<void> {
  const folder = vscode.Uri.joinPath(uri, "..");
  const name = uri.path.split("/").pop() ?? "output";
  const random = Math.random().toString(36).slice(2, 10);
  const temporary = vscode.Uri.joinPath(folder, temporaryName(name, random));
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(temporary, new TextEncoder().encode(text));
  try {
    await vscode.workspace.fs.rename(temporary, uri, { overwrite: true });
  } catch (err) {
    await Promise.resolve(vscode.workspace.fs.delete(temporary)).catch(() => undefined);
    throw err;
  }
}

/**
 * Where generated files go: `mailpolicy.output.folder` when set (absolute, or
 * relative to the policy's workspace folder), else the policy's own folder.
 * Undefined for an untitled policy with nowhere obvious to write.
 */
export function outputFolder(policy: vscode.Uri): vscode.Uri | undefined {
  const setting = vscode.workspace.getConfiguration("mailpolicy", policy).get<string>("output.folder", "").trim();
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(policy) ?? vscode.workspace.workspaceFolders?.[0];
  if (setting) {
    if (setting.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(setting)) {
      return workspaceFolder ? workspaceFolder.uri.with({ path: toPosix(setting) }) : vscode.Uri.file(setting);
    }
    const base = workspaceFolder?.uri ?? (policy.scheme === "untitled" ? undefined : vscode.Uri.joinPath(policy, ".."));
    return base ? vscode.Uri.joinPath(base, toPosix(setting)) : undefined;
  }
  if (policy.scheme === "untitled") return workspaceFolder?.uri;
  return vscode.Uri.joinPath(policy, "..");
}

function toPosix(path: string): string {
  const p = path.replace(/\\/g, "/");
  return /^[a-zA-Z]:\//.test(p) ? `/${p}` : p;
}
