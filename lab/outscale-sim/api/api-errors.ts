// SPDX-License-Identifier: Apache-2.0
// Outscale error responses: `{Errors:[{Code,Type,Details}], ResponseContext:{RequestId}}` (spec ErrorResponse).
// Codes and statuses from osc-sdk-python gateway_errors.yaml and the user guide's "API Throttling";
// the auth codes are not published, so they are a choice.

export interface ApiErrorItem {
  readonly Code: string;
  readonly Type: string;
  readonly Details: string;
}

/** An error the simulator answers with: HTTP status plus one spec-shaped error item. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly item: ApiErrorItem,
  ) {
    super(`${status} ${item.Type} ${item.Code}: ${item.Details}`);
    this.name = 'ApiError';
  }
}

export const apiErrors = {
  accessDenied: (details: string) => new ApiError(401, { Code: '1', Type: 'AccessDenied', Details: details }),
  invalidParameter: (details: string) => new ApiError(400, { Code: '4045', Type: 'InvalidParameterValue', Details: details }),
  invalidParameterValue: (details: string) => new ApiError(400, { Code: '4047', Type: 'InvalidParameterValue', Details: details }),
  malformedId: (id: string) => new ApiError(400, { Code: '4105', Type: 'InvalidParameterValue', Details: `malformed ID: ${id}` }),
  noSuchVm: (ids: readonly string[]) =>
    new ApiError(400, { Code: '5063', Type: 'InvalidResource', Details: `no such VM: ${ids.join(', ')}` }),
  invalidState: (details: string) => new ApiError(400, { Code: '6003', Type: 'InvalidState', Details: details }),
  throttledPlatform: () => new ApiError(503, { Code: '6', Type: 'ErrorOperationThrottledWholePlatform', Details: 'Request rate exceeded' }),
  throttledAccount: () => new ApiError(429, { Code: '24', Type: 'ErrorOperationThrottledPerAccount', Details: 'Request rate exceeded' }),
  throttledCall: () => new ApiError(429, { Code: '25', Type: 'ErrorOperationThrottledPerCall', Details: 'Request rate exceeded' }),
  internal: () => new ApiError(500, { Code: '2000', Type: 'InternalError', Details: 'internal error (injected)' }),
  unknownOperation: (operation: string) =>
    new ApiError(404, { Code: '12000', Type: 'UnsupportedOperation', Details: `operation ${operation} is not simulated` }),
} as const;

export function errorBody(error: ApiError, requestId: string): object {
  return { Errors: [error.item], ResponseContext: { RequestId: requestId } };
}
