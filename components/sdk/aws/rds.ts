export { Instance } from "@pulumi/aws/rds/instance";
export { ParameterGroup } from "@pulumi/aws/rds/parameterGroup";
export { SubnetGroup } from "@pulumi/aws/rds/subnetGroup";
