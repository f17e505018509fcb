import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildLayout } from "../../components/postgres/model";
import { loginCommandLine, PSQL_MISSING_MESSAGE } from "../../components/postgres/loginCommand";
import { postgresSettings } from "../../components/postgres/settings";

/** The CREATEROLE login's shell command, run by /bin/sh as local.Command runs it (no server needed). */

const layout = buildLayout(postgresSettings.parse({ serviceOverrides: { authority: { createRole: true } } }));
const authority = layout.roles.find((r) => r.createRole);
if (!authority) throw new Error("no CREATEROLE role");
const line = loginCommandLine(authority);

describe("the CREATEROLE login command", () => {
  it("refuses clearly, exit 127, when psql is not on the deploy machine's PATH", () => {
    const result = spawnSync("/bin/sh", ["-c", line], { input: "", encoding: "utf8", env: { PATH: "/nonexistent" } });
    expect(result.status).toBe(127);
    expect(result.stderr.trim()).toBe(PSQL_MISSING_MESSAGE);
  });

  it("passes the verifier as a psql variable from the environment, the script on stdin, in one transaction", () => {
    expect(line).toContain(`-v pw_authority="$PW_AUTHORITY"`);
    expect(line).toMatch(/exec psql -X -q --single-transaction -v ON_ERROR_STOP=1 .* -f -$/);
    // psql that fails stops the command (non-zero exit fails the Pulumi step): run a fake psql that fails.
    const result = spawnSync("/bin/sh", ["-c", `psql() { return 3; }; ${line.replace("exec psql", "psql")}`], {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin" },
    });
    expect(result.status).not.toBe(0);
  });
});
