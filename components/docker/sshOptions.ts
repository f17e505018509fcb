import { z } from "zod";

/**
 * `docker.sshOpts` become arguments of the `ssh` the Docker provider runs on the machine running Pulumi (a laptop,
 * or the CI runner that previews pull requests). Some ssh options run a program there: ProxyCommand, LocalCommand
 * (with PermitLocalCommand), KnownHostsCommand, `Match exec`, PKCS11Provider and SecurityKeyProvider (load a
 * library), and `-F`/`Include`/`-I` bring in more of them; RemoteCommand replaces the provider's own remote command.
 * A stack file that sets them would run code wherever the stack is previewed, so they are refused here; an operator
 * who needs one sets it in that machine's ~/.ssh/config. Option names and flags: OpenSSH ssh(1) and ssh_config(5).
 */
const COMMAND_OPTIONS = [
  "ProxyCommand",
  "LocalCommand",
  "PermitLocalCommand",
  "KnownHostsCommand",
  "RemoteCommand",
  "Match",
  "Include",
  "PKCS11Provider",
  "SecurityKeyProvider",
];
const COMMAND_OPTION_KEYS = new Set(COMMAND_OPTIONS.map((o) => o.toLowerCase()));
/** ssh(1) flags that take no argument, so more flags may follow them in one word (`-vo`). */
const NO_ARGUMENT_FLAGS = "46AaCfGgKkMNnqsTtVvXxYy";
/** ssh(1) flags that take an argument: glued (`-p2222`) or the next word. */
const ARGUMENT_FLAGS = "BbcDEeFIiJLlmOoPpQRSWw";
const FLAG_WORD = new RegExp(`^-[${NO_ARGUMENT_FLAGS}]*([A-Za-z])(.*)$`, "s");

export const SSH_OPTION_RULE = `must not run a program on this machine (${COMMAND_OPTIONS.join(", ")}, -F, -I): set those in ~/.ssh/config`;

/** Indexes of the words that bring in a command-running ssh option, with what is wrong there. */
export function sshOptionProblems(words: readonly string[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  words.forEach((word, index) => {
    if (/\p{Cc}/u.test(word)) {
      problems.push({ index, message: "must not contain control characters (a newline starts another option)" });
    }
  });
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const flag = FLAG_WORD.exec(word);
    if (!flag) continue;
    const [, letter, rest] = flag;
    if (letter === "F" || letter === "I") {
      problems.push({ index: i, message: SSH_OPTION_RULE });
    } else if (letter === "o") {
      const optionIndex = rest === "" ? i + 1 : i;
      const key = (rest === "" ? (words[i + 1] ?? "") : rest).trim().split(/[\s=]/)[0].toLowerCase();
      if (COMMAND_OPTION_KEYS.has(key)) problems.push({ index: optionIndex, message: SSH_OPTION_RULE });
    }
    // The argument of a flag given as the next word is no flag of its own.
    if (ARGUMENT_FLAGS.includes(letter) && rest === "") i++;
  }
  return problems;
}

/** `docker.sshOpts`: extra ssh arguments, each problem at its index. */
export const sshOptions = z
  .array(z.string({ error: "must be a list of ssh arguments such as -i, ~/.ssh/deploy_ed25519" }))
  .superRefine((words, ctx) => {
    for (const p of sshOptionProblems(words)) ctx.addIssue({ code: "custom", message: p.message, path: [p.index] });
  })
  .default([]);
