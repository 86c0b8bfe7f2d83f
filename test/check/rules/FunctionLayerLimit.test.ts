import { nodeFunction, PARAM } from './facts';
import { FunctionLayerLimit } from '../../../lib/check/rules/FunctionLayerLimit';

const arn = (i: number) => `arn:aws:lambda:us-east-1:123456789012:layer:own${i}:1`;

describe('FunctionLayerLimit', () => {
  test('up to 5 layers is compliant, 6 is not, a deploy-time list is unknown', () => {
    // GIVEN functions with 2, 5 and 6 layers, and one whose list comes from a parameter / WHEN checked
    // THEN
    expect(FunctionLayerLimit.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: '2 of 5 layers' });
    expect(FunctionLayerLimit.check(nodeFunction({ Layers: [1, 2, 3, 4, 5].map(arn) })).outcome).toBe('compliant');
    expect(FunctionLayerLimit.check(nodeFunction({ Layers: [1, 2, 3, 4, 5, 6].map(arn) }))).toEqual({
      outcome: 'non-compliant',
      problem: "has 6 layers, over Lambda's limit of 5; the deployment fails.",
      fix: 'Remove or merge some layers (the Datadog library and extension take two).',
    });
    expect(FunctionLayerLimit.check(nodeFunction({ Layers: PARAM }))).toEqual({ outcome: 'unknown', what: 'its list of layers' });
  });
});
