import { referencesIn } from '../../../lib/check/map/references';
import { templateHops } from '../../../lib/check/map/template-hops';
import { MapNode, NodeState, traceMap } from '../../../lib/check/map/trace-map';

const MERGED: NodeState = { status: 'merged', runtime: 'nodejs22.x', missing: [], unknown: [], acknowledged: [] };
const TRACED: NodeState = { ...MERGED, status: 'xray-traced', runtime: undefined, xrayOn: true };
const DATADOG_TRACED: NodeState = { ...MERGED, status: 'datadog-traced', runtime: undefined };

/** Nodes of a hand-written template: every resource of a drawable type, named after its logical id. */
function nodesOf(template: string, resources: Record<string, { Type: string }>, states: Record<string, NodeState> = {}): Array<[string, MapNode]> {
  return Object.entries(resources).map(([id, r]) => [`${template}#${id}`, {
    id: `${template}/${id}`, type: r.Type, kind: r.Type, noun: r.Type, unit: 'the app', stack: template, state: states[id],
  }]);
}

describe('references in template values', () => {
  test('Ref, both Fn::GetAtt forms, Fn::ImportValue, Fn::Sub (own variables and pseudo parameters skipped) and literal ARNs', () => {
    // GIVEN / WHEN
    const found = referencesIn([
      { Ref: 'Fn' }, { Ref: 'AWS::Region' }, { 'Fn::GetAtt': ['Fn', 'Arn'] }, { 'Fn::GetAtt': 'Table.StreamArn' },
      { 'Fn::ImportValue': 'Backend:PriceArn' },
      { 'Fn::Sub': ['arn:${AWS::Partition}:states:::lambda:invoke ${Worker.Arn} ${Mine} ${!Literal}', { Mine: { Ref: 'Other' } }] },
      '{"Resource":"arn:aws:lambda:us-east-1:111111111111:function:legacy","Next":"B"}',
    ]);
    // THEN
    expect(found).toEqual([
      { kind: 'local', logicalId: 'Fn' },
      { kind: 'local', logicalId: 'Fn', attribute: 'Arn' },
      { kind: 'local', logicalId: 'Table', attribute: 'StreamArn' },
      { kind: 'import', exportName: 'Backend:PriceArn' },
      { kind: 'local', logicalId: 'Worker', attribute: 'Arn' },
      { kind: 'local', logicalId: 'Other' },
      { kind: 'arn', arn: 'arn:aws:lambda:us-east-1:111111111111:function:legacy' },
    ]);
  });

  test('an ARN joined from text and pseudo parameters is one readable ARN; a join with a resource is that resource', () => {
    // GIVEN / WHEN / THEN
    expect(referencesIn({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':111111111111:function:partner']] }))
      .toEqual([{ kind: 'arn', arn: 'arn:${AWS::Partition}:lambda:${AWS::Region}:111111111111:function:partner' }]);
    expect(referencesIn({ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, ':*']] })).toEqual([{ kind: 'local', logicalId: 'Fn', attribute: 'Arn' }]);
  });
});

describe('hops in hand-written templates', () => {
  test('a state machine Definition with substitutions, a literal ARN task, an inline role policy with a wildcard action, a topic\'s inline subscription', () => {
    // GIVEN
    const resources = {
      Flow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          Definition: {
            StartAt: 'A',
            States: {
              A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: '${worker}' }, Next: 'B' },
              B: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:111111111111:function:legacy', End: true },
            },
          },
          DefinitionSubstitutions: { worker: { 'Fn::GetAtt': ['Worker', 'Arn'] } },
        },
      },
      Worker: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['WorkerRole', 'Arn'] } } },
      Caller: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['CallerRole', 'Arn'] } } },
      CallerRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{
            PolicyName: 'calls',
            PolicyDocument: {
              Statement: [
                { Effect: 'Allow', Action: 'lambda:Invoke*', Resource: { 'Fn::Sub': '${Worker.Arn}' } },
                { Effect: 'Deny', Action: 'sns:Publish', Resource: { Ref: 'Topic' } },
                { Effect: 'Allow', Action: '*', Resource: '*' },
              ],
            },
          }],
        },
      },
      Topic: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['Worker', 'Arn'] } }] } },
    };
    const drawn = { Flow: resources.Flow, Worker: resources.Worker, Caller: resources.Caller, Topic: resources.Topic };
    // WHEN
    const map = traceMap([templateHops('T', { Resources: resources })],
      new Map(nodesOf('T', drawn, { Flow: TRACED, Worker: MERGED, Caller: MERGED, Topic: TRACED })));
    // THEN the task by substitution and by literal ARN, the wildcard grant, the inline subscription; not the Deny or the '*' grant
    expect(map.edges.map(({ from, to, via, trace }) => ({ from, to, via, trace }))).toEqual([
      { from: 'T/Caller', to: 'T/Worker', via: 'lambda:InvokeFunction grant', trace: 'continues' },
      { from: 'T/Flow', to: 'T/Worker', via: 'state machine task', trace: 'continues' },
      { from: 'T/Flow', to: 'arn:aws:lambda:us-east-1:111111111111:function:legacy', via: 'state machine task', trace: 'unknown' },
      { from: 'T/Topic', to: 'T/Worker', via: 'SNS subscription', trace: 'continues' },
    ]);
  });

  test('EC2 hosts: an instance through its instance profile, an Auto Scaling group through its launch template', () => {
    // GIVEN
    const resources = {
      Host: { Type: 'AWS::EC2::Instance', Properties: { IamInstanceProfile: { Ref: 'Profile' } } },
      Fleet: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { LaunchTemplate: { LaunchTemplateId: { Ref: 'Template' }, Version: '1' } } },
      Template: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { IamInstanceProfile: { Arn: { 'Fn::GetAtt': ['Profile', 'Arn'] } } } } },
      Profile: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'HostRole' }] } },
      HostRole: { Type: 'AWS::IAM::Role', Properties: {} },
      HostPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'HostRole' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['Jobs', 'Arn'] } }] } },
      },
      Jobs: { Type: 'AWS::SQS::Queue', Properties: {} },
    };
    // WHEN
    const map = traceMap([templateHops('T', { Resources: resources })],
      new Map(nodesOf('T', { Host: resources.Host, Fleet: resources.Fleet, Jobs: resources.Jobs }, { Host: DATADOG_TRACED, Fleet: DATADOG_TRACED })));
    // THEN
    expect(map.edges.map((e) => `${e.from} -> ${e.to} (${e.via}, ${e.trace})`)).toEqual([
      'T/Fleet -> T/Jobs (sqs:SendMessage grant, unknown)',
      'T/Host -> T/Jobs (sqs:SendMessage grant, unknown)',
    ]);
  });

  test('across templates: an event source mapping reads a stream another template exports; a reference loop ends', () => {
    // GIVEN
    const producer = {
      Resources: { Stream: { Type: 'AWS::Kinesis::Stream', Properties: {} } },
      Outputs: { StreamArn: { Value: { 'Fn::GetAtt': ['Stream', 'Arn'] }, Export: { Name: 'Producer:StreamArn' } } },
    };
    const consumer = {
      Resources: {
        Reader: { Type: 'AWS::Lambda::Function', Properties: {} },
        Mapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: { 'Fn::ImportValue': 'Producer:StreamArn' }, FunctionName: { Ref: 'Reader' } } },
        Loop: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: { 'Fn::ImportValue': 'Consumer:Loop' }, FunctionName: { Ref: 'Reader' } } },
      },
      Outputs: { Loop: { Value: { 'Fn::ImportValue': 'Consumer:Loop' }, Export: { Name: 'Consumer:Loop' } } },
    };
    // WHEN
    const map = traceMap([templateHops('P', producer), templateHops('C', consumer)], new Map([
      ...nodesOf('P', { Stream: producer.Resources.Stream }), ...nodesOf('C', { Reader: consumer.Resources.Reader }, { Reader: MERGED }),
    ]));
    // THEN
    expect(map.edges.map((e) => `${e.from} -> ${e.to} (${e.via}, ${e.trace})`)).toEqual(['P/Stream -> C/Reader (Kinesis event source mapping, breaks)']);
  });

  test("an app's own custom resource passing S3's notification configuration, across stacks (aws-cdk-examples lambda-manage-s3-event-notification)", () => {
    // GIVEN a shared stack's bucket, and another stack whose custom resource (not CDK's) points it at a queue and a function
    const shared = {
      Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: {} } },
      Outputs: { Bucket: { Value: { Ref: 'Bucket' }, Export: { Name: 'Shared:Bucket' } } },
    };
    const service = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
        Notification: {
          Type: 'Custom::ManagedNotifications',
          Properties: {
            ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:S3EventNotificationsManager',
            BucketName: { 'Fn::ImportValue': 'Shared:Bucket' },
            NotificationConfiguration: {
              QueueConfigurations: [{ Events: ['s3:ObjectCreated:*'], QueueArn: { 'Fn::GetAtt': ['Queue', 'Arn'] } }],
              LambdaFunctionConfigurations: [{ Events: ['s3:ObjectRemoved:*'], LambdaFunctionArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }],
            },
          },
        },
      },
    };
    // WHEN
    const map = traceMap([templateHops('Shared', shared), templateHops('Service', service)], new Map([
      ...nodesOf('Shared', shared.Resources), ...nodesOf('Service', { Queue: service.Resources.Queue, Fn: service.Resources.Fn }, { Fn: MERGED }),
    ]));
    // THEN both notifications, from the bucket of the other stack; the service token is not a target
    expect(map.edges.map((e) => `${e.from} -> ${e.to} (${e.via}, ${e.trace})`)).toEqual([
      'Shared/Bucket -> Service/Fn (S3 event notification, breaks)',
      'Shared/Bucket -> Service/Queue (S3 event notification, breaks)',
    ]);
  });
});
