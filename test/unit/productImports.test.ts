import { ESLint } from "eslint";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../plan/stackFiles";

/**
 * Product code runs after `npm ci --omit=dev`, without test/: the ESLint rule that keeps it from importing test files
 * must fire on every way of importing, in every product folder, and leave tests free to import the plan.
 */

const IMPORTS_OF_TEST = [
  `import { settled } from "../../test/harness";`,
  `export { configProblems } from "../test/harness/configProblems";`,
  `export async function f() { return import("../../test/harness/cli"); }`,
  `// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const p = require("../test/harness/platforms");`,
];

let eslint: ESLint | undefined;

async function restrictedImports(file: string, code: string): Promise<number> {
  eslint ??= new ESLint({ cwd: PROJECT_ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(PROJECT_ROOT, file) });
  return result.messages.filter((m) => m.message.includes("must not import from test/")).length;
}

describe("product code never imports test/", () => {
  it.each(["index.ts", "components/x.ts", "profiles/x.ts", "plan/x.ts", "policy/x.ts", "scripts/commands/x.ts"])(
    "the lint rule fires in %s",
    async (file) => {
      for (const code of IMPORTS_OF_TEST) expect(await restrictedImports(file, code), code).toBe(1);
    },
  );

  it("lets product code import the plan and tests import both", async () => {
    expect(
      await restrictedImports("scripts/commands/x.ts", `import { planStack } from "../../plan/offlinePlan";`),
    ).toBe(0);
    expect(await restrictedImports("test/unit/x.test.ts", IMPORTS_OF_TEST[0])).toBe(0);
  });
});
