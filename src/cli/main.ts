/** The `mailpolicy` command: wires {@link run} to the real process. */
import { version } from "../../package.json";
import { run } from "./run";

// A reader that stops early (`| head`) closes the pipe: that is not an error worth a trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    process.exit(err.code === "EPIPE" ? (process.exitCode ?? 0) : 2);
  });
}

process.exitCode = run(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
  },
  version,
);
