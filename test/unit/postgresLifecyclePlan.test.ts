import { describe, expect, it } from "vitest";
import { planStack, type PlanResource } from "../../plan/offlinePlan";
import { profileOf, settingOverride } from "../harness/stackOverrides";
import { exampleStacks, readStackConfig } from "../../plan/stackFiles";

/**
 * The PostgreSQL layout's day-two promises, read from each example stack's offline plan (what reviewers see):
 * everything inside the server is deleted with it (deletedWith the container / RDS instance, none for an existing
 * server), owner roles are as protected and retained as their schemas, and a CREATEROLE login is a command.
 */

const SERVER_OF: Record<string, string | undefined> = {
  docker: "docker:index/container:Container",
  aws: "aws:rds/instance:Instance",
  external: undefined,
};
/** A CREATEROLE login's command (the major-version guard is a command too, but lives beside the server). */
const isLoginCommand = (r: PlanResource) => r.type === "command:local:Command" && /-login-/.test(r.name);
const inServer = (r: PlanResource) => (r.type.startsWith("postgresql:index/") && r.custom) || isLoginCommand(r);

const stacks = exampleStacks().filter((s) => profileOf(s) !== "kubernetes");

describe.each(stacks)("PostgreSQL layout options in the %s stack's plan", (stack) => {
  const profile = profileOf(stack);
  const config = readStackConfig(stack).config;
  const stateful = {
    protect: config["stellaops-infra:protect"] !== "false",
    retainOnDelete: config["stellaops-infra:retainOnDelete"] !== "false",
  };

  it("deletes every layout resource with the server it lives in; roles are stateful like their schemas", async () => {
    const plan = await planStack(stack);
    const serverType = SERVER_OF[profile];
    const server = serverType
      ? plan.resources.find((r) => r.type === serverType && /postgres/.test(r.name))
      : undefined;
    if (serverType) expect(server, serverType).toBeDefined();
    const layout = plan.resources.filter(inServer);
    expect(layout.length).toBeGreaterThan(20);
    for (const r of layout) expect(r.options.deletedWith, r.name).toBe(server ? server.urn : null);
    for (const type of ["postgresql:index/role:Role", "postgresql:index/schema:Schema"]) {
      const of = plan.resources.filter((r) => r.type === type);
      expect(of.length).toBeGreaterThan(0);
      for (const r of of) expect(r.options, r.name).toMatchObject(stateful);
    }
  });

  it("with createRole for Authority: its login is a command carrying the same options, and no Role", async () => {
    const plan = await planStack(stack, {
      overrides: settingOverride(stack, "postgres.serviceOverrides", { authority: { createRole: true } }),
    });
    const roles = plan.resources.filter((r) => r.type === "postgresql:index/role:Role");
    expect(roles.map((r) => r.inputs["name"])).not.toContain("stellaops_authority");
    for (const r of roles) expect(r.inputs["createRole"], r.name).toBe(false);
    const logins = plan.resources.filter(isLoginCommand);
    expect(logins.map((r) => r.name)).toEqual(["postgres-layout-login-authority"]);
    expect(logins[0].options).toMatchObject(stateful);
    expect(String(logins[0].inputs["stdin"])).toContain("CREATEROLE CONNECTION LIMIT");
    // Its schemas wait for it, and the reviewer still sees their owner.
    const schema = plan.resources.find(
      (r) => r.type === "postgresql:index/schema:Schema" && r.inputs["name"] === "authority",
    );
    expect(schema?.dependencies).toContain(logins[0].urn);
    expect(schema?.inputs["owner"]).toBe("stellaops_authority");
  });
});
