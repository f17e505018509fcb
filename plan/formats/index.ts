import type { PlanDocument } from "../offlinePlan";
import { renderMarkdown } from "./markdown";
import { renderMermaid } from "./mermaid";

/** The offline plan's output formats besides JSON (`npm run plan -- --format <name>`). */
export const RENDERERS: Readonly<Record<string, (plan: PlanDocument) => string>> = {
  markdown: renderMarkdown,
  mermaid: renderMermaid,
};
