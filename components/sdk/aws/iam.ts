export { Policy } from "@pulumi/aws/iam/policy";
