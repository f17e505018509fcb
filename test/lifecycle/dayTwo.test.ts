import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffPlans } from "../../plan/diff/diffPlans";
import { renderDiffMarkdown } from "../../plan/diff/markdown";
import { replacementRule } from "../../plan/model";
import { ConfigError } from "../../profiles/config";
import { planStack, type PlanDocument } from "../../plan/offlinePlan";
import { exampleStacks, PROJECT_ROOT, readStackConfig } from "../../plan/stackFiles";
import { assessEdit, type Violation } from "./assess";
import { DAY_TWO_EDITS, type DayTwoEdit } from "./catalogue";
import { OPEN_ELSEWHERE } from "./openElsewhere";
import type { Overrides } from "./overrides";

/**
 * Lifecycle tier: every day-two edit of the catalogue on every example stack it applies to, planned offline
 * before and after, diffed, every changed resource classified by the replacement model (plan/), and the
 * data-safety promises asserted. Plans run in-process, one at a time (the mocks are global); each stack's
 * file-as-is plan is made once.
 */

const NS = "stellaops-infra";
const STACKS = exampleStacks();
type Planned = { plan: PlanDocument } | { refused: string };

/** Plans are memoised by stack and overrides: edits share their before and after states (protect on/off, …). */
const plans = new Map<string, Promise<Planned>>();

/** The config the program sees (as planStack builds it), so overrides equal to the stack file share a plan. */
function effectiveConfig(stack: string, overrides: Overrides): string {
  const config: Record<string, string> = { ...readStackConfig(stack).config };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return JSON.stringify(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
}

function planWith(stack: string, overrides: Overrides = {}): Promise<Planned> {
  const key = `${stack} ${effectiveConfig(stack, overrides)}`;
  let planned = plans.get(key);
  if (!planned) {
    const previous = [...plans.values()].pop() ?? Promise.resolve();
    // One plan at a time: the mocks and the recorder are global.
    planned = previous.then(
      () => planOnce(stack, overrides),
      () => planOnce(stack, overrides),
    );
    plans.set(key, planned);
  }
  return planned;
}

async function planOnce(stack: string, overrides: Overrides): Promise<Planned> {
  try {
    return { plan: await planStack(stack, { overrides }) };
  } catch (err) {
    if (err instanceof ConfigError) return { refused: err.message };
    throw err;
  }
}

/** The stack promises to keep data when protect or retainOnDelete is on (both default to true). */
function retainsData(stack: string, overrides: Overrides): boolean {
  const { config } = readStackConfig(stack);
  const value = (key: string) => {
    const raw = overrides[`${NS}:${key}`] ?? config[`${NS}:${key}`];
    return raw === undefined ? true : raw === true || raw === "true";
  };
  return value("protect") || value("retainOnDelete");
}

const results: { edit: string; stack: string; violations: Violation[] }[] = [];

function isOpenElsewhere(edit: string, stack: string, v: Violation): boolean {
  return OPEN_ELSEWHERE.some(
    (o) => o.edit === edit && o.stack === stack && o.kind === v.kind && o.resource.test(v.resource),
  );
}

async function run(edit: DayTwoEdit, stack: string): Promise<Violation[]> {
  const beforeOverrides = edit.before?.(stack);
  const before = await planWith(stack, beforeOverrides);
  if (!("plan" in before))
    throw new Error(`the state before "${edit.id}" does not plan on ${stack}: ${before.refused}`);
  const afterOverrides = edit.after(stack);
  const after = await planWith(stack, afterOverrides);
  if (!("plan" in after)) {
    // Refusing a major upgrade with a clear message is the promise kept.
    return edit.means.majorUpgrade
      ? []
      : [{ kind: "refused", resource: stack, why: after.refused.split("\n").slice(0, 3).join(" ") }];
  }
  const diff = diffPlans(before.plan, after.plan);
  const markdown = renderDiffMarkdown(diff, { base: "before", head: edit.title }, Number.MAX_SAFE_INTEGER);
  return assessEdit(edit, diff, markdown, {
    retainsData: retainsData(stack, { ...beforeOverrides, ...afterOverrides }),
  });
}

describe("lifecycle: docs/operations.md is backed by this tier", () => {
  const runbook = readFileSync(join(PROJECT_ROOT, "docs", "operations.md"), "utf8");
  /** GitHub's heading anchors, plus explicit <a id> ones. */
  const anchors = new Set([
    ...[...runbook.matchAll(/^#+ (.+)$/gm)].map(([, h]) =>
      h
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, "")
        .replace(/ /g, "-"),
    ),
    ...[...runbook.matchAll(/<a id="([^"]+)">/g)].map(([, id]) => id),
  ]);

  it.each(DAY_TWO_EDITS.map((e) => [e.id, e.procedure]))("edit %s backs the procedure #%s", (id, procedure) => {
    expect(anchors).toContain(procedure);
    expect(runbook).toContain(`[${id}]`);
  });
});

describe("lifecycle: day-two edits of every example stack", () => {
  beforeAll(async () => {
    for (const stack of STACKS) await planWith(stack);
  });

  it.each(STACKS)("models every resource type %s creates (no prediction falls back to unknown)", async (stack) => {
    const planned = await planWith(stack);
    if (!("plan" in planned)) throw new Error(planned.refused);
    const types = [...new Set(planned.plan.resources.filter((r) => r.custom).map((r) => r.type))];
    expect(types.filter((t) => replacementRule(t) === undefined)).toEqual([]);
  });

  for (const edit of DAY_TWO_EDITS) {
    const stacks = STACKS.filter(edit.appliesTo);
    describe(`${edit.title} [${edit.id}]`, () => {
      it.each(stacks)("keeps every data-safety promise on %s", async (stack) => {
        const violations = await run(edit, stack);
        results.push({ edit: edit.id, stack, violations });
        expect(violations.filter((v) => !isOpenElsewhere(edit.id, stack, v))).toEqual([]);
      });
    });
  }

  afterAll(() => {
    // Each open entry must still be seen: a fixed one is stale and goes from the list.
    const stale = OPEN_ELSEWHERE.filter(
      (o) =>
        results.some((r) => r.edit === o.edit && r.stack === o.stack) &&
        !results.some(
          (r) =>
            r.edit === o.edit && r.stack === o.stack && r.violations.some((v) => isOpenElsewhere(o.edit, o.stack, v)),
        ),
    );
    expect(stale, "OPEN_ELSEWHERE entries that no longer happen: delete them").toEqual([]);
  });
});
