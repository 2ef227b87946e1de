// Validates a YAML file with yaml-language-server's own language service and a JSON
// Schema: what the Red Hat YAML extension does for a file mapped in `yaml.schemas`,
// without the language-server transport and its 200 ms validation delay.
//
// As a command (the process-level comparison with `mailpolicy check`):
//   node bench/yaml-ls-validate.mjs TOOLS_DIR SCHEMA FILE   -> prints the diagnostic count
// As a module: createValidator(toolsDir, schemaPath) -> { validate(text) }.
// yaml-language-server lives in TOOLS_DIR (installed by bench/setup.sh), not in the project.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Loads yaml-language-server from `toolsDir` and configures it to validate
 * `*.mailpolicy.yaml` files against the schema at `schemaPath`.
 */
export function createValidator(toolsDir, schemaPath) {
  const require = createRequire(join(resolve(toolsDir), "node_modules", "noop.js"));
  const { getLanguageService } = require("yaml-language-server");
  const { TextDocument } = require("vscode-languageserver-textdocument");
  const schemaUri = pathToFileURL(resolve(schemaPath)).href;
  const schemaText = readFileSync(schemaPath, "utf8");
  const service = getLanguageService({
    schemaRequestService: async (uri) => {
      if (uri === schemaUri) return schemaText;
      throw new Error(`no network in benchmarks: ${uri}`);
    },
    workspaceContext: { resolveRelativePath: (relative, base) => new URL(relative, base).href },
  });
  service.configure({
    validate: true,
    hover: false,
    completion: false,
    format: false,
    isKubernetes: false,
    yamlVersion: "1.2",
    schemas: [{ uri: schemaUri, fileMatch: ["*.mailpolicy.yaml"], schema: JSON.parse(schemaText) }],
  });
  let version = 0;
  return {
    /** Validates `text` as a fresh document version (the service caches by version). */
    async validate(text, uri = "file:///bench/policy.mailpolicy.yaml") {
      version += 1;
      const document = TextDocument.create(uri, "yaml", version, text);
      return service.doValidation(document, false);
    },
  };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const [toolsDir, schemaPath, file] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node bench/yaml-ls-validate.mjs TOOLS_DIR SCHEMA FILE");
    process.exit(2);
  }
  const validator = createValidator(toolsDir, schemaPath);
  const diagnostics = await validator.validate(readFileSync(file, "utf8"), pathToFileURL(resolve(file)).href);
  for (const d of diagnostics.slice(0, 20)) console.log(`${file}:${d.range.start.line + 1} ${d.message}`);
  console.log(`${diagnostics.length} diagnostics`);
}
