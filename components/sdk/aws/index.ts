/**
 * The part of @pulumi/aws this program uses, imported module by module. The package's index loads every service's
 * index and the enum types of all of them (about 300 modules, a second of CPU) on each program start and in each
 * test file; these modules load only the resource classes named here. Import `* as aws` from this folder, never
 * from "@pulumi/aws" (ESLint enforces it), and add a class here when a component needs one.
 */
export { Provider } from "@pulumi/aws/provider";
export type { Region } from "@pulumi/aws/types/enums";
export type * as types from "@pulumi/aws/types";
export * as ec2 from "./ec2";
export * as elasticache from "./elasticache";
export * as iam from "./iam";
export * as rds from "./rds";
export * as s3 from "./s3";
export * as vpc from "./vpc";
