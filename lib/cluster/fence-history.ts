// SPDX-License-Identifier: Apache-2.0
import { xmlAttributes } from './xml-attributes.js';

/** One entry of Pacemaker's fencing history (`<fence_event>` of crm_mon or stonith_admin XML). */
export interface FenceEvent {
  readonly target: string;
  readonly action: string;
  /** `success`, `failed` or `pending`. */
  readonly status: string;
  /** When it completed, in ms since the epoch; absent while pending or when the time is unreadable. */
  readonly completedAtMs?: number;
  readonly delegate?: string;
}

/** `<fence_event action="reboot" target="node2" status="success" completed="2026-11-29 18:06:22Z" …/>` elements. */
export function parseFenceHistory(xml: string): FenceEvent[] {
  const events: FenceEvent[] = [];
  for (const m of xml.matchAll(/<fence_event\s([^>]*?)\/?>/g)) {
    const attrs = xmlAttributes(m[1] ?? '');
    const target = attrs.get('target');
    const action = attrs.get('action');
    if (target === undefined || action === undefined) continue;
    const completed = attrs.get('completed');
    const completedAtMs = completed === undefined ? undefined : parsePacemakerTime(completed);
    const delegate = attrs.get('delegate');
    events.push({
      target,
      action,
      status: attrs.get('status') ?? 'pending',
      ...(completedAtMs !== undefined ? { completedAtMs } : {}),
      ...(delegate !== undefined ? { delegate } : {}),
    });
  }
  return events;
}

/**
 * The newest fencing that powered `node` off: a successful `off` or `reboot` with a readable time.
 * `on` does not stop anything, and a failed or pending fencing proves nothing.
 */
export function lastFencingOf(node: string, events: readonly FenceEvent[]): (FenceEvent & { completedAtMs: number }) | undefined {
  let last: (FenceEvent & { completedAtMs: number }) | undefined;
  for (const e of events) {
    if (e.target !== node || e.status !== 'success' || (e.action !== 'off' && e.action !== 'reboot')) continue;
    if (e.completedAtMs === undefined) continue;
    if (last === undefined || e.completedAtMs > last.completedAtMs) last = { ...e, completedAtMs: e.completedAtMs };
  }
  return last;
}

/**
 * Pacemaker's time stamps: `2026-11-29 18:06:22Z` (2.1.5), `2026-11-29 18:06:22.123456 +02:00` (2.1.6 and
 * later), or ISO 8601. A time without a zone is ambiguous, so it is unreadable (undefined).
 */
export function parsePacemakerTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const fraction = (m[3] ?? '').slice(0, 4);
  const zone = m[4] === 'Z' ? 'Z' : (m[4] ?? '').replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
