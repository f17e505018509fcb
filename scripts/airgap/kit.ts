import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { AirgapManifest } from "./manifest";
import { sha256File } from "./toolchain";

/**
 * Sealing a kit on the connected machine: every file the manifest names must be in the kit directory; its
 * sha256 goes into the manifest (written as `<kit>/manifest.json`), which scripts/airgap-install.sh checks
 * on the sealed machine. Missing files are listed with where to get them.
 */

export interface MissingFile {
  file: string;
  what: string;
  /** How to obtain it on the connected machine. */
  how: string;
}

function checksum(kitDir: string, file: string): string | undefined {
  const full = join(kitDir, file);
  return existsSync(full) && statSync(full).isFile() ? sha256File(full) : undefined;
}

export function sealKit(manifest: AirgapManifest, kitDir: string): { sealed: AirgapManifest; missing: MissingFile[] } {
  const missing: MissingFile[] = [];
  const sum = (file: string, what: string, how: string): string | undefined => {
    const value = checksum(kitDir, file);
    if (value === undefined) missing.push({ file, what, how });
    return value;
  };
  const cliSum = sum(
    manifest.pulumiCli.file,
    `Pulumi CLI ${manifest.pulumiCli.version}`,
    `curl -fLo ${manifest.pulumiCli.file} ${manifest.pulumiCli.downloadUrl}`,
  );
  const plugins = manifest.plugins.map((p) => {
    const sha256 = sum(p.file, `plugin ${p.name} ${p.version}`, `curl -fLo ${p.file} ${p.downloadUrl}`);
    return sha256 === undefined ? p : { ...p, sha256 };
  });
  const images = manifest.images.map((i) => {
    const sha256 = sum(
      i.file,
      `image ${i.reference}`,
      `skopeo copy --all --preserve-digests docker://<upstream repository>@${i.digest ?? "<digest>"} oci-archive:<kit>/${i.file}`,
    );
    return sha256 === undefined ? i : { ...i, sha256 };
  });
  const charts = manifest.charts.map((c) => {
    if (c.file === undefined) return c;
    const sha256 = sum(
      c.file,
      `chart ${c.name} ${c.version ?? ""}`,
      `helm pull <upstream oci:// or repo> ${c.name} --version ${c.version ?? "<version>"} -d charts/`,
    );
    return sha256 === undefined ? c : { ...c, sha256 };
  });
  const cache = join(kitDir, manifest.npm.cache);
  if (!existsSync(cache) || !statSync(cache).isDirectory()) {
    missing.push({
      file: `${manifest.npm.cache}/`,
      what: "npm cache",
      how: `npm ci --cache ${manifest.npm.cache} (from the project)`,
    });
  }
  return {
    sealed: {
      ...manifest,
      pulumiCli: cliSum === undefined ? manifest.pulumiCli : { ...manifest.pulumiCli, sha256: cliSum },
      plugins,
      images,
      charts,
    },
    missing,
  };
}
