import { shellWord } from './shell-words';
import { TracingConfig } from '../../config';
import { BASH_TAG_LIST, BASH_TAG_VALUE } from '../../datadog/tag-rules';

/** Datadog's documented Linux install script for Agent 7 (it picks dnf, yum or apt for the distribution). */
export const AGENT_INSTALL_SCRIPT_URL = 'https://install.datadoghq.com/scripts/install_script_agent7.sh';
/** Where the user data writes the setup, so that it runs as a process of its own (and can be re-run by hand). */
export const AGENT_SETUP_SCRIPT = '/opt/cdk-trace-merging/datadog-tracing-setup.sh';

/** What the user data of one host needs; every field resolved. */
export interface HostAgentSettings {
  /** The shell lines that set DD_API_KEY at boot; undefined when there is no key (the Agent is then not installed). */
  readonly apiKeyLines?: string[];
  /** The install script's DD_AGENT_MINOR_VERSION ('60' or '60.1'); undefined for the newest Agent 7. */
  readonly agentMinorVersion?: string;
  /** The SHA-256 the downloaded install script must have; undefined: not checked. */
  readonly installScriptSha256?: string;
  /** DD_TRACE_PROPAGATION_STYLE_INJECT for every process (a Java host's, with X-Ray's style); undefined: not set. */
  readonly propagationStyle?: string;
}

/**
 * The user data lines that make a Linux host the HYBRID side of merged tracing, appended to the host's own: they write
 * a setup script (mode 700 from its first byte: it may hold the plaintext key) and run it as its own bash process, so
 * that its `set -e` works whatever the host's user data sets. A failure there is printed and leaves the host untraced:
 * tracing must never stop the host's own user data.
 *
 * The script takes every value the user passed as data: each is a shell word that cannot be code (shellWord), and is
 * checked again on the host against the rule it must follow (a token's value is first known there) before it is used.
 * It then
 * 1. sets DD_ENV / DD_SERVICE / DD_VERSION (and a Java host's propagation styles) for every process: /etc/environment
 *    (login sessions, cron) and systemd's DefaultEnvironment (services started after it), which is how dd-trace in the
 *    app learns the unified service tags;
 * 2. with an API key: reads it, downloads Datadog's install script into a private temporary folder, installs the Agent
 *    with APM on and the same tags, and restarts it.
 */
export function agentUserData(config: TracingConfig, settings: HostAgentSettings): string[] {
  const folder = AGENT_SETUP_SCRIPT.slice(0, AGENT_SETUP_SCRIPT.lastIndexOf('/'));
  return [
    '# cdk-trace-merging: Datadog Agent 7 with APM, and the env/service/version of merged tracing (HYBRID host)',
    `install -d -m 700 ${folder}`,
    `install -m 700 /dev/null ${AGENT_SETUP_SCRIPT}`,
    `cat > ${AGENT_SETUP_SCRIPT} <<'DATADOG_TRACING'`,
    ...setupScript(config, settings),
    'DATADOG_TRACING',
    `bash ${AGENT_SETUP_SCRIPT} || echo 'cdk-trace-merging: merged tracing was not set up on this host (see above), so it sends no traces' >&2`,
  ];
}

/** A variable the script sets for every process, with the bash pattern its value must match on the host and why. */
type HostVariable = [name: string, value: string, pattern: string, problem: string];

/**
 * The variables the script sets: DD_ENV, DD_SERVICE, DD_VERSION (service and version only when given), and the
 * propagation styles when there are any.
 */
function hostVariables(config: TracingConfig, settings: HostAgentSettings): HostVariable[] {
  const tag = (name: string, value: string): HostVariable =>
    [name, value, BASH_TAG_VALUE, `${name} breaks Datadog's tag rules (lowercase letters, digits, _ - : . / only)`];
  const variables = [tag('DD_ENV', config.env)];
  if (config.service !== undefined) variables.push(tag('DD_SERVICE', config.service));
  if (config.version !== undefined) variables.push(tag('DD_VERSION', config.version));
  if (settings.propagationStyle !== undefined) {
    variables.push(['DD_TRACE_PROPAGATION_STYLE_INJECT', settings.propagationStyle, '^[a-z,]+$', 'DD_TRACE_PROPAGATION_STYLE_INJECT is not a list of styles']);
  }
  return variables;
}

function setupScript(config: TracingConfig, settings: HostAgentSettings): string[] {
  const variables = hostVariables(config, settings);
  const lines = [
    '#!/bin/bash',
    'set -euo pipefail',
    // The checks' a-z must mean ASCII letters whatever the host's locale.
    'export LC_ALL=C',
    "refuse() { printf 'cdk-trace-merging: %s\\n' \"$1\" >&2; exit 1; }",
    ...variables.map(([name, value]) => `${name}_VALUE=${shellWord(value)}`),
    ...variables.map(([name, , pattern, problem]) => checked(`$${name}_VALUE`, pattern, problem)),
    `printf '%s\\n' ${variables.map(([name]) => `"${name}=$${name}_VALUE"`).join(' ')} >> /etc/environment`,
    'mkdir -p /etc/systemd/system.conf.d',
    `printf '[Manager]\\nDefaultEnvironment=%s\\n' '${variables.map(([name]) => `"${name}='"$${name}_VALUE"'"`).join(' ')}' > /etc/systemd/system.conf.d/datadog-tracing.conf`,
    'systemctl daemon-reexec',
  ];
  if (settings.apiKeyLines === undefined) return lines;
  return [...lines, ...agentInstall(config, settings, settings.apiKeyLines)];
}

/** Reads the key, installs the Agent with the shared tags and APM on, restarts it. */
function agentInstall(config: TracingConfig, settings: HostAgentSettings, apiKeyLines: string[]): string[] {
  // Host tags: everything but env, which the install script takes on its own (DD_ENV) and writes as the Agent's `env`.
  const hostTags = [
    ...(config.service !== undefined ? [`service:${config.service}`] : []),
    ...(config.version !== undefined ? [`version:${config.version}`] : []),
    ...(config.ddTags !== undefined ? config.ddTags.split(',') : []),
  ];
  const installer = '"$DD_INSTALL_DIR/install_script_agent7.sh"';
  const install = [
    'DD_API_KEY="$DD_API_KEY"',
    'DD_SITE="$DD_SITE_VALUE"',
    'DD_ENV="$DD_ENV_VALUE"',
    ...(hostTags.length > 0 ? ['DD_HOST_TAGS="$DD_HOST_TAGS_VALUE"'] : []),
    'DD_AGENT_MAJOR_VERSION=7',
    ...(settings.agentMinorVersion !== undefined ? [`DD_AGENT_MINOR_VERSION=${shellWord(settings.agentMinorVersion)}`] : []),
  ];
  return [
    `DD_SITE_VALUE=${shellWord(config.site)}`,
    checked('$DD_SITE_VALUE', '^[a-z0-9.-]+$', 'DD_SITE is not a Datadog site name'),
    ...(hostTags.length > 0 ? [
      `DD_HOST_TAGS_VALUE=${shellWord(hostTags.join(','))}`,
      checked('$DD_HOST_TAGS_VALUE', BASH_TAG_LIST, "the host tags break Datadog's tag rules (key:value pairs, lowercase)"),
    ] : []),
    // Ubuntu's images have no AWS CLI: it comes from the snap store (Amazon Linux 2 and 2023 ship it).
    'export PATH="$PATH:/snap/bin"',
    'if ! command -v aws >/dev/null 2>&1; then snap wait system seed.loaded && snap install aws-cli --classic; fi',
    // A folder only root can read (mktemp -d makes it 700) for the installer and the key's ciphertext; gone on exit.
    'DD_INSTALL_DIR="$(mktemp -d)"',
    'trap \'rm -rf "$DD_INSTALL_DIR"\' EXIT',
    ...apiKeyLines,
    // The install script writes the key into datadog.yaml: only a key of letters and digits (Datadog's are hexadecimal) goes.
    checked('$DD_API_KEY', '^[A-Za-z0-9]+$', 'the Datadog API key read at boot is not one (letters and digits only; the secret must hold the key itself, not JSON)'),
    `curl -fsSL --proto '=https' --tlsv1.2 --retry 5 ${AGENT_INSTALL_SCRIPT_URL} -o ${installer}`,
    ...(settings.installScriptSha256 !== undefined
      ? [`printf '%s  %s\\n' ${shellWord(settings.installScriptSha256)} ${installer} | sha256sum -c --quiet - || refuse 'the Datadog install script is not the one agentInstallScriptSha256 names'`]
      : []),
    `${install.join(' ')} bash ${installer}`,
    // Agent 7 runs the trace agent by default; written out so the host's config says so (an image's own apm_config is kept).
    "grep -q '^apm_config:' /etc/datadog-agent/datadog.yaml || printf 'apm_config:\\n  enabled: true\\n' >> /etc/datadog-agent/datadog.yaml",
    'systemctl restart datadog-agent',
  ];
}

/** A line that stops the script, saying why, unless the variable matches the bash pattern. */
function checked(variable: string, pattern: string, problem: string): string {
  return `[[ ${variable} =~ ${pattern} ]] || refuse ${shellWord(problem)}`;
}
