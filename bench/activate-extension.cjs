// Activation-time proxy: loads the bundled extension with a stub `vscode` module
// and calls `activate`, printing {"requireMs", "activateMs"} as JSON.
// The stub answers every API call with another stub, so this measures our own
// module evaluation and registration work, not VS Code's (which a real extension
// host adds on top). Run in a fresh process each time: `node bench/activate-extension.cjs dist/extension.js`.
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** A callable, constructible object whose every property is another such object. */
function stub(name) {
  const target = function stubFunction() {};
  return new Proxy(target, {
    get(_t, key) {
      // Never look like a promise or a primitive, or `await` and templates would misbehave.
      if (key === "then") return undefined;
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === Symbol.iterator) return function* empty() {};
      if (key === "dispose") return () => {};
      if (typeof key === "symbol") return undefined;
      return stub(`${name}.${key}`);
    },
    apply() {
      return stub(`${name}()`);
    },
    construct() {
      return stub(`new ${name}`);
    },
  });
}

/**
 * The module itself is a plain object listing the API's top-level names (read from
 * @types/vscode), because esbuild's ESM interop copies own properties.
 */
function stubModule() {
  const fs = require("node:fs");
  const types = fs.readFileSync(require.resolve("@types/vscode/index.d.ts"), "utf8");
  const names = new Set(["version"]);
  for (const m of types.matchAll(/^\texport (?:namespace|class|enum|const|function|let|var) (\w+)/gm)) names.add(m[1]);
  const api = {};
  for (const name of names) api[name] = name === "version" ? "1.100.0" : stub(name);
  return api;
}

const vscode = stubModule();
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === "vscode") return vscode;
  return originalLoad.call(this, request, parent, isMain);
};

async function main() {
  const file = path.resolve(process.argv[2] ?? "dist/extension.js");
  const t0 = process.hrtime.bigint();
  const extension = require(file);
  const t1 = process.hrtime.bigint();
  const context = {
    subscriptions: [],
    extensionPath: path.dirname(path.dirname(file)),
    extensionUri: stub("extensionUri"),
    globalState: stub("globalState"),
    workspaceState: stub("workspaceState"),
    secrets: stub("secrets"),
    environmentVariableCollection: stub("environmentVariableCollection"),
    asAbsolutePath: (p) => path.join(path.dirname(path.dirname(file)), p),
    extensionMode: 1,
    logUri: stub("logUri"),
    storageUri: undefined,
    globalStorageUri: stub("globalStorageUri"),
  };
  await extension.activate?.(context);
  const t2 = process.hrtime.bigint();
  process.stdout.write(
    `${JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6, subscriptions: context.subscriptions.length })}\n`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
