import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * The user data of the stack's one instance, launch template or launch configuration, tokens shown as ${Ref} /
 * ${Resource.Attr} / ${base64(...)}.
 */
export function userDataLines(stack: Stack): string[] {
  const template = Template.fromStack(stack);
  const [instance] = Object.values(template.findResources('AWS::EC2::Instance'));
  const [launchTemplate] = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  const [launchConfiguration] = Object.values(template.findResources('AWS::AutoScaling::LaunchConfiguration'));
  const base64 = instance?.Properties.UserData ?? launchTemplate?.Properties.LaunchTemplateData.UserData ?? launchConfiguration.Properties.UserData;
  return flatten(base64['Fn::Base64']).split('\n');
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  // A value only known at deployment enters the script base64-encoded by CloudFormation (shellWord): ${base64(<value>)}.
  if (v['Fn::Base64']) return `\${base64(${flatten(v['Fn::Base64'])})}`;
  if (v.Ref) return `\${${v.Ref}}`;
  if (v['Fn::GetAtt']) return `\${${v['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}
