// Preloaded into the CLI (`node --require crash-hook.cjs dist/cli.js ...`) to
// kill it, with SIGKILL, right before its Nth file-system change: a crash at
// an exact point, every time. MAILPOLICY_CRASH_AT=N; MAILPOLICY_CRASH_LOG=file
// gets one line per change seen, so the test knows how many points there are.
const fs = require("node:fs");

const crashAt = Number(process.env.MAILPOLICY_CRASH_AT || 0);
const log = process.env.MAILPOLICY_CRASH_LOG;
const MUTATING = [
  "openSync",
  "writeSync",
  "writeFileSync",
  "appendFileSync",
  "fsyncSync",
  "fdatasyncSync",
  "closeSync",
  "renameSync",
  "rmSync",
  "unlinkSync",
  "mkdirSync",
  "fchmodSync",
  "chmodSync",
  "copyFileSync",
  "ftruncateSync",
  "truncateSync",
];
const original = {};
for (const name of MUTATING) original[name] = fs[name];
let seen = 0;
// Calls made from inside a hooked call (fs functions use each other) are part of that step.
let depth = 0;

for (const name of MUTATING) {
  fs[name] = function crashPoint(...args) {
    // Opening for reading changes nothing; everything else counts.
    const readOnly = name === "openSync" && (args[1] === undefined || args[1] === "r");
    if (depth === 0 && !readOnly) {
      seen++;
      depth++;
      try {
        if (log)
          original.appendFileSync.call(fs, log, `${seen} ${name} ${typeof args[0] === "string" ? args[0] : ""}\n`);
      } finally {
        depth--;
      }
      if (seen === crashAt) process.kill(process.pid, "SIGKILL");
    }
    depth++;
    try {
      return original[name].apply(this, args);
    } finally {
      depth--;
    }
  };
}
