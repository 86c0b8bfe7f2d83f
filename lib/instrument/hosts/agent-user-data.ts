import { TracingConfig } from '../../config';

/** Datadog's documented Linux install script for Agent 7 (it picks dnf, yum or apt for the distribution). */
export const AGENT_INSTALL_SCRIPT_URL = 'https://install.datadoghq.com/scripts/install_script_agent7.sh';
/** Where the user data writes the Agent setup, so that it runs as a process of its own (and can be re-run by hand). */
export const AGENT_SETUP_SCRIPT = '/opt/cdk-trace-merging/datadog-agent-setup.sh';

/** What the user data of one host needs; every field resolved. */
export interface HostAgentSettings {
  /** The shell lines that set DD_API_KEY at boot; undefined when there is no key (the Agent is then not installed). */
  readonly apiKeyLines?: string[];
  /** The install script's DD_AGENT_MINOR_VERSION ('60' or '60.1'); undefined for the newest Agent 7. */
  readonly agentMinorVersion?: string;
}

/**
 * The user data lines that make a Linux host the HYBRID side of merged tracing, appended to the host's own:
 * 1. DD_ENV / DD_SERVICE / DD_VERSION for every process: /etc/environment (login sessions, cron) and systemd's
 *    DefaultEnvironment (services started after it), which is how dd-trace in the app learns the unified service tags;
 * 2. a setup script, run as its own bash process so that its `set -e` works whatever the host's user data sets, that
 *    reads the API key, installs the Agent with APM on and the same tags, and restarts it. A failure there is printed
 *    and leaves the host untraced: tracing must never stop the host's own user data.
 */
export function agentUserData(config: TracingConfig, settings: HostAgentSettings): string[] {
  const variables = unifiedServiceVariables(config);
  const lines = [
    '# cdk-trace-merging: Datadog Agent 7 with APM, and the env/service/version of merged tracing (HYBRID host)',
    "cat >> /etc/environment <<'DATADOG_TRACING'",
    ...variables.map(([name, value]) => `${name}=${value}`),
    'DATADOG_TRACING',
    'mkdir -p /etc/systemd/system.conf.d',
    "cat > /etc/systemd/system.conf.d/datadog-tracing.conf <<'DATADOG_TRACING'",
    '[Manager]',
    `DefaultEnvironment=${variables.map(([name, value]) => `"${name}=${value}"`).join(' ')}`,
    'DATADOG_TRACING',
    'systemctl daemon-reexec',
  ];
  if (settings.apiKeyLines === undefined) return lines;
  return [
    ...lines,
    `mkdir -p ${AGENT_SETUP_SCRIPT.slice(0, AGENT_SETUP_SCRIPT.lastIndexOf('/'))}`,
    `cat > ${AGENT_SETUP_SCRIPT} <<'DATADOG_TRACING'`,
    ...setupScript(config, settings.apiKeyLines, settings.agentMinorVersion),
    'DATADOG_TRACING',
    `chmod 700 ${AGENT_SETUP_SCRIPT}`,
    `bash ${AGENT_SETUP_SCRIPT} || echo 'cdk-trace-merging: the Datadog Agent was not set up (see above), so this host sends no traces' >&2`,
  ];
}

/** DD_ENV, DD_SERVICE, DD_VERSION as they are set (service and version only when given). */
function unifiedServiceVariables(config: TracingConfig): Array<[string, string]> {
  const variables: Array<[string, string]> = [['DD_ENV', config.env]];
  if (config.service !== undefined) variables.push(['DD_SERVICE', config.service]);
  if (config.version !== undefined) variables.push(['DD_VERSION', config.version]);
  return variables;
}

function setupScript(config: TracingConfig, apiKeyLines: string[], agentMinorVersion: string | undefined): string[] {
  // Host tags: everything but env, which the install script takes on its own (DD_ENV) and writes as the Agent's `env`.
  const hostTags = [
    ...(config.service !== undefined ? [`service:${config.service}`] : []),
    ...(config.version !== undefined ? [`version:${config.version}`] : []),
    ...(config.ddTags !== undefined ? config.ddTags.split(',') : []),
  ];
  const install = [
    'DD_API_KEY="$DD_API_KEY"',
    `DD_SITE='${config.site}'`,
    `DD_ENV='${config.env}'`,
    ...(hostTags.length > 0 ? [`DD_HOST_TAGS='${hostTags.join(',')}'`] : []),
    'DD_AGENT_MAJOR_VERSION=7',
    ...(agentMinorVersion !== undefined ? [`DD_AGENT_MINOR_VERSION='${agentMinorVersion}'`] : []),
  ];
  return [
    '#!/bin/bash',
    'set -euo pipefail',
    // Ubuntu's images have no AWS CLI: it comes from the snap store (Amazon Linux 2 and 2023 ship it).
    'export PATH="$PATH:/snap/bin"',
    'if ! command -v aws >/dev/null 2>&1; then snap wait system seed.loaded && snap install aws-cli --classic; fi',
    ...apiKeyLines,
    `curl -fsSL --retry 5 ${AGENT_INSTALL_SCRIPT_URL} -o /tmp/datadog-agent-install.sh`,
    `${install.join(' ')} bash /tmp/datadog-agent-install.sh`,
    // Agent 7 runs the trace agent by default; written out so the host's config says so (an image's own apm_config is kept).
    "grep -q '^apm_config:' /etc/datadog-agent/datadog.yaml || printf 'apm_config:\\n  enabled: true\\n' >> /etc/datadog-agent/datadog.yaml",
    'systemctl restart datadog-agent',
  ];
}
