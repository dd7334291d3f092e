// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { custom, defaultText, duration, integer, override, parseParams } from '../../../../lib/spec/index.js';
import { parseDurationMs } from '../../../../lib/time/index.js';

describe('durations', () => {
  it.each([
    ['2', 2000],
    ['5s', 5000],
    ['5sec', 5000],
    [' 1.5 ', 1500],
    ['500ms', 500],
    ['500msec', 500],
    ['2m', 120_000],
    ['2min', 120_000],
    ['1h', 3_600_000],
    ['1hr', 3_600_000],
    ['0', 0],
    ['3S', 3000],
    // Pacemaker reads a unit by its first letters (pcmk__parse_ms): what attrd takes is taken here
    ['10seconds', 10_000],
    ['2 minutes', 120_000],
    ['1hour', 3_600_000],
    ['1500usec', 2],
    ['5Secs', 5000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 'abc', '5x', '-1', '1,5', 's', '5 s s', '5days', '5s!'])('refuses %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});

describe('the duration kind', () => {
  const spec = {
    wait: duration({ unit: 's', default: 5000, allowZero: true, desc: 'Wait.' }),
    poll: duration({ unit: 'ms', allowZero: false, desc: 'Poll.' }),
  };
  const parse = (env: Record<string, string>) =>
    parseParams(spec, Object.fromEntries(Object.entries(env).map(([k, v]) => [`OCF_RESKEY_${k}`, v])));

  it('reads a bare number in its declared unit and a written unit as written', () => {
    expect(parse({ wait: '2', poll: '250' })).toEqual({ wait: 2000, poll: 250 });
    expect(parse({ wait: '500ms', poll: '2s' })).toEqual({ wait: 500, poll: 2000 });
  });

  it('gives the default in milliseconds and shows it as Pacemaker writes it', () => {
    expect(parse({})).toEqual({ wait: 5000 });
    expect(defaultText(spec.wait)).toBe('5s');
    expect(defaultText(duration({ unit: 's', default: 1500, allowZero: true, desc: 'x' }))).toBe('1500ms');
    expect(spec.wait.contentType).toBe('string');
  });

  it('refuses what is not a duration, and zero unless allowed', () => {
    expect(() => parse({ wait: 'soon' })).toThrow("parameter wait: expected a duration such as 5, 5s or 500ms, got 'soon'");
    expect(() => parse({ poll: '0' })).toThrow("parameter poll: must be longer than 0, got '0'");
    expect(parse({ wait: '0' })).toEqual({ wait: 0 });
  });
});

describe('the custom kind', () => {
  const even = custom({
    type: 'integer',
    desc: 'An even number.',
    parse: (raw: string) => (/^\d*[02468]$/.test(raw) ? { value: Number(raw) } : { error: `expected an even number, got '${raw}'` }),
  });

  it('parses with its own function and shows its declared type', () => {
    expect(parseParams({ even }, { OCF_RESKEY_even: '42' })).toEqual({ even: 42 });
    expect(() => parseParams({ even }, { OCF_RESKEY_even: '3' })).toThrow("parameter even: expected an even number, got '3'");
    expect(even.contentType).toBe('integer');
  });
});

describe('override', () => {
  const base = integer({ default: 3, min: 1, max: 5, desc: 'Base.' });

  it('changes the default and description, and parses as the base does', () => {
    const changed = override(base, { default: 4, desc: 'Changed.' });
    expect(changed.default).toBe(4);
    expect(changed.desc).toBe('Changed.');
    expect(changed.parse('9')).toEqual({ error: 'must be at most 5, got 9' });
    expect(base.default).toBe(3);
  });
});
