/**
 * Shapes of the lifecycle model: which inputs force a new resource (per resource type), which in-place updates
 * are hazards on a real platform, and the upstream source each fact was read from. Pure data types.
 */

/** Where a fact was read: repository at a tag or commit, the file, and the schema field or function. */
export interface UpstreamSource {
  repository: string;
  /** A release tag or commit. */
  ref: string;
  file: string;
  /** Schema attribute, function or table the fact comes from. */
  symbol: string;
  /** How the ref relates to the installed SDK version, when it is not that exact release. */
  note?: string;
}

/** A replacement condition the plan can evaluate from the two desired states alone. */
export type ForceNewCondition =
  /** Replaced only when the new value is a lower version than the old one (an engine downgrade). */
  "downgrade";

export interface ReplacementRule {
  /** Pulumi type token, e.g. `aws:rds/instance:Instance`. */
  type: string;
  /**
   * Input paths in Pulumi's names, dotted, without array indices (`ports.ip`), whose change forces a new
   * resource. A change at, under or above such a path counts.
   */
  forceNew: readonly string[];
  /** Paths that force a new resource only under a condition. */
  forceNewWhen?: readonly { path: string; when: ForceNewCondition }[];
  /**
   * Inputs the provider replaces on in ways that depend on the live state (the plan cannot tell): said beside
   * an update, never turned into one silently.
   */
  stateDependent?: readonly { path: string; reason: string }[];
  /** What a replacement does on the platform, in an operator's words: what is interrupted, what survives. */
  onReplace?: string;
  source: UpstreamSource;
}

/** Matches a resource by type and, optionally, by one of its desired inputs. */
export interface HazardMatch {
  type: string;
  /** Any change at or under one of these input paths triggers the hazard; empty: any input change. */
  paths: readonly string[];
  /** Only when the desired input at `input` (after the change) equals `equals`. */
  onlyIf?: { input: string; equals: unknown };
  /**
   * Only when the value at the matched path changes its major version (`18.1` → `19.0`, image tags too), or the
   * Debian release a CloudNativePG image tag names (`18.1` on bullseye → `18.1-standard-trixie`).
   */
  when?: "majorVersionChange" | "debianReleaseChange";
}

/**
 * An update the engine attempts in place that fails, or damages data, on a real platform. The plan diff
 * shows it as a hazard: the edit needs a procedure, not a plain `pulumi up`.
 */
export interface UpdateHazard {
  id: string;
  match: HazardMatch;
  /** What goes wrong, in an operator's words. */
  reason: string;
  /** Where the procedure is documented (a docs/ page and section). */
  procedure: string;
  source: UpstreamSource;
}
