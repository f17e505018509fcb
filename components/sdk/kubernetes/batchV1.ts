export { Job } from "@pulumi/kubernetes/batch/v1/job";
