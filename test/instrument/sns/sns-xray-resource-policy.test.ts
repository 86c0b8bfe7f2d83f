import { MAX_POLICY_DOCUMENT_LENGTH, snsXRayPolicyDocument } from '../../../lib/instrument/sns/sns-xray-resource-policy';
import { expectedSnsXRayPolicy } from '../../support/sns-xray-policy';

describe('the SNS X-Ray resource policy document', () => {
  test('covers every topic of one account in one region, and fits X-Ray\'s 5 KB with the longest partition and region', () => {
    // GIVEN the longest partition (10 characters) and region (15) there are
    const document = snsXRayPolicyDocument('aws-us-gov', 'r'.repeat(15), '123456789012');
    // THEN one statement for sns.amazonaws.com, scoped to the account and its topics in the region
    expect(document).toEqual(expectedSnsXRayPolicy('123456789012', `arn:aws-us-gov:sns:${'r'.repeat(15)}:123456789012:*`));
    expect(JSON.stringify(document).length).toBeLessThanOrEqual(MAX_POLICY_DOCUMENT_LENGTH);
  });
});
