// SPDX-License-Identifier: Apache-2.0
/** OCF exit codes (OCF resource-agent API 1.1 §"Return codes"). */
export const Ocf = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
} as const;

export type OcfCode = (typeof Ocf)[keyof typeof Ocf];

/** What a monitor handler may answer; anything else is thrown as an OcfError. */
export type MonitorResult = typeof Ocf.SUCCESS | typeof Ocf.NOT_RUNNING;

const names = new Map<number, string>(Object.entries(Ocf).map(([name, code]) => [code, `OCF_${name}`]));

/** `OCF_ERR_ARGS` for 2: used in log lines. */
export function ocfCodeName(code: number): string {
  return names.get(code) ?? `exit ${code}`;
}
