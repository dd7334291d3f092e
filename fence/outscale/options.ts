// SPDX-License-Identifier: Apache-2.0
import { flag, integer, override, select, standardOptions, string, type AgentOptions } from '../../lib/fence/index.js';

/** fence_outscale's own options, and the standard ones whose default or meaning it changes. */
export const outscaleOptions = {
  plug: override(standardOptions.plug, {
    desc:
      'VM ID (i-xxxxxxxx), or the value of the tag_key tag of the VM (its Name by default), so Pacemaker node names work without ' +
      'pcmk_host_map. ' +
      'A plug must match exactly one VM, or nothing is done.',
  }),
  region: string({
    short: 'r',
    valueName: 'region',
    order: 2,
    desc: "Outscale region, e.g. eu-west-2. Default: OSC_REGION, then the profile's region, then eu-west-2.",
  }),
  access_key: string({ short: 'a', valueName: 'key', order: 2, desc: 'Access key. Default: OSC_ACCESS_KEY, then the profile.' }),
  secret_key: string({
    valueName: 'key',
    secret: true,
    order: 2,
    desc:
      'Secret key. Accepted on stdin only, never on the command line; or use secret_key_file, secret_key_script, OSC_SECRET_KEY or ' +
      'a profile.',
  }),
  secret_key_file: string({ valueName: 'path', order: 3, desc: 'File whose content is the secret key (surrounding blanks ignored).' }),
  secret_key_script: string({
    valueName: 'path',
    order: 3,
    desc:
      'Program whose output is the secret key, by its absolute path; owned by root and writable by no one else. ' +
      'It is run with no arguments and no shell, within login_timeout.',
  }),
  profile: string({ valueName: 'name', order: 3, desc: 'Profile in the configuration file. Default: OSC_PROFILE, then default.' }),
  config_file: string({
    valueName: 'path',
    order: 3,
    desc: 'Outscale configuration file (osc-config-spec JSON). Default: OSC_CONFIG_FILE, then ~/.osc/config.json.',
  }),
  endpoint: string({
    valueName: 'url',
    order: 4,
    desc:
      'API endpoint, with or without /api/v1, e.g. https://api.eu-west-2.outscale.com. Default: OSC_ENDPOINT_API, then the ' +
      "profile, then the region's.",
  }),
  insecure_http: flag({
    order: 4,
    desc:
      'Allow a plain http:// endpoint that is not on loopback. Without it, http:// is accepted for 127.0.0.0/8 and ::1 only: ' +
      'requests are signed, but their answers (a VM state that decides whether a node counts as fenced) could be forged on the way.',
  }),
  ca_file: string({
    valueName: 'path',
    order: 4,
    desc:
      'PEM file of certificate authorities trusted for the endpoint (a private endpoint), added to the CA bundle built into Node.js. ' +
      "The operating system's store (/etc/ssl/certs) is not read: put a private CA here. Certificates are always verified; " +
      'NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not turn that off.',
  }),
  proxy: string({
    valueName: 'url',
    order: 4,
    holdsSecret: (raw: string) => {
      try {
        return new URL(raw.trim()).password !== '';
      } catch {
        return /:[^/@]*@/.test(raw);
      }
    },
    desc:
      'HTTP proxy, http://[user[:password]@]host:port; HTTPS goes through a CONNECT tunnel. Default: https_proxy or HTTPS_PROXY ' +
      "(http_proxy or HTTP_PROXY for an http:// endpoint) unless no_proxy or NO_PROXY names the endpoint's host. " +
      'A URL with a password is refused on the command line; prefer proxy_password_file.',
  }),
  proxy_password_file: string({
    valueName: 'path',
    order: 4,
    desc: 'File whose content is the proxy password (surrounding blanks ignored), for the user named in the proxy URL.',
  }),
  signature_version: select({
    options: ['osc4', 'aws4'],
    default: 'osc4',
    valueName: 'version',
    order: 4,
    desc: 'Request signature: osc4 (OSC4-HMAC-SHA256) or aws4 (AWS4-HMAC-SHA256).',
  }),
  tag_key: string({
    valueName: 'key',
    default: 'Name',
    order: 5,
    desc: 'Tag whose value names a VM, for plugs that are not VM IDs and for the list alias.',
  }),
  filter: string({
    valueName: 'key=value',
    order: 5,
    desc:
      'Tag (for example Cluster=prod) that limits list and monitor, and the VMs a plug may name: a VM without it is never ' +
      'fenced by this device. Without it every VM of the account counts.',
  }),
  skip_race_check: flag({
    order: 6,
    desc:
      'Skip the race check. By default the agent reads its own VM ID from the metadata service and, right before StopVms, ' +
      'does not fence anyone while its own VM is itself being stopped (in a split, the node being fenced yields).',
  }),
  refuse_self_fencing: flag({
    order: 6,
    desc:
      'Refuse to stop the VM this agent runs on. With skip_race_check too, and when the metadata service cannot tell which VM ' +
      'that is, the fence fails. Off by default: Pacemaker asks a node to fence itself only when no other node can.',
  }),
  allow_terminate: flag({
    order: 6,
    desc:
      'Fence VMs whose VmInitiatedShutdownBehavior is terminate, which a stop deletes with their volumes set to be deleted. ' +
      'Without it such a target is refused by off, reboot, monitor and validate-all; the fix is UpdateVm with ' +
      'VmInitiatedShutdownBehavior=stop. ' +
      'A VM set to restart is always refused: off could never see it stopped.',
  }),
  metadata_url: string({
    valueName: 'url',
    default: 'http://169.254.169.254/latest/meta-data/instance-id',
    order: 6,
    desc: "Where the VM's own ID is read for the self-fencing check; a base URL gets /latest/meta-data/instance-id appended.",
  }),
  api_retries: integer({
    valueName: 'count',
    default: 4,
    min: 0,
    max: 20,
    order: 7,
    desc:
      'Retries of an API call that failed in a way that may heal, with backoff. Retried: throttled (429, 503), failed (5xx), ' +
      'timed out, refused or reset connections, a name that does not resolve (EAI_AGAIN: a name that does not exist and a DNS ' +
      'server that did not answer look the same). Never retried: 401 and 403 (bad signatures lock the key), other 4xx, ' +
      "a proxy's 407, an untrusted certificate.",
  }),
  power_timeout: override(standardOptions.power_timeout, {
    default: 40,
    desc:
      'Test X seconds for status change after ON/OFF. Off and reboot count it from the start of the action, delay included, ' +
      "power_wait not (as in fencing.py); reboot's power-on then takes power_wait and at most 5 s more. Honoured under " +
      'Pacemaker too, so a VM that never stops fails with "Timed out waiting to power OFF" instead of being killed silently; ' +
      "0 means no limit. The default, 40, fits Pacemaker's default 60 s timeout: raise it together with pcmk_off_timeout and " +
      'pcmk_reboot_timeout, keeping power_timeout + 2 x power_wait at least 15 s below them.',
  }),
  shell_timeout: override(standardOptions.shell_timeout, {
    default: 10,
    desc:
      'Wait X seconds for each API request; it is retried (api_retries) when it times out. With 0 there is no per-request limit: ' +
      'power_timeout, or the 15 s budget of monitor, list and status, still bounds the action.',
  }),
  login_timeout: override(standardOptions.login_timeout, {
    desc:
      'Wait X seconds for the metadata service and for secret_key_script; 0 means no limit of its own ' +
      "(the action's budget still applies).",
  }),
} as const;

export type OutscaleOptions = AgentOptions<typeof outscaleOptions>;
