// SPDX-License-Identifier: Apache-2.0
import { integer, string } from '../spec/core.js';
import { flag, second } from './option-spec.js';

/** The actions every fence agent answers (fencing.py's list, in its order). */
export const fenceActions = [
  'on',
  'off',
  'reboot',
  'status',
  'list',
  'list-status',
  'monitor',
  'metadata',
  'manpage',
  'validate-all',
] as const;
export type FenceAction = (typeof fenceActions)[number];

/**
 * Options every fence agent has, with fencing.py's names, letters, defaults and order, so
 * Pacemaker, pcs and admins find what they know from the stock agents.
 */
export const standardOptions = {
  // A string, not a select: an unknown action gets fencing.py's "Unrecognised action" answer.
  action: string({
    default: 'reboot',
    required: true,
    short: 'o',
    valueName: 'action',
    order: 1,
    desc:
      'Fencing action. One of on, off, reboot, status, list, list-status, monitor, metadata, manpage or validate-all; meta-data is ' +
      'accepted for metadata.',
  }),
  plug: string({
    short: 'n',
    valueName: 'id',
    aliases: ['port'],
    required: true,
    order: 1,
    desc:
      'Physical plug number on device, UUID or identification of machine. Several plugs may be given, split by plug_separator; ' +
      'status is ON if any of them is on.',
  }),
  nodename: string({
    valueName: 'name',
    order: 1,
    hidden: true,
    desc: 'Name of the node to be fenced. Pacemaker always sends it; the plug decides what is fenced. Accepted on stdin, not listed.',
  }),
  quiet: flag({
    short: 'q',
    order: 50,
    desc: 'Disable logging to stderr. Does not affect --verbose, --debug-file or syslog (written when HA_LOGFACILITY is set).',
  }),
  verbose: flag({ short: 'v', order: 51, desc: 'Verbose mode: debug messages on stderr, in syslog and in debug_file.' }),
  verbose_level: integer({
    valueName: 'level',
    min: 0,
    invalidBecomes: 0,
    order: 52,
    desc: "Level of debugging detail: above 0 is verbose (debug messages), 0 is not, whatever 'verbose' says.",
  }),
  debug_file: string({ short: 'D', valueName: 'debugfile', aliases: ['debug'], order: 53, desc: 'Write debug information to given file.' }),
  version: flag({ short: 'V', order: 54, desc: 'Display version information and exit.' }),
  help: flag({ short: 'h', order: 55, desc: 'Display help and exit.' }),
  plug_separator: string({
    valueName: 'char',
    default: ',',
    order: 100,
    desc: 'Separator for plug parameter when specifying more than 1 plug.',
  }),
  separator: string({ short: 'C', valueName: 'char', default: ',', order: 100, desc: "Separator for CSV created by 'list' operation." }),
  delay: second({ valueName: 'seconds', default: 0, order: 200, desc: 'Wait X seconds before fencing is started (off and reboot only).' }),
  disable_timeout: string({
    valueName: 'true/false',
    order: 200,
    desc:
      'Disable timeout (true/false) (default: false, even under Pacemaker, unlike fencing.py). When disabled, on and off poll ' +
      'until done and Pacemaker ends them at its pcmk_<action>_timeout with no reason given.',
  }),
  login_timeout: second({ valueName: 'seconds', default: 5, order: 200, desc: 'Wait X seconds for cmd prompt after login.' }),
  power_timeout: second({
    valueName: 'seconds',
    default: 20,
    order: 200,
    desc: 'Test X seconds for status change after ON/OFF. Honoured under Pacemaker too; 0 means no limit.',
  }),
  power_wait: second({
    valueName: 'seconds',
    default: 0,
    order: 200,
    desc: 'Wait X seconds after issuing ON/OFF. The power_timeout counts after this wait, as in fencing.py.',
  }),
  shell_timeout: second({ valueName: 'seconds', default: 3, order: 200, desc: 'Wait X seconds for cmd prompt after issuing command.' }),
  stonith_status_sleep: second({
    valueName: 'seconds',
    default: 1,
    order: 200,
    desc: 'Sleep X seconds between status calls during a STONITH action.',
  }),
  retry_on: integer({
    valueName: 'attempts',
    default: 1,
    min: 0,
    order: 201,
    desc:
      'Count of attempts to retry power on. The on action tries 1 + retry_on times, as fencing.py does; reboot tries retry_on ' +
      'times, and with 0 leaves the node off.',
  }),
} as const;

export type StandardOptions = typeof standardOptions;
