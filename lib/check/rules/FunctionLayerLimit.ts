import { compliant, FunctionFacts, isIntrinsic, nonCompliant, Rule, unknown } from './rule';
import { MAX_LAYERS } from '../../datadog/lambda-limits';

/** Lambda refuses more than 5 layers, so the Datadog layers must fit beside the function's own. */
export const FunctionLayerLimit: Rule<FunctionFacts> = {
  name: 'FunctionLayerLimit',
  severity: 'error',
  check: (fn) => {
    const layers = fn.props.Layers;
    if (layers === undefined) return compliant('0 layers');
    if (!Array.isArray(layers)) return isIntrinsic(layers) ? unknown('its list of layers') : compliant('0 layers');
    if (layers.length > MAX_LAYERS) {
      return nonCompliant(`has ${layers.length} layers, over Lambda's limit of ${MAX_LAYERS}; the deployment fails.`,
        'Remove or merge some layers (the Datadog library and extension take two).');
    }
    return compliant(`${layers.length} of ${MAX_LAYERS} layers`);
  },
};
