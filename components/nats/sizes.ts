import type { SettingsProblem } from "../settingsProblem";

/**
 * Sizes in NATS configuration syntax and their comparison with Kubernetes volume sizes. Pure.
 * nats-server reads K/M/G/T as powers of 1000 and KB/MB/GB/TB (and Ki/KiB…) as powers of 1024, case-insensitive.
 */

export const NATS_SIZE_PATTERN = /^\d+([kmgt]|[kmgt]b|[kmgt]i|[kmgt]ib)?$/i;

const POWER: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4 };

/** Bytes a NATS size stands for, e.g. "8GB" → 8 × 1024³, "8G" → 8 × 1000³. */
export function natsSizeBytes(size: string): number {
  if (!NATS_SIZE_PATTERN.test(size)) throw new Error(`"${size}" is not a NATS size such as 8GB or 256MB`);
  const match = /^(\d+)([a-z]*)$/i.exec(size) as RegExpExecArray;
  const digits = Number(match[1]);
  const suffix = match[2].toLowerCase();
  if (suffix === "") return digits;
  const base = suffix.length === 1 ? 1000 : 1024;
  return digits * base ** POWER[suffix[0]];
}

/** Bytes of a Kubernetes storage quantity such as 10Gi or 500Mi. */
export function kubernetesQuantityBytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`"${quantity}" is not a Kubernetes quantity such as 10Gi`);
  return Number(match[1]) * 1024 ** POWER[match[2][0].toLowerCase()];
}

/**
 * JetStream refuses to start when max_file_store exceeds the space on its volume, so on Kubernetes the PVC
 * (kubernetes.nats.storageSize) must hold nats.jetstream.maxFileStore.
 */
export function natsStorageProblems(maxFileStore: string, storageSize: string): SettingsProblem[] {
  if (natsSizeBytes(maxFileStore) <= kubernetesQuantityBytes(storageSize)) return [];
  return [
    {
      path: ["jetstream", "maxFileStore"],
      message: `must fit on the JetStream volume (kubernetes.nats.storageSize ${storageSize}); lower it or raise storageSize`,
    },
  ];
}
