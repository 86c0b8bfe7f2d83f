/**
 * The X-Ray resource policy document SNS active tracing needs, written out (not read from lib/): for one account's
 * topics, `sourceArn` being the topics' ARN pattern as the test renders it.
 */
export function expectedSnsXRayPolicy(account: string, sourceArn: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'SnsActiveTracing',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account }, StringLike: { 'aws:SourceArn': sourceArn } },
    }],
  };
}
