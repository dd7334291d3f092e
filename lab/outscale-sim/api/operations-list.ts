// SPDX-License-Identifier: Apache-2.0
// The API calls the simulator answers, at POST /api/v1/<Operation> (spec servers: https://api.{region}.outscale.com/api/v1).

export const operations = ['ReadVms', 'StopVms', 'StartVms', 'CreateTags'] as const;
export type Operation = (typeof operations)[number];

export function isOperation(name: string): name is Operation {
  return (operations as readonly string[]).includes(name);
}
