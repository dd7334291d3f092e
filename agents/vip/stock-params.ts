// SPDX-License-Identifier: Apache-2.0
// IPaddr2's parameters, read with IPaddr2's meanings: aliases and old forms resolved, what this
// agent does not implement refused (6) where ignoring it would change the network, the rest warned about.
import { Ocf, OcfError, type ResourceContext } from '../../lib/ocf/index.js';
import { ocfIsTrue, wordsOf } from '../../lib/spec/index.js';
import type { Family } from './address.js';
import type { VipParams } from './spec.js';

/** The settings start, monitor and stop act on, after IPaddr2's rules. */
export interface VipSettings {
  readonly nic: string | undefined;
  readonly iflabel: string | undefined;
  readonly cidrNetmask: string | undefined;
  /** IPv4: ask the segment (arping -D) before adding. */
  readonly checkIPv4Duplicate: boolean;
  /** IPv6: add with nodad and do not wait for DAD. */
  readonly nodad: boolean;
  /** Announcements after the first go on in the background. */
  readonly arpBackground: boolean;
  /** Extra send_arp arguments. */
  readonly sendArpOptions: readonly string[];
}

const arpSenders = ['send_arp', 'iputils_arping', 'libnet_arping', 'ipoibarping'];

/** IPaddr2's reading of its parameters. */
export function vipSettings(p: VipParams, family: Family): VipSettings {
  // nic=eth0:label, IPaddr2's old form: the label part wins over iflabel, as there.
  const [nic, labelInNic] = p.nic?.includes(':')
    ? [p.nic.slice(0, p.nic.indexOf(':')), p.nic.slice(p.nic.indexOf(':') + 1)]
    : [p.nic, undefined];
  const sender = p.arp_sender?.trim() || 'send_arp';
  const bg = p.arp_bg?.trim();
  return {
    nic: nic || undefined,
    // The kernel keeps labels for IPv4 addresses only; IPaddr2 passes one for IPv6 and it is dropped.
    iflabel: family === 4 ? labelInNic || p.iflabel : undefined,
    cidrNetmask: p.cidr_netmask ?? p.netmask,
    checkIPv4Duplicate: p.run_arping !== undefined && p.run_arping.trim() !== '' ? ocfIsTrue(p.run_arping).value : p.check_duplicate,
    nodad: p.nodad !== undefined && p.nodad.trim() !== '' ? ocfIsTrue(p.nodad).value : !p.check_duplicate,
    arpBackground: bg ? ocfIsTrue(bg).value : family === 4,
    sendArpOptions: sender === 'send_arp' ? wordsOf(p.send_arp_opts) : [],
  };
}

/** Every action: such an address lives in another namespace, where this agent never looks (6). */
export function refuseOtherNamespace(p: VipParams): void {
  if (p.network_namespace?.trim())
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `network_namespace '${p.network_namespace}' is not supported by this agent; refusing rather than adding the address to this ` +
        `node's own namespace (use ocf:heartbeat:IPaddr2 for it)`,
    );
}

/** What start refuses to add (6): settings this agent does not implement. */
export function refuseUnimplemented(p: VipParams): void {
  const refuse = (reason: string): never => {
    throw new OcfError(Ocf.ERR_CONFIGURED, reason);
  };
  if (p.unique_clone_address)
    refuse('unique_clone_address=true (one address per clone instance) is not supported by this agent: it manages one address, not cloned');
  const sender = p.arp_sender?.trim();
  if (sender && !arpSenders.includes(sender)) refuse(`arp_sender '${sender}' is not one of ${arpSenders.join(', ')}`);
}

/** A vip runs once: a clone would add the same address on several nodes (IPaddr2 turned it into load sharing). */
export function refuseClone(ctx: ResourceContext): void {
  const clones = Number(ctx.meta.clone_max ?? '1');
  if (clones > 1 || ctx.meta.clone !== undefined || ctx.meta.globally_unique === 'true')
    throw new OcfError(
      Ocf.ERR_CONFIGURED,
      `vip ${ctx.instance} is cloned${ctx.meta.clone_max ? ` (clone-max=${ctx.meta.clone_max})` : ''}: this agent floats one address ` +
        `and does not implement IPaddr2's load-sharing clones; remove the clone`,
    );
}

/** Settings accepted for drop-in use that change nothing here, each with why. */
export function noEffectWarnings(p: VipParams, family: Family): string[] {
  const w: string[] = [];
  if (p.clusterip_hash !== undefined)
    w.push(`clusterip_hash '${p.clusterip_hash}' has no effect: it applies only to cloned addresses, which this agent does not run`);
  if (p.mac !== undefined) w.push(`mac '${p.mac}' has no effect: it applies only to cloned addresses, which this agent does not run`);
  const sender = p.arp_sender?.trim();
  if (sender && sender !== 'send_arp')
    w.push(
      `arp_sender ${sender}: gratuitous ARPs are sent with send_arp, which announces the address the same way` +
        `${p.send_arp_opts ? `; send_arp_opts '${p.send_arp_opts}' (meant for ${sender}) are not used` : ''}`,
    );
  if (p.lvs_ipv6_addrlabel_value !== 99 && !p.lvs_ipv6_addrlabel)
    w.push('lvs_ipv6_addrlabel_value has no effect while lvs_ipv6_addrlabel is false');
  // IPaddr2 4.12 refused it (6); from 4.15 it is true by default and IPv4 addresses ignore it.
  if (family === 4 && p.lvs_ipv6_addrlabel) w.push('lvs_ipv6_addrlabel has no effect on an IPv4 address, as in IPaddr2 4.15 and later');
  if (family === 4 && p.nodad !== undefined) w.push('nodad has no effect on an IPv4 address');
  if (family === 4 && p.preferred_lft !== 'forever') w.push(`preferred_lft '${p.preferred_lft}' has no effect on an IPv4 address`);
  if (family === 6 && (p.iflabel !== undefined || p.nic?.includes(':')))
    w.push('an interface label (iflabel, or nic=NIC:LABEL) has no effect on an IPv6 address: the kernel keeps labels for IPv4 only');
  if (family === 6 && p.lvs_support)
    w.push('lvs_support has no effect on an IPv6 address, as in IPaddr2 (it moves IPv4 copies on lo); see lvs_ipv6_addrlabel');
  if (family === 6 && p.run_arping !== undefined)
    w.push("run_arping has no effect on an IPv6 address (the kernel's duplicate address detection applies; see nodad)");
  if (family === 6 && p.arp_count_refresh > 0) w.push('arp_count_refresh has no effect on an IPv6 address, as in IPaddr2');
  if (p.netmask !== undefined && p.cidr_netmask !== undefined) w.push(`netmask '${p.netmask}' has no effect: cidr_netmask is set`);
  if (family === 4 && p.iflabel !== undefined && p.nic?.includes(':'))
    w.push(`iflabel '${p.iflabel}' has no effect: nic ${p.nic} carries the label, which wins as in IPaddr2`);
  return w;
}
