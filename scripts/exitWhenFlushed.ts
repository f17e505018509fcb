/**
 * Exits once stdout and stderr have handed everything to the OS. Node writes to pipes asynchronously, so
 * `process.exit` straight after a large write drops what a slow reader has not taken yet: `npm run plan | jq`
 * got the first 128 KiB of the plan and nothing more.
 */
export function exitWhenFlushed(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

/**
 * Runs a command's `main` and exits with the code it returns, once the output is flushed; an unexpected error is
 * one line on stderr (`<name> failed: …`, no stack trace) and exit code 1.
 */
export function runCli(name: string, main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then(exitWhenFlushed, (err: unknown) => {
      process.stderr.write(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
      exitWhenFlushed(1);
    });
}
