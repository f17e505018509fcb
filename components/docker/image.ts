import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerPlatform } from "../platform";

/**
 * A pinned image on the Docker host. `keepLocally` so a destroy never deletes an image an air-gapped host
 * cannot pull again. The reference is validated in profiles/config.ts (digest and mirror on sealed stacks).
 */
export function dockerImage(
  name: string,
  reference: string,
  platform: DockerPlatform,
  parent: pulumi.Resource,
): docker.RemoteImage {
  return new docker.RemoteImage(name, { name: reference, keepLocally: true }, { parent, provider: platform.provider });
}
