import { MAX_LISTED_TOPICS, MAX_POLICY_DOCUMENT_LENGTH, snsXRayPolicyDocument } from '../../../lib/instrument/sns/sns-xray-resource-policy';

describe('the SNS X-Ray resource policy document', () => {
  test('lists up to 15 topics, which fit X-Ray\'s 5 KB even with the longest ARNs possible', () => {
    // GIVEN the longest topic ARN: a 10-character partition, a 15-character region, a 256-character name
    const longest = `arn:aws-us-gov:sns:${'r'.repeat(15)}:123456789012:${'t'.repeat(256)}`;
    // WHEN the most topics the policy lists, and one more, are written
    const fits = JSON.stringify(snsXRayPolicyDocument('123456789012', Array(MAX_LISTED_TOPICS).fill(longest)));
    const overflows = JSON.stringify(snsXRayPolicyDocument('123456789012', Array(MAX_LISTED_TOPICS + 1).fill(longest)));
    // THEN
    expect(MAX_LISTED_TOPICS).toBe(15);
    expect(fits.length).toBeLessThanOrEqual(MAX_POLICY_DOCUMENT_LENGTH);
    expect(overflows.length).toBeGreaterThan(MAX_POLICY_DOCUMENT_LENGTH);
  });
});
