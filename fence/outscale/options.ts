// SPDX-License-Identifier: Apache-2.0
import { boolean, integer, second, select, string, type AgentOptions } from '../../lib/fence/index.js';

/** fence_outscale's own options, and the standard ones whose default or meaning it changes. */
export const outscaleOptions = {
  plug: string({
    short: 'n',
    valueName: 'id',
    aliases: ['port'],
    required: true,
    order: 1,
    desc:
      'VM ID (i-xxxxxxxx), or the value of the tag_key tag of the VM (its Name by default), so Pacemaker node names work without pcmk_host_map. ' +
      'A plug must match exactly one VM, or nothing is done.',
  }),
  region: string({
    short: 'r',
    valueName: 'region',
    order: 2,
    desc: 'Outscale region, e.g. eu-west-2. Default: OSC_REGION, then the profile\'s region, then eu-west-2.',
  }),
  access_key: string({ short: 'a', valueName: 'key', order: 2, desc: 'Access key. Default: OSC_ACCESS_KEY, then the profile.' }),
  secret_key: string({
    valueName: 'key',
    secret: true,
    order: 2,
    desc:
      'Secret key. Accepted on stdin only, never on the command line; or use secret_key_file, secret_key_script, OSC_SECRET_KEY or a profile.',
  }),
  secret_key_file: string({ valueName: 'path', order: 3, desc: 'File whose content is the secret key (surrounding blanks ignored).' }),
  secret_key_script: string({
    valueName: 'path',
    order: 3,
    desc: 'Program whose output is the secret key. It is run with no arguments and no shell, within login_timeout.',
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
    desc: 'API endpoint, with or without /api/v1, e.g. https://api.eu-west-2.outscale.com. Default: OSC_ENDPOINT_API, then the profile, then the region\'s.',
  }),
  ca_file: string({
    valueName: 'path',
    order: 4,
    desc: 'PEM file of certificate authorities trusted for the endpoint, besides the system ones (a private endpoint). Certificates are always verified.',
  }),
  proxy: string({ valueName: 'url', order: 4, desc: 'HTTP proxy, http://[user:password@]host:port. HTTPS goes through a CONNECT tunnel.' }),
  signature_version: select({
    choices: ['osc4', 'aws4'],
    default: 'osc4',
    valueName: 'version',
    order: 4,
    desc: 'Request signature: osc4 (OSC4-HMAC-SHA256) or aws4 (AWS4-HMAC-SHA256).',
  }),
  tag_key: string({ valueName: 'key', default: 'Name', order: 5, desc: 'Tag whose value names a VM, for plugs that are not VM IDs and for the list alias.' }),
  filter: string({
    valueName: 'key=value',
    order: 5,
    desc: 'Tag that list and monitor are limited to (for example Cluster=prod); without it they see every VM of the account.',
  }),
  skip_race_check: boolean({
    order: 6,
    desc:
      'Skip the self-fencing check. By default the agent reads its own VM ID from the metadata service and refuses to stop its own VM.',
  }),
  metadata_url: string({
    valueName: 'url',
    default: 'http://169.254.169.254/latest/meta-data/instance-id',
    order: 6,
    desc: 'Where the VM\'s own ID is read for the self-fencing check; a base URL gets /latest/meta-data/instance-id appended.',
  }),
  api_retries: integer({
    valueName: 'count',
    default: 4,
    min: 0,
    max: 20,
    order: 7,
    desc: 'Retries of a throttled (429, 503), failed (5xx) or unreachable API call, with backoff. 401 and 403 are never retried.',
  }),
  power_timeout: second({ valueName: 'seconds', default: 60, order: 200, desc: 'Test X seconds for status change after ON/OFF.' }),
  shell_timeout: second({
    valueName: 'seconds',
    default: 10,
    order: 200,
    desc: 'Wait X seconds for each API request; it is retried (api_retries) when it times out.',
  }),
  login_timeout: second({
    valueName: 'seconds',
    default: 5,
    order: 200,
    desc: 'Wait X seconds for the metadata service and for secret_key_script.',
  }),
} as const;

export type OutscaleOptions = AgentOptions<typeof outscaleOptions>;
