// SPDX-License-Identifier: Apache-2.0

/** How a stop spends its budget: what it keeps back from the graceful shutdown for what follows. */
export interface StopReserves {
  /** Kept for `virsh destroy`: libvirt waits 10 s between SIGTERM and SIGKILL, then cleans up (SEAPATH measured >15 s). */
  readonly destroyMs: number;
  /** Kept for killing QEMU ourselves when libvirt cannot: SIGKILL and waiting for the process to go. */
  readonly killMs: number;
}

/**
 * The reserves of a stop with `budgetMs` to spend; the graceful shutdown gets the rest (none with
 * force_stop). 40 % (2–17 s) for destroy and 10 % (1–3 s) for the kill: with vm_manager's 30 s stop
 * timeout that leaves ~13 s to shut down cleanly, as SEAPATH's patched agent does.
 */
export function stopReservesMs(budgetMs: number): StopReserves {
  const clamp = (v: number, lo: number, hi: number): number => Math.round(Math.min(hi, Math.max(lo, v)));
  const killMs = clamp(budgetMs * 0.1, 1000, 3000);
  const destroyMs = clamp(budgetMs * 0.4, 2000, 17_000);
  return { destroyMs, killMs };
}

/**
 * What the stop's first libvirt question leaves of a `budgetMs` budget: the kill reserve, so that a
 * hung libvirtd cannot take the time to kill QEMU without it, but never more than half the budget,
 * so that a healthy libvirtd is still asked under a timeout of a second or two.
 */
export function firstQuestionLeavesMs(budgetMs: number): number {
  return Math.min(stopReservesMs(budgetMs).killMs, Math.floor(budgetMs / 2));
}
