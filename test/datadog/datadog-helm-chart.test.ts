import { TracingMode } from '../../lib';
import { resolveTracingConfig } from '../../lib/config';
import { DATADOG_CHART_KEYS, chartFullName, chartServiceAccounts } from '../../lib/datadog/datadog-helm-chart';
import { agentChartValues, valuePaths } from '../../lib/instrument/hosts/eks/agent-chart-values';

describe("Datadog's Helm chart facts", () => {
  test('every value the library writes is a key of the pinned chart\'s values.yaml (the fact table)', () => {
    // GIVEN the fullest options (a log level, tags) and a key through the secret backend
    const config = resolveTracingConfig({
      env: 'prod',
      service: 's',
      mode: TracingMode.HYBRID,
      logLevel: 'debug',
      tags: { team: 'core' },
      apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-AbCdEf',
    }, 'test');
    // WHEN the values are built
    const values = agentChartValues(config, { apiKey: 'ENC[x;api_key]', secretBackend: { type: 'aws.secrets', config: {} } });
    // THEN each leaf is a key the chart declares
    const paths = valuePaths(values);
    expect(paths.filter((p) => !(p in DATADOG_CHART_KEYS))).toEqual([]);
    expect(paths).toContain('datadog.logLevel');
    expect(values.datadog).toMatchObject({ tags: ['env:prod', 'team:core'], logLevel: 'debug' });
  });

  test('the chart names its service accounts after the release (its datadog.fullname template)', () => {
    expect(chartServiceAccounts('datadog')).toEqual({ nodeAgent: 'datadog', clusterAgent: 'datadog-cluster-agent' });
    expect(chartFullName('monitoring')).toBe('monitoring-datadog');
    expect(chartFullName('my-datadog-agent')).toBe('my-datadog-agent');
  });
});
