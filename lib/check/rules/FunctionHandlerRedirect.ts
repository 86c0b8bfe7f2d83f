import { compliant, FunctionFacts, isIntrinsic, nonCompliant, notApplicable, Rule, shown, unknown } from './rule';
import { AWS_LAMBDA_EXEC_WRAPPER, DD_LAMBDA_HANDLER } from '../../datadog/environment';
import { EXEC_WRAPPER_PATH, RedirectKind } from '../../datadog/runtimes';

/**
 * The Datadog library only traces invocations that go through it: the Datadog handler (Node.js,
 * Python) with the real one in DD_LAMBDA_HANDLER, or Datadog's exec wrapper (Java, .NET).
 * Ruby and Go wrap in code, which synthesis cannot see.
 */
export const FunctionHandlerRedirect: Rule<FunctionFacts> = {
  name: 'FunctionHandlerRedirect',
  severity: 'error',
  check: (fn) => {
    if (fn.isImage) return notApplicable;
    if (fn.runtimeUnknown) return unknown('its runtime, which decides how the handler is redirected');
    const family = fn.row?.family;
    if (!family || family.redirect === RedirectKind.IN_CODE) return notApplicable;
    if (family.redirect === RedirectKind.EXEC_WRAPPER) {
      const wrapper = fn.env[AWS_LAMBDA_EXEC_WRAPPER];
      if (wrapper === EXEC_WRAPPER_PATH) return compliant(`exec wrapper ${EXEC_WRAPPER_PATH}`);
      if (isIntrinsic(wrapper)) return unknown(`its ${AWS_LAMBDA_EXEC_WRAPPER}`);
      return nonCompliant(
        `is ${family.name} but ${AWS_LAMBDA_EXEC_WRAPPER} is ${wrapper === undefined ? 'unset' : shown(wrapper)}, so the Datadog tracer never starts.`,
        `Set ${AWS_LAMBDA_EXEC_WRAPPER}=${EXEC_WRAPPER_PATH}.`);
    }
    const handler = fn.props.Handler;
    if (isIntrinsic(handler)) return unknown('its handler');
    const original = fn.env[DD_LAMBDA_HANDLER];
    if (handler === family.datadogHandler && original !== undefined && original !== '') {
      return compliant(`handler redirected to ${family.datadogHandler}`);
    }
    if (handler === family.datadogHandler) {
      return nonCompliant(`uses the Datadog handler but has no ${DD_LAMBDA_HANDLER}, so Datadog cannot find the real handler.`,
        `Set ${DD_LAMBDA_HANDLER} to the function's own handler.`);
    }
    return nonCompliant(`has handler ${shown(handler)}, which bypasses the Datadog library, so its invocations are not traced by Datadog.`,
      `Set the handler to '${family.datadogHandler}' and ${DD_LAMBDA_HANDLER} to ${shown(handler)}.`);
  },
};
