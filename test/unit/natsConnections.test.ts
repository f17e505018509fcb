import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { natsExternalConnections, natsUrl } from "../../components/nats/connections";
import { isSecretOutput, valueOf } from "../harness";

describe("NATS connections", () => {
  it("give every NATS service of an existing server the operator's user, the password secret", async () => {
    const connections = natsExternalConnections({
      url: "nats://nats.internal:4222",
      user: "stellaops",
      password: pulumi.secret("operator-password"),
      inboxPrefix: "_INBOX",
    });
    expect(Object.keys(connections)).toEqual(["scanner", "scheduler"]);
    const scanner = connections["scanner"];
    expect(await valueOf(scanner.url)).toBe("nats://nats.internal:4222");
    expect(await valueOf(scanner.user)).toBe("stellaops");
    expect(await valueOf(scanner.password)).toBe("operator-password");
    expect(await isSecretOutput(scanner.password)).toBe(true);
    expect(await valueOf(scanner.inboxPrefix)).toBe("_INBOX");
  });

  it("secret-wrap a password that arrives as a plain string", async () => {
    const connections = natsExternalConnections({
      url: "nats://nats.internal:4222",
      user: "stellaops",
      password: "plain",
      inboxPrefix: "_INBOX",
    });
    expect(await isSecretOutput(connections["scheduler"].password)).toBe(true);
  });

  it("build nats:// URLs from plain hosts only", () => {
    expect(natsUrl("stellaops-dev-nats", 4222)).toBe("nats://stellaops-dev-nats:4222");
    expect(() => natsUrl("user:pw@host", 4222)).toThrow(/not a host name/);
  });
});
