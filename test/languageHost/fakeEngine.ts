import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as resourcerpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceproto from "@pulumi/pulumi/proto/resource_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/**
 * A stand-in for the Pulumi engine during `pulumi preview`: the ResourceMonitor and Engine gRPC services a program
 * started by the Node.js language host talks to, on 127.0.0.1. It records what the program registers and answers as
 * a preview does for resources to be created: no id (unknown), the inputs as the outputs, the URN the engine would
 * give. No provider runs, so computed outputs stay unknown.
 */

export interface Registration {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  provider: string;
  /** The inputs as sent: unknowns, secrets, resource references and output values in their wire form. */
  inputs: Record<string, unknown>;
  /** When it arrived, on the engine's clock (`elapsedMs`). */
  at: number;
}

export interface LogEntry {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

export interface FakeEngine {
  /** host:port of the ResourceMonitor service (`--monitor`). */
  monitorAddress: string;
  /** host:port of the Engine service (`--engine`). */
  engineAddress: string;
  readonly registrations: readonly Registration[];
  readonly logs: readonly LogEntry[];
  /** Provider functions the program called; each was refused (no provider runs here). */
  readonly invokes: readonly string[];
  /** The root (Stack) resource the program set, or "". */
  readonly rootUrn: string;
  /** Whether the program said it was done (SignalAndWaitForShutdown), as it does at the end of a clean run. */
  readonly shutdownSignalled: boolean;
  /** Milliseconds since the engine started: the clock of `Registration.at`. */
  elapsedMs(): number;
  close(): Promise<void>;
}

/**
 * Features the monitor of the pinned CLI reports (SupportsFeature). `transforms`, `invokeTransforms`,
 * `parameterization` and the hooks are left out: they need callbacks or packages this fake does not serve, and the
 * program uses none of them (an SDK call that needs one fails loudly instead of silently doing nothing).
 */
const SUPPORTED_FEATURES = new Set(["secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"]);

const SEVERITIES: Record<engineproto.LogSeverity, LogEntry["severity"]> = {
  [engineproto.LogSeverity.DEBUG]: "debug",
  [engineproto.LogSeverity.INFO]: "info",
  [engineproto.LogSeverity.WARNING]: "warning",
  [engineproto.LogSeverity.ERROR]: "error",
};

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The URN the engine gives a registration: the parent's whole qualified type (not only its last segment) joined with
 * `$`, except under the root stack. pulumi/pulumi @ v3.248.0 (a88168d8), pkg/resource/deploy/deployment.go
 * (generateURN) and sdk/go/common/resource/urn/urn.go (New).
 */
export function engineUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
  const parentType = parentUrn === "" ? "" : (parentUrn.split("::")[2] ?? "");
  const qualified = parentType === "" || parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function unimplemented(what: string): grpc.ServiceError {
  return Object.assign(new Error(`${what}: not served by the fake engine`), {
    code: grpc.status.UNIMPLEMENTED,
    details: `${what}: not served by the fake engine`,
    metadata: new grpc.Metadata(),
  });
}

export async function startFakeEngine(project: string, stack: string): Promise<FakeEngine> {
  const started = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - started) / 1e6;
  const registrations: Registration[] = [];
  const logs: LogEntry[] = [];
  const invokes: string[] = [];
  let rootUrn = "";
  let shutdownSignalled = false;

  const monitor: Partial<resourcerpc.IResourceMonitorServer> = {
    supportsFeature(call, done) {
      done(
        null,
        new resourceproto.SupportsFeatureResponse().setHassupport(SUPPORTED_FEATURES.has(call.request.getId())),
      );
    },
    registerResource(call, done) {
      const req = call.request;
      const urn = engineUrn(stack, project, req.getParent(), req.getType(), req.getName());
      registrations.push({
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        custom: req.getCustom(),
        provider: req.getProvider(),
        inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        at: since(),
      });
      // Preview of a create: the id is unknown (""), the outputs are the inputs.
      const response = new resourceproto.RegisterResourceResponse().setUrn(urn).setId("");
      response.setObject(req.getObject() ?? new Struct());
      done(null, response);
    },
    registerResourceOutputs(_call, done) {
      done(null, new Empty());
    },
    readResource(call, done) {
      const req = call.request;
      const urn = engineUrn(stack, project, req.getParent(), req.getType(), req.getName());
      done(
        null,
        new resourceproto.ReadResourceResponse().setUrn(urn).setProperties(req.getProperties() ?? new Struct()),
      );
    },
    invoke(call, done) {
      invokes.push(call.request.getTok());
      done(unimplemented(`invoke ${call.request.getTok()}`));
    },
    signalAndWaitForShutdown(_call, done) {
      shutdownSignalled = true;
      done(null, new Empty());
    },
  };

  const engine: Partial<enginerpc.IEngineServer> = {
    log(call, done) {
      const req = call.request;
      logs.push({ severity: SEVERITIES[req.getSeverity()], message: req.getMessage(), urn: req.getUrn() });
      done(null, new Empty());
    },
    getRootResource(_call, done) {
      done(null, new engineproto.GetRootResourceResponse().setUrn(rootUrn));
    },
    setRootResource(call, done) {
      rootUrn = call.request.getUrn();
      done(null, new engineproto.SetRootResourceResponse());
    },
    requirePulumiVersion(_call, done) {
      done(null, new engineproto.RequirePulumiVersionResponse());
    },
  };

  const server = new grpc.Server();
  // Methods left out answer UNIMPLEMENTED, which the SDK reads as "this engine does not do that".
  server.addService(resourcerpc.ResourceMonitorService, monitor as grpc.UntypedServiceImplementation);
  server.addService(enginerpc.EngineService, engine as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  const address = `127.0.0.1:${port}`;

  return {
    monitorAddress: address,
    engineAddress: address,
    registrations,
    logs,
    invokes,
    get rootUrn() {
      return rootUrn;
    },
    get shutdownSignalled() {
      return shutdownSignalled;
    },
    elapsedMs: since,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}
