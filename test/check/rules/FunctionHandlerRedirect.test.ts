import { facts, NODE_HANDLER, nodeFunction, PARAM } from './facts';
import { FunctionHandlerRedirect } from '../../../lib/check/rules/FunctionHandlerRedirect';

const JAVA = { Runtime: 'java21', Handler: 'com.example.Handler::handleRequest' };

describe('FunctionHandlerRedirect', () => {
  test('the Datadog handler with DD_LAMBDA_HANDLER (Node/Python) and the exec wrapper (Java/.NET) are compliant', () => {
    // GIVEN a redirected Node.js function and a Java function with the wrapper / WHEN checked / THEN compliant
    expect(FunctionHandlerRedirect.check(nodeFunction())).toEqual({ outcome: 'compliant', wired: `handler redirected to ${NODE_HANDLER}` });
    expect(FunctionHandlerRedirect.check(facts({ ...JAVA, Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/datadog_wrapper' } } })))
      .toEqual({ outcome: 'compliant', wired: 'exec wrapper /opt/datadog_wrapper' });
  });

  test('an own handler, a missing DD_LAMBDA_HANDLER or a missing wrapper is non-compliant', () => {
    // GIVEN a Node.js function with its own handler, one with the Datadog handler only, a Java one without the wrapper
    const own = FunctionHandlerRedirect.check(nodeFunction({ Handler: 'index.handler' }));
    const noOriginal = FunctionHandlerRedirect.check(nodeFunction({}, { DD_LAMBDA_HANDLER: undefined }));
    const java = FunctionHandlerRedirect.check(facts(JAVA));
    // THEN non-compliant, each with its fix
    expect(own).toEqual({
      outcome: 'non-compliant',
      problem: "has handler 'index.handler', which bypasses the Datadog library, so its invocations are not traced by Datadog.",
      fix: `Set the handler to '${NODE_HANDLER}' and DD_LAMBDA_HANDLER to 'index.handler'.`,
    });
    expect(noOriginal).toMatchObject({ outcome: 'non-compliant', fix: "Set DD_LAMBDA_HANDLER to the function's own handler." });
    expect(java).toEqual({
      outcome: 'non-compliant',
      problem: 'is Java but AWS_LAMBDA_EXEC_WRAPPER is unset, so the Datadog tracer never starts.',
      fix: 'Set AWS_LAMBDA_EXEC_WRAPPER=/opt/datadog_wrapper.',
    });
  });

  test('Ruby, Go and images are not applicable (they wrap in code); a deploy-time handler is unknown', () => {
    // GIVEN Ruby, provided.al2023, an image, and a handler from a parameter / WHEN checked
    // THEN not applicable, and unknown for the token
    expect(FunctionHandlerRedirect.check(facts({ Runtime: 'ruby3.3', Handler: 'h.handle' })).outcome).toBe('not-applicable');
    expect(FunctionHandlerRedirect.check(facts({ Runtime: 'provided.al2023', Handler: 'bootstrap' })).outcome).toBe('not-applicable');
    expect(FunctionHandlerRedirect.check(facts({ PackageType: 'Image' })).outcome).toBe('not-applicable');
    expect(FunctionHandlerRedirect.check(nodeFunction({ Handler: PARAM }))).toEqual({ outcome: 'unknown', what: 'its handler' });
  });
});
