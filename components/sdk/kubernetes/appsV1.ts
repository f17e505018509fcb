export { StatefulSet } from "@pulumi/kubernetes/apps/v1/statefulSet";
