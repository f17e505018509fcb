import * as pulumi from "@pulumi/pulumi";
import { recorder } from "../../plan/engine/mocks";
import { settle, type RecordedResource } from "../../plan/engine/recorder";

export { recorder } from "../../plan/engine/mocks";
export {
  assertUniqueUrns,
  isSecret,
  plainStrings,
  redactSecrets,
  unwrapSecrets,
  type RecordedResource,
} from "../../plan/engine/recorder";

/** Clears what earlier tests recorded. */
export function resetRecorder(): void {
  recorder.reset();
}

/** Waits for every pending registration, then returns all records. */
export async function settled(): Promise<RecordedResource[]> {
  await settle(recorder);
  return [...recorder.resources];
}

export function resourcesOfType(type: string): RecordedResource[] {
  return recorder.resources.filter((r) => r.type === type);
}

/** The one resource of a type whose logical name matches; fails with the names that do exist. */
export function findResource(type: string, name: string | RegExp): RecordedResource {
  const matches = resourcesOfType(type).filter((r) => (typeof name === "string" ? r.name === name : name.test(r.name)));
  if (matches.length !== 1) {
    const names = resourcesOfType(type).map((r) => r.name);
    throw new Error(
      `expected exactly one ${type} named ${String(name)}, found ${matches.length}; have: ${names.join(", ")}`,
    );
  }
  return matches[0];
}

/** Resolves an Output under mocks (including secret ones) to its plain value. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(output);
}
export { testAwsPlatform, testDockerPlatform, testKubernetesPlatform } from "./platforms";
