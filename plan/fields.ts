/**
 * An input path whose first segment the compiler checks against a provider SDK's args type (the installed
 * .d.ts files are the type truth); nested segments follow the bridged provider's names.
 */
export function field<Args>(top: keyof Args & string, ...nested: string[]): string {
  return [top, ...nested].join(".");
}

/** Every path of a list of top-level fields of one args type. */
export function fields<Args>(...tops: (keyof Args & string)[]): string[] {
  return tops;
}
