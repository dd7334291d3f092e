// SPDX-License-Identifier: Apache-2.0
// POST /api/v1/<Operation>: injected faults, then authentication, then the schema check, then the operation.
// Throttling and hangs come first, as at a gateway in front of the real API.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, apiErrors, errorBody } from './api-errors.js';
import { operationHandlers } from './api-operations.js';
import type { Failures, OperationFaults } from './faults.js';
import { rawHeaderPairs, sendJson, sleep } from '../http/http-io.js';
import { isObject } from '../json.js';
import type { Operation } from './operations-list.js';
import type { RequestLogEntry } from '../http/request-log.js';
import { checkRequestBody } from '../schemas/schema-check.js';
import { parseAuthorization } from '../auth/signature.js';
import type { Simulator } from '../simulator.js';

export async function handleApiCall(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  operation: Operation,
  entry: RequestLogEntry,
): Promise<void> {
  const requestId = randomUUID();
  const answer = (status: number, payload: object, errorCode?: string): void => {
    sim.log.finish(entry, status, errorCode);
    sendJson(res, status, { ...payload, ResponseContext: { RequestId: requestId } });
  };
  const fail = (error: ApiError): void => answer(error.status, errorBody(error, requestId), error.item.Code);

  entry.body = parseBodyForLog(body);
  const perOp: OperationFaults | undefined = sim.faults.operations[operation];
  const anyOp: OperationFaults | undefined = sim.faults.operations['*'];
  const latencyMs = sim.faults.latencyMs + (perOp?.latencyMs ?? 0) + (anyOp?.latencyMs ?? 0);
  if (latencyMs > 0) {
    entry.fault = `latency ${latencyMs} ms`;
    await sleep(latencyMs);
  }
  const hang = perOp?.hang ?? anyOp?.hang ?? sim.faults.hang;
  if (hang === 'forever') {
    entry.fault = 'hang';
    sim.log.finish(entry, null);
    return; // never answered; the socket stays open until the client gives up
  }
  if (hang !== undefined) {
    entry.fault = `hang ${hang.afterMs} ms`;
    await sleep(hang.afterMs);
  }
  const failures = [perOp?.failures, anyOp?.failures].find((f) => f !== undefined && f.remaining > 0);
  if (failures !== undefined) {
    failures.remaining--;
    entry.fault = `injected ${failures.status} (${failures.remaining} left)`;
    return fail(injectedError(failures));
  }

  const authorization = req.headers.authorization;
  const parsed = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (parsed !== undefined && !('problem' in parsed)) {
    entry.algorithm = parsed.variant.algorithm;
    entry.signedHeaders = parsed.signedHeaders;
  }
  const auth = sim.auth.authenticate(
    { method: req.method ?? 'POST', target: req.url ?? '/', headers: rawHeaderPairs(req), body },
    sim.faults.alwaysUnauthorized,
  );
  entry.accessKey = auth.accessKey;
  if (!auth.ok) {
    entry.auth = auth.outcome;
    entry.authDetail = auth.detail;
    return fail(apiErrors.accessDenied(auth.detail));
  }
  entry.auth = 'ok';

  let json: unknown = {};
  if (body.length > 0) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return fail(apiErrors.invalidParameterValue('the request body is not valid JSON'));
    }
  }
  const violations = checkRequestBody(operation, json);
  if (violations.length > 0) {
    entry.schemaViolations = violations;
    return fail(apiErrors.invalidParameter(violations.map((v) => `${v.path}: ${v.message}`).join('; ')));
  }
  try {
    const result = operationHandlers[operation](isObject(json) ? json : {}, {
      fleet: sim.fleet,
      region: sim.config.region,
      staleStopped: sim.faults.staleStopped,
      paging: sim.config.paging,
    });
    answer(200, result);
  } catch (e) {
    if (e instanceof ApiError) return fail(e);
    throw e;
  }
}

function injectedError(f: Failures): ApiError {
  if (f.status === 503) return apiErrors.throttledPlatform();
  if (f.status === 500) return apiErrors.internal();
  return f.code === '24' ? apiErrors.throttledAccount() : apiErrors.throttledCall();
}

function parseBodyForLog(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
