/** `mailpolicy.newPolicy`: an untitled policy from a template, ready to edit and save. */
import * as vscode from "vscode";
import { POLICY_LANGUAGE, uiLang } from "../language";
import { POLICY_TEMPLATES, renderTemplate } from "./templates";

/** Asks for a template (or takes its id) and opens the new policy. */
export async function newPolicy(templateId?: unknown): Promise<vscode.TextDocument | undefined> {
  const lang = uiLang();
  let template = POLICY_TEMPLATES.find((t) => t.id === templateId);
  if (!template) {
    const picked = await vscode.window.showQuickPick(
      POLICY_TEMPLATES.map((t) => ({ label: t.label[lang], detail: t.detail[lang], template: t })),
      { placeHolder: vscode.l10n.t("What does this host do?") },
    );
    template = picked?.template;
  }
  if (!template) return undefined;
  const document = await vscode.workspace.openTextDocument({
    language: POLICY_LANGUAGE,
    content: renderTemplate(template, lang),
  });
  await vscode.window.showTextDocument(document);
  return document;
}
