import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * How Fn::Base64 of a value inside the user data is shown: `shown` as ${base64(<value>)}, to assert what the template
 * says; `deployed` encoded as CloudFormation would, to run the script as the host gets it.
 */
export type Base64Values = 'shown' | 'deployed';

/**
 * The user data of the stack's one instance, launch template or launch configuration, tokens shown as ${Ref} /
 * ${Resource.Attr}, and Fn::Base64 of a value as `base64` says.
 */
export function userDataLines(stack: Stack, base64: Base64Values = 'shown'): string[] {
  const template = Template.fromStack(stack);
  const [instance] = Object.values(template.findResources('AWS::EC2::Instance'));
  const [launchTemplate] = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  const [launchConfiguration] = Object.values(template.findResources('AWS::AutoScaling::LaunchConfiguration'));
  const userData = instance?.Properties.UserData ?? launchTemplate?.Properties.LaunchTemplateData.UserData ?? launchConfiguration.Properties.UserData;
  return flatten(userData['Fn::Base64'], base64).split('\n');
}

function flatten(value: unknown, base64: Base64Values): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map((part) => flatten(part, base64)).join(v['Fn::Join'][0]);
  // A value only known at deployment enters the script base64-encoded by CloudFormation (shellWord).
  if (v['Fn::Base64'] !== undefined) {
    const inner = flatten(v['Fn::Base64'], base64);
    return base64 === 'deployed' ? Buffer.from(inner, 'utf-8').toString('base64') : `\${base64(${inner})}`;
  }
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}
