/**
 * `npm run golden:update`: rewrites test/golden/expected/<example>/<file> from
 * the current generator. Review the diff before committing it.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EXPECTED_DIR, exampleFiles, generateExample } from "./examples";

const names = new Set<string>();
for (const file of exampleFiles()) {
  const { name, outputs } = generateExample(file);
  names.add(name);
  const dir = join(EXPECTED_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const output of outputs) writeFileSync(join(dir, output.fileName), output.text);
  console.log(`${name}: ${outputs.map((o) => o.fileName).join(", ")}`);
}
// Expected files of examples that no longer exist would otherwise linger.
for (const entry of readdirSync(EXPECTED_DIR)) {
  if (!names.has(entry)) rmSync(join(EXPECTED_DIR, entry), { recursive: true, force: true });
}
