// SPDX-License-Identifier: Apache-2.0
// The context every vip hook works on.
import type { ResourceContext } from '../../lib/ocf/index.js';
import type { FloatingAddress } from './address.js';

/** What every vip hook works on: the address of `ip`, parsed once per action by the kit (resolve). */
export type VipContext = ResourceContext<FloatingAddress>;
