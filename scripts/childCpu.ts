import { readFileSync } from "node:fs";

/**
 * CPU time (user + system, ms) of this process's finished and waited-for children, from /proc/self/stat (cutime,
 * cstime; Linux only, else undefined). Read before and after a child runs, the difference is what that child and its
 * own children used: on a shared machine a steadier figure than wall time.
 */
export function childCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/self/stat", "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name, which is in parentheses and may hold spaces: cutime and cstime are fields 16 and
  // 17 of proc(5), 14th and 15th after the ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[13]) + Number(fields[14]);
  // USER_HZ is 100 on every Linux architecture Node supports.
  return Number.isFinite(ticks) ? ticks * 10 : undefined;
}
