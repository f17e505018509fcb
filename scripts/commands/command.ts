/**
 * What a command (plan, policy, airgap:manifest, plan:diff) is and how it runs: a function of its arguments and an
 * output pair, so tests run it in-process with captured output, and `runCli` runs it as the process an operator
 * starts.
 */

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type Command = (argv: readonly string[], io: CommandIo) => Promise<number> | number;

/** An unexpected error is one line on stderr (`<name> failed: …`, no stack trace) and exit code 1. */
export async function runCommand(name: string, command: Command, argv: readonly string[], io: CommandIo) {
  try {
    return await command(argv, io);
  } catch (err) {
    io.stderr(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/**
 * Exits once stdout and stderr have handed everything to the OS. Node writes to pipes asynchronously, so
 * `process.exit` straight after a large write drops what a slow reader has not taken yet: `npm run plan | jq`
 * got the first 128 KiB of the plan and nothing more.
 */
export function exitWhenFlushed(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

/** Runs a command as this process: its arguments, stdout and stderr, and its exit code once the output is flushed. */
export function runCli(name: string, command: Command): void {
  const io: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
  void runCommand(name, command, process.argv.slice(2), io).then(exitWhenFlushed);
}
