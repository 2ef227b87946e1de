/**
 * `mailpolicy.generate` (one target, picked from a list) and
 * `mailpolicy.generateAll` (every configured target): files written next to
 * the policy or into `mailpolicy.output.folder`, never while errors exist.
 */
import * as vscode from "vscode";
import { configuredTargets, outputFor } from "../../core/check";
import { TARGET_FILE_NAMES } from "../../core/generate/index";
import { TARGET_NAMES, type TargetName } from "../../core/model";
import { checkDocument } from "../checkCache";
import { POLICY_LANGUAGE, uiLang } from "../language";
import { outputFolder, writeFileAtomic } from "./files";

function targetLabel(target: TargetName): string {
  switch (target) {
    case "iptables":
      return vscode.l10n.t("iptables-save (IPv4)");
    case "ip6tables":
      return vscode.l10n.t("ip6tables-save (IPv6)");
    case "aliyun":
      return vscode.l10n.t("Alibaba Cloud security group");
    case "aws":
      return vscode.l10n.t("AWS security group");
  }
}

/** The policy a command works on: its argument (explorer, editor title), else the active editor's. */
export async function policyDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const document = vscode.window.activeTextEditor?.document;
  if (document?.languageId === POLICY_LANGUAGE) return document;
  void vscode.window.showInformationMessage(vscode.l10n.t("Open a Mail Policy file first."));
  return undefined;
}

/** Says plainly why nothing was written; true when the policy has errors. */
function refuseOnErrors(document: vscode.TextDocument): boolean {
  const check = checkDocument(document);
  if (!check.hasErrors) return false;
  const count = check.diagnostics.filter((d) => d.severity === "error").length;
  const showProblems = vscode.l10n.t("Show Problems");
  void vscode.window
    .showErrorMessage(
      vscode.l10n.t(
        "Nothing was generated: the policy has {0} error(s). Fix them first; the Problems panel lists them.",
        count,
      ),
      showProblems,
    )
    .then((choice) => {
      if (choice === showProblems) void vscode.commands.executeCommand("workbench.actions.view.problems");
    });
  return true;
}

async function chooseFolder(document: vscode.TextDocument): Promise<vscode.Uri | undefined> {
  const folder = outputFolder(document.uri);
  if (folder) return folder;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    openLabel: vscode.l10n.t("Generate Here"),
  });
  return picked?.[0];
}

/** Generates `targets` into the output folder and returns the files written. */
async function writeTargets(document: vscode.TextDocument, targets: readonly TargetName[]): Promise<vscode.Uri[]> {
  const check = checkDocument(document);
  const folder = await chooseFolder(document);
  if (!folder) return [];
  const lang = uiLang();
  // Generate everything before writing anything: a generator failure leaves no partial set behind.
  const outputs = targets.map((t) => outputFor(check, t, lang));
  const written: vscode.Uri[] = [];
  for (const output of outputs) {
    const uri = vscode.Uri.joinPath(folder, output.fileName);
    await writeFileAtomic(uri, output.text);
    written.push(uri);
  }
  const warnings = outputs.flatMap((o) => o.diagnostics).filter((d) => d.severity === "warning").length;
  const names = written.map((u) => u.path.split("/").pop()).join(", ");
  const message =
    warnings > 0
      ? vscode.l10n.t("Generated {0} with {1} target warning(s): open the preview to see them.", names, warnings)
      : vscode.l10n.t("Generated {0}.", names);
  void vscode.window.showInformationMessage(message);
  return written;
}

async function open(uri: vscode.Uri | undefined): Promise<void> {
  if (uri) await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.Beside });
}

/** `mailpolicy.generate [uri] [target]`: one target; asks which when not given. */
export async function generateOne(uri?: unknown, target?: unknown): Promise<vscode.Uri[]> {
  const document = await policyDocument(uri);
  if (!document || refuseOnErrors(document)) return [];
  let chosen = TARGET_NAMES.find((t) => t === target);
  if (!chosen) {
    const configured = configuredTargets(checkDocument(document).policy);
    const order = [...configured, ...TARGET_NAMES.filter((t) => !configured.includes(t))];
    const picked = await vscode.window.showQuickPick(
      order.map((t) => ({
        label: targetLabel(t),
        description: configured.includes(t) ? vscode.l10n.t("configured") : undefined,
        detail: TARGET_FILE_NAMES[t],
        target: t,
      })),
      { placeHolder: vscode.l10n.t("Which target to generate?") },
    );
    chosen = picked?.target;
  }
  if (!chosen) return [];
  const written = await writeTargets(document, [chosen]);
  await open(written[0]);
  return written;
}

/** `mailpolicy.generateAll [uri]`: every target the policy configures. */
export async function generateAll(uri?: unknown): Promise<vscode.Uri[]> {
  const document = await policyDocument(uri);
  if (!document || refuseOnErrors(document)) return [];
  const targets = configuredTargets(checkDocument(document).policy);
  if (targets.length === 0) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t("The policy configures no targets: add iptables, aliyun or aws under targets:."),
    );
    return [];
  }
  const written = await writeTargets(document, targets);
  await open(written[0]);
  return written;
}
