export { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
