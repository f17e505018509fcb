/**
 * The part of @pulumi/kubernetes this program uses, imported module by module (the package's index and its helm
 * modules load far more than the classes named here on each program start and in each test file). Import
 * `* as k8s` from this folder, never from "@pulumi/kubernetes" (ESLint enforces it).
 */
export { Provider } from "@pulumi/kubernetes/provider";
export type * as types from "@pulumi/kubernetes/types";
export * as apiextensions from "./apiextensions";
export * as apps from "./apps";
export * as batch from "./batch";
export * as core from "./core";
export * as helm from "./helm";
export * as networking from "./networking";
