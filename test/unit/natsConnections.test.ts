import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { natsExternalConnections, natsUrl, natsUrlWithCredentials } from "../../components/nats/connections";
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
    expect(await valueOf(scanner.urlWithCredentials)).toBe("nats://stellaops:operator-password@nats.internal:4222");
    expect(await isSecretOutput(scanner.urlWithCredentials)).toBe(true);
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

  it("percent-encode credentials in the URL form", () => {
    expect(natsUrlWithCredentials("nats://h:4222", "a b", "p@ss:w/rd")).toBe("nats://a%20b:p%40ss%3Aw%2Frd@h:4222");
    expect(() => natsUrlWithCredentials("nats://u:p@h:4222", "a", "b")).toThrow(/without credentials/);
  });

  it("build nats:// URLs from plain hosts only", () => {
    expect(natsUrl("stellaops-dev-nats", 4222)).toBe("nats://stellaops-dev-nats:4222");
    expect(() => natsUrl("user:pw@host", 4222)).toThrow(/not a host name/);
  });
});
