import type { RemoteImageArgs } from "@pulumi/docker/remoteImage";
import type { ReleaseArgs } from "@pulumi/kubernetes/helm/v3/release";
import { IMAGE_ID, imagesOf, isPinned } from "../images";
import { violation, type ResourceRule, type StackContext } from "../model";
import { K8S_WORKLOAD_TYPES, prop, T } from "../resourceTypes";
import { asRecord, asString, isFalse, isUnknownValue, shown } from "../values";

/** An image only known after apply is not given the benefit of the doubt: the rule cannot show it is compliant. */
function unknownImage(path: string) {
  return violation(
    `${path} is unknown until apply, so it cannot be checked`,
    "reference the image by <repository>:<tag>@sha256:<digest> in the stack config, or through a docker.RemoteImage in the stack",
  );
}

/** Images are immutable references; on sealed stacks they come only from the mirror. */

const IMAGE_TYPES = [T.dockerRemoteImage, T.dockerContainer, T.cnpgCluster, T.helmRelease, ...K8S_WORKLOAD_TYPES];

export const imagesPinnedByDigest: ResourceRule = {
  kind: "resource",
  name: "images-pinned-by-digest",
  description:
    "Container images are pinned by digest (…@sha256:<64 hex>), so a moved tag cannot change what runs. Mandatory on air-gapped stacks, advisory elsewhere.",
  remediation:
    "Set the image in the stack config as <registry>/<repository>:<tag>@sha256:<digest> (the digest StellaOps's release manifest or `docker buildx imagetools inspect` gives).",
  severity: "medium",
  level: (ctx: StackContext) => (ctx.sealed ? "mandatory" : "advisory"),
  uses: ["sealed"],
  types: IMAGE_TYPES,
  check(r) {
    return imagesOf(r)
      .filter((use) => !isPinned(use.ref))
      .map((use) =>
        isUnknownValue(use.ref)
          ? unknownImage(use.path)
          : violation(
              `${use.path} is "${use.ref}", a tag that can move`,
              `pin it by digest in the stack config: ${use.ref.replace(/@.*$/, "")}@sha256:<digest>`,
            ),
      );
  },
};

const KEEP_LOCALLY = prop<RemoteImageArgs>("keepLocally");
const REPOSITORY_OPTS = prop<ReleaseArgs>("repositoryOpts");
const CHART = prop<ReleaseArgs>("chart");

function mirrorHost(mirror: string): string {
  return mirror.split("/")[0];
}

export const sealedImagesFromMirror: ResourceRule = {
  kind: "resource",
  name: "sealed-sources-from-mirror",
  description:
    "On air-gapped stacks every image and chart comes from the mirror registry (no outbound hostname), and pulled images are kept on the host.",
  remediation:
    "Point every image at airgap.mirrorRegistry, every chart at oci://<mirror host>/… or a vendored .tgz (chart path), and keep keepLocally: true.",
  severity: "high",
  level: (ctx: StackContext) => (ctx.sealed ? "mandatory" : "disabled"),
  uses: ["sealed", "mirrorRegistry"],
  types: IMAGE_TYPES,
  check(r, ctx) {
    if (!ctx.sealed) return [];
    const mirror = ctx.mirrorRegistry;
    if (!mirror) {
      return [
        violation(
          "the stack is sealed but names no mirror registry",
          "set airgap.mirrorRegistry to the local registry every image comes from",
        ),
      ];
    }
    const problems = imagesOf(r)
      .filter((use) => !IMAGE_ID.test(use.ref) && !use.ref.startsWith(`${mirror}/`))
      .map((use) =>
        isUnknownValue(use.ref)
          ? unknownImage(use.path)
          : violation(
              `${use.path} is "${use.ref}", outside the mirror ${mirror}`,
              `load the image into the mirror and reference it as ${mirror}/<repository>@sha256:<digest>`,
            ),
      );
    if (r.type === T.dockerRemoteImage && isFalse(r.props[KEEP_LOCALLY] ?? false)) {
      problems.push(
        violation(
          `${KEEP_LOCALLY} is ${shown(r.props[KEEP_LOCALLY])}: a destroy would delete an image the sealed host cannot pull again`,
          `create the image with ${KEEP_LOCALLY}: true (components/docker/image.ts does)`,
        ),
      );
    }
    if (r.type === T.helmRelease) {
      const host = mirrorHost(mirror);
      const repo = asString(asRecord(r.props[REPOSITORY_OPTS])["repo"]);
      const chart = asString(r.props[CHART]) ?? "";
      const outside =
        (repo !== undefined &&
          !repo.startsWith(`oci://${host}`) &&
          !new RegExp(`^https?://${host}([:/]|$)`).test(repo)) ||
        (/^[a-z]+:\/\//.test(chart) && !chart.startsWith(`oci://${host}`));
      if (outside) {
        problems.push(
          violation(
            `chart ${repo ? `${repo} ` : ""}${chart} is fetched from outside the mirror ${host}`,
            `push the chart to oci://${host}/… or vendor its .tgz and set the chart source's path`,
          ),
        );
      }
    }
    return problems;
  },
};
