/**
 * Exits once stdout and stderr have handed everything to the OS. Node writes to pipes asynchronously, so
 * `process.exit` straight after a large write drops what a slow reader has not taken yet: `npm run plan | jq`
 * got the first 128 KiB of the plan and nothing more.
 */
export function exitWhenFlushed(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
