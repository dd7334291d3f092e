// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { OcfError } from '../../../../lib/ocf/index.js';
import { bindFailure, fpingArgv, iputilsArgv, iputilsUsageError, parseFpingOutput } from '../../../../agents/ping/icmp.js';
import { checkIputilsOptions } from '../../../../agents/ping/iputils-options.js';
import { planProbe } from '../../../../agents/ping/timing.js';

const plan = planProbe(1000, 3, 55_000);
// What `plan` asks of fping: 3 requests (2 retries) of 333 ms each, with no back-off.
const planOptions = ['-r', '2', '-t', '333', '-B', '1.0'];

describe('ping over fping', () => {
  it('asks fping for `attempts` requests in all, sharing the timeout, with no back-off', () => {
    const hosts = ['192.0.2.1', '2001:db8::1'];
    expect(fpingArgv(hosts, plan, ['-e'], false)).toEqual(['fping', ...planOptions, '-e', ...hosts]);
  });

  it("as root, spaces hosts 1 ms apart, before the user's options so theirs win", () => {
    expect(fpingArgv(['192.0.2.1'], plan, ['-i', '5'], true)).toEqual(['fping', '-i', '1', ...planOptions, '-i', '5', '192.0.2.1']);
  });

  it("reads each host's verdict and the reason a host was lost", () => {
    const stdout = '192.0.2.1 is alive\n2001:db8::1 is alive (0.05 ms)\n192.0.2.9 is unreachable\n198.51.100.7 is unreachable\n';
    const stderr =
      '198.51.100.7: error while sending ping: Network is unreachable\n' +
      'nosuch.invalid: Name or service not known\n' +
      'ICMP Host Unreachable from 192.0.2.11 for ICMP Echo sent to 192.0.2.9\n';
    const { answers, measured } = parseFpingOutput(
      stdout,
      stderr,
      ['192.0.2.1', '2001:db8::1', '192.0.2.9', '198.51.100.7', 'nosuch.invalid'],
      plan,
    );
    expect(measured).toBe(true);
    expect(Object.fromEntries(answers)).toEqual({
      '192.0.2.1': { reachable: true, detail: 'answered' },
      '2001:db8::1': { reachable: true, detail: 'answered' },
      '192.0.2.9': { reachable: false, detail: 'ICMP Host Unreachable from 192.0.2.11' },
      '198.51.100.7': { reachable: false, detail: 'error while sending ping: Network is unreachable' },
      'nosuch.invalid': { reachable: false, detail: 'Name or service not known' },
    });
  });

  it('says how long a silent host was waited for', () => {
    expect(parseFpingOutput('192.0.2.9 is unreachable\n', '', ['192.0.2.9'], plan).answers.get('192.0.2.9')).toEqual({
      reachable: false,
      detail: 'no answer to 3 echo requests within 1000 ms',
    });
  });

  it('counts names that do not resolve as measured (unreachable), but not a usage error', () => {
    expect(parseFpingOutput('', 'nosuch.invalid: Name or service not known\n', ['nosuch.invalid'], plan).measured).toBe(true);
    const usage = parseFpingOutput('', "fping: invalid option -- 'Z'\nsee 'fping -h' for usage information\n", ['192.0.2.1'], plan);
    expect(usage.measured).toBe(false);
    expect(usage.answers.get('192.0.2.1')?.reachable).toBe(false);
  });
});

describe('ping over iputils ping', () => {
  it('stops at the first answer and spreads the attempts over the timeout', () => {
    expect(iputilsArgv('192.0.2.1', plan, [], true)).toEqual(['ping', '-n', '-q', '-c', '1', '-w', '1', '-i', '0.333', '192.0.2.1']);
  });

  it('rounds the deadline up to whole seconds and respects the 200 ms floor for non-root users', () => {
    const argv = iputilsArgv('gw', planProbe(2500, 25, 55_000), ['-4'], false);
    expect(argv).toEqual(['ping', '-n', '-q', '-c', '1', '-w', '3', '-i', '0.200', '-4', 'gw']);
  });
});

describe('a bind to an interface or source address that is not there: every host unreachable, not a refusal', () => {
  it.each([
    ['binding to specific interface (SO_BINTODEVICE): No such device\n'], // fping 5.1 -I
    ['fping: cannot bind source address : Cannot assign requested address\n'], // fping -S
    ['ping: SO_BINDTODEVICE nosuchif: No such device\n'], // iputils -I NIC
    ['ping: bind: Cannot assign requested address\n'], // iputils -I ADDRESS
  ])('%j', (stderr) => {
    expect(bindFailure(stderr)).toBe(stderr.trim());
  });

  it.each([
    ['ping: SO_BINDTODEVICE nosuchif: Operation not permitted\n'], // a privilege: this node's tools
    ['ping: connect: Network is unreachable\n'],
    ["fping: can't create socket (must run as root?)\n"],
    [''],
  ])('not %j', (stderr) => {
    expect(bindFailure(stderr)).toBeUndefined();
  });
});

describe("iputils ping's own refusals, told from unreachable hosts", () => {
  const stats = '\n--- 192.0.2.9 ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n';
  it.each([
    [2, "ping: invalid option -- 'Z'\n\nUsage\n  ping [options] <destination>\n", "ping: invalid option -- 'Z'"],
    [1, "ping: invalid argument: 'x'\n", "ping: invalid argument: 'x'"],
    [2, 'ping: invalid -M argument: bogus\n', 'ping: invalid -M argument: bogus'],
    [1, "ping: invalid argument: '-5': out of range: 0 <= value <= 2147483647\n", "ping: invalid argument: '-5': out of range"],
    [2, 'ping: SO_BINDTODEVICE nosuchif: Operation not permitted\n', 'ping: SO_BINDTODEVICE nosuchif: Operation not permitted'],
    [1, 'ping: usage error: Destination address required\n', 'ping: usage error: Destination address required'],
  ])('exit %i with %j is a refusal', (exitCode, stderr, complaint) => {
    expect(iputilsUsageError(exitCode, '', stderr)).toContain(complaint);
  });

  it.each([
    [2, '', 'ping: nosuch.invalid: Name or service not known\n'],
    [2, '', 'ping: connect: Network is unreachable\n'],
    [1, stats, ''],
    [1, stats, 'ping: option argument contains garbage: x\n'], // it warned, then probed
    [0, 'PING …', ''],
  ])('exit %i with %j / %j is an answer about the host', (exitCode, stdout, stderr) => {
    expect(iputilsUsageError(exitCode, stdout, stderr)).toBeUndefined();
  });

  it('a host whose name holds a word of a complaint is not a refusal: its own error is about the host', () => {
    expect(iputilsUsageError(2, '', 'ping: usage.example: Temporary failure in name resolution\n', 'usage.example')).toBeUndefined();
    expect(iputilsUsageError(2, '', 'ping: usage error: Destination address required\n', 'usage.example')).toContain('usage error');
  });

  it.each([[['-B', '1.5']], [['-c', '3', 'extra']], [['1.5']], [['--', 'x']]])(
    'refuses options %j that would give ping another destination, with 2 (this node)',
    (options) => {
      let error: unknown;
      try {
        checkIputilsOptions(options);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OcfError);
      expect((error as OcfError).code).toBe(2);
      expect((error as OcfError).reason).toContain('is not a ping option nor its value');
    },
  );

  it.each([[['-4']], [['-I', 'eth0', '-t', '3']], [['-Ieth0', '-Q', '0x10', '-s', '100']], [['-nq']], [['-B']]])(
    'accepts ping options %j',
    (options) => {
      expect(() => checkIputilsOptions(options)).not.toThrow();
    },
  );
});
