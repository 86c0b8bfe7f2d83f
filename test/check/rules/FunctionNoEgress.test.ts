import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { MergedTracingStack } from '../../../lib';
import { functionFacts } from '../../../lib/check/rules/function-facts';
import { FunctionNoEgress } from '../../../lib/check/rules/FunctionNoEgress';
import { templateNetwork } from '../../../lib/check/rules/template-network';
import { ACCOUNT, functionProps } from '../../support/fixtures';
import { reportEntries, violationAt, violations } from '../validation';

const ENV = { account: ACCOUNT, region: 'us-east-1' };

/** A MergedTracingStack with a VPC of the given subnets and a Node.js function in `functionSubnets`. */
function vpcApp(subnetConfiguration: ec2.SubnetConfiguration[], functionSubnets: ec2.SubnetType, extra?: (stack: Stack, vpc: ec2.Vpc) => void) {
  const app = new App();
  const stack = new MergedTracingStack(app, 'Stack', { env: ENV, tracing: { env: 'prod', apiKeySecretArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:dd-AbCdEf` } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: subnetConfiguration.some((s) => s.subnetType === ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0, subnetConfiguration });
  extra?.(stack, vpc);
  const fn = new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X, { vpc, vpcSubnets: { subnetType: functionSubnets } }));
  return { app, stack, vpc, fn };
}

const ISOLATED = [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
const WITH_NAT = [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }];

describe('FunctionNoEgress', () => {
  test('only isolated subnets, no endpoints: a warning naming the subnets, the site and the key\'s service, and what to add', () => {
    // GIVEN a function in PRIVATE_ISOLATED subnets (no NAT, no internet gateway route), its API key in Secrets Manager
    const { stack, vpc } = vpcApp(ISOLATED, ec2.SubnetType.PRIVATE_ISOLATED);
    // WHEN checked
    const v = violationAt(stack, 'Stack/Fn', 'FunctionNoEgress');
    // THEN
    const subnets = vpc.isolatedSubnets.map((s) => stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet));
    expect(v?.severity).toBe('warning');
    expect(v?.description).toBe(
      `This function runs in subnets with no route out of their VPC (${subnets.join(', ')}) and no VPC endpoint for the Datadog site (datadoghq.com) ` +
      'or secretsmanager (the API key, DD_API_KEY_SECRET_ARN), so the Datadog extension cannot send its traces and every trace of this function is lost. ' +
      '[cdk-trace-merging:FunctionNoEgress]');
    expect(v?.suggestedFix).toBe(
      "Put the function in subnets with a NAT gateway (ec2.SubnetType.PRIVATE_WITH_EGRESS), or add interface VPC endpoints for Datadog's intake " +
      '(Datadog PrivateLink, where datadoghq.com offers it) and for secretsmanager (ec2.InterfaceVpcEndpointAwsService).');
  });

  test('private subnets with a NAT gateway: no warning, and the report says how it gets out', () => {
    const { stack } = vpcApp(WITH_NAT, ec2.SubnetType.PRIVATE_WITH_EGRESS);
    expect(violationAt(stack, 'Stack/Fn', 'FunctionNoEgress')).toBeUndefined();
    expect(reportEntries(stack).find((e) => e.path === 'Stack/Fn')?.wired).toContain('a route out of its VPC');
  });

  test('public subnets: a warning, since a route to an internet gateway is no way out for Lambda (its interfaces get no public IP)', () => {
    const app = new App();
    const stack = new MergedTracingStack(app, 'Stack', { env: ENV, tracing: { env: 'prod' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, allowPublicSubnet: true }));
    expect(violationAt(stack, 'Stack/Fn', 'FunctionNoEgress')?.description).toMatch(
      /^This function runs in subnets with no route out of their VPC \(VpcPublicSubnet1Subnet[0-9A-F]+\) and no VPC endpoint for the Datadog site \(datadoghq\.com\), so/);
  });

  test('isolated with a Secrets Manager endpoint only: still a warning, now for the Datadog site alone', () => {
    const { stack } = vpcApp(ISOLATED, ec2.SubnetType.PRIVATE_ISOLATED,
      (_s, vpc) => vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER }));
    expect(violationAt(stack, 'Stack/Fn', 'FunctionNoEgress')?.description).toMatch(
      /no VPC endpoint for the Datadog site \(datadoghq\.com\), so the Datadog extension cannot send/);
  });

  test('isolated with Datadog PrivateLink and a Secrets Manager endpoint: no warning', () => {
    const { stack } = vpcApp(ISOLATED, ec2.SubnetType.PRIVATE_ISOLATED, (_s, vpc) => {
      vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
      vpc.addInterfaceEndpoint('DatadogIntake', { service: new ec2.InterfaceVpcEndpointService('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', 443) });
    });
    expect(violationAt(stack, 'Stack/Fn', 'FunctionNoEgress')).toBeUndefined();
    expect(reportEntries(stack).find((e) => e.path === 'Stack/Fn')?.wired).toContain('VPC endpoints for Datadog (PrivateLink) and secretsmanager');
  });

  test('imported subnets: unknown in the report, no warning', () => {
    // GIVEN a function in a VPC imported by attributes
    const app = new App();
    const stack = new MergedTracingStack(app, 'Stack', { env: ENV, tracing: { env: 'prod', apiKeySecret: secretsmanager.Secret.fromSecretNameV2(new Stack(app, 'Other', { env: ENV }), 'Key', 'dd') } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-1'] });
    new lambda.Function(stack, 'Fn', functionProps(stack, lambda.Runtime.NODEJS_22_X, { vpc }));
    // WHEN / THEN
    expect(violations(stack).filter((v) => v.ruleName === 'cdk-trace-merging:FunctionNoEgress')).toEqual([]);
    const entry = reportEntries(stack).find((e) => e.path === 'Stack/Fn');
    expect(entry?.unknown).toEqual(['FunctionNoEgress']);
    expect(entry?.status).toBe('unknown');
  });

  test('a function outside any VPC is not applicable', () => {
    const facts = functionFacts({ Runtime: 'nodejs22.x' }, {}, { region: 'us-east-1', datadogMappings: new Set() });
    expect(FunctionNoEgress.check(facts)).toEqual({ outcome: 'not-applicable' });
  });

  test('L1 template (CfnInclude-style): a subnet with a default route to a transit gateway has a route out', () => {
    // GIVEN the resources of a hand-written template
    const resources = {
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' } } },
      Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
      Assoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'Table' } } },
      Route: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1' } },
    };
    const facts = functionFacts({ Runtime: 'nodejs22.x', VpcConfig: { SubnetIds: [{ Ref: 'Subnet' }] } }, {},
      { region: 'us-east-1', datadogMappings: new Set() }, templateNetwork(resources));
    // WHEN / THEN
    expect(FunctionNoEgress.check(facts)).toEqual({ outcome: 'compliant', wired: 'a route out of its VPC' });
  });
});
