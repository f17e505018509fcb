/**
 * The nats-server configuration syntax: a value tree, its escaping, and two renderings of the same tree:
 * the text of `nats-server.conf`, and the nats chart's `config.merge` form (JSON values, raw tokens as `<< … >>`).
 * Pure: no Pulumi.
 */

/** A token written without quotes: a size (8GB) or an environment variable reference ($NAME). */
export interface ConfRaw {
  readonly raw: string;
}

export type ConfValue = string | number | boolean | ConfRaw | readonly ConfValue[] | ConfObject;
export interface ConfObject {
  readonly [key: string]: ConfValue;
}

/** Unquoted tokens allowed in the output: whole-number sizes with a unit, and `$VARIABLE` references. */
const RAW_PATTERN = /^(\d+[A-Za-z]{0,3}|\$[A-Za-z_][A-Za-z0-9_]*)$/;

export function confRaw(raw: string): ConfRaw {
  if (!RAW_PATTERN.test(raw)) {
    throw new Error(`"${raw}" cannot be written unquoted in nats-server.conf: only sizes (8GB) and $VARIABLES can`);
  }
  return { raw };
}

/** A reference to an environment variable; nats-server parses the variable's value as a config value. */
export function confEnv(name: string): ConfRaw {
  return confRaw(`$${name}`);
}

function isRaw(value: ConfValue): value is ConfRaw {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as ConfRaw).raw === "string" &&
    Object.keys(value).length === 1
  );
}

/**
 * A double-quoted string in nats-server.conf syntax. Inside double quotes nats-server expands no variables, and
 * understands exactly these escapes: \\ \" \t \n \r (and \xHH, not needed here). Other control characters are
 * refused rather than guessed at.
 */
export function confString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\t":
        out += "\\t";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      default: {
        const code = ch.codePointAt(0) as number;
        if (code < 0x20 || code === 0x7f) {
          throw new Error(
            `control character U+${code.toString(16).padStart(4, "0")} cannot appear in a nats-server.conf value`,
          );
        }
        out += ch;
      }
    }
  }
  return `${out}"`;
}

/** Keys are written bare, so they are limited to identifier characters. */
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

function confKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new Error(`"${key}" is not a valid nats-server.conf key (letters, digits, _)`);
  return key;
}

function renderValue(value: ConfValue, indent: string): string {
  if (typeof value === "string") return confString(value);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`${value} is not a whole number nats-server.conf can hold`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (isRaw(value)) return confRaw(value.raw).raw;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value as readonly ConfValue[];
    if (items.length === 0) return "[]";
    return `[\n${items.map((v) => `${inner}${renderValue(v, inner)}`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as ConfObject);
  if (entries.length === 0) return "{}";
  return `{\n${renderEntries(value as ConfObject, inner)}\n${indent}}`;
}

function renderEntries(obj: ConfObject, indent: string): string {
  return Object.entries(obj)
    .map(([k, v]) => `${indent}${confKey(k)}: ${renderValue(v, indent)}`)
    .join("\n");
}

/** The text of a configuration file: one top-level `key: value` per line, nested blocks indented. */
export function renderConfText(config: ConfObject, header: readonly string[] = []): string {
  const comments = header.map((line) => `# ${line.replace(/[\r\n]/g, " ")}`);
  return [...comments, renderEntries(config, ""), ""].join("\n");
}

/** JSON form of a value tree for the nats chart's `config.merge` (the chart writes `<< x >>` strings unquoted). */
export type ChartValue = string | number | boolean | ChartValue[] | { [key: string]: ChartValue };

export function toChartMerge(value: ConfValue): ChartValue {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    if (typeof value === "string") {
      confString(value); // the same characters as the text form
      // The chart unquotes any string shaped like `<< x >>`; only confRaw may produce that shape.
      if (/<<\s+.*\s+>>/.test(value)) throw new Error(`"${value}" would be unquoted by the nats chart`);
    }
    return value;
  }
  if (isRaw(value)) return `<< ${confRaw(value.raw).raw} >>`;
  if (Array.isArray(value)) return (value as readonly ConfValue[]).map(toChartMerge);
  return Object.fromEntries(Object.entries(value as ConfObject).map(([k, v]) => [confKey(k), toChartMerge(v)]));
}
