// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { flag, second, standardOptions, string } from '../../../../lib/fence/index.js';
import { parseArgvOptions } from '../../../../lib/fence/parse-argv.js';
import { parseStdinOptions } from '../../../../lib/fence/parse-stdin.js';
import { resolveOptions } from '../../../../lib/fence/resolve-options.js';

const spec = {
  ...standardOptions,
  region: string({ short: 'r', valueName: 'region', desc: 'Region.' }),
  secret_key: string({ secret: true, desc: 'Secret.' }),
  skip_race_check: flag({ desc: 'Skip.' }),
  wait: second({ default: 2, desc: 'Wait.' }),
};

function fromStdin(text: string) {
  const { options, malformedLines } = parseStdinOptions(text);
  return { ...resolveOptions(options, spec, 'stdin'), malformedLines };
}

function fromArgv(argv: string[]) {
  const parsed = parseArgvOptions(argv, spec);
  const r = resolveOptions(parsed.options, spec, 'argv');
  return { ...r, errors: [...parsed.errors, ...r.errors] };
}

describe('stdin options, as pacemaker-fenced writes them', () => {
  it.each([
    ['port= from Pacemaker 2.1 sets plug', 'action=off\nnodename=node2\nport=node2\n', 'plug', 'node2'],
    ['plug= from Pacemaker 3.x sets plug', 'action=off\nnodename=node2\nplug=node2\n', 'plug', 'node2'],
    ['the last of a repeated option wins', 'plug=a\nplug=b\n', 'plug', 'b'],
    ['surrounding quotes are removed', 'region="eu-west-2"\n', 'region', 'eu-west-2'],
    ['blanks around a line are stripped', '   region=eu-west-2  \n', 'region', 'eu-west-2'],
    ['the value is split at the first = only', 'region=a=b\n', 'region', 'a=b'],
    ['dashes and underscores are interchangeable', 'power-timeout=30\n', 'power_timeout', 30],
    ['seconds may have a fraction', 'power_timeout=2.5\n', 'power_timeout', 2.5],
    ['a default applies when unset', '', 'power_timeout', 20],
    ['skip_race_check=0 is false, not present', 'skip_race_check=0\n', 'skip_race_check', false],
    ['skip_race_check=yes is true', 'skip_race_check=yes\n', 'skip_race_check', true],
    ['a boolean is false by default', '', 'skip_race_check', false],
    ['debug is the old name of debug_file', 'debug=/tmp/x\n', 'debug_file', '/tmp/x'],
  ])('%s', (_title, text, key, expected) => {
    const r = fromStdin(text);
    expect(r.errors).toEqual([]);
    expect((r.values as Record<string, unknown>)[key]).toEqual(expected);
  });

  it('skips comments and empty lines, and reports lines without = by number only', () => {
    const r = fromStdin('# comment\n\nthis-is-my-secret\nregion=x\n');
    expect(r.malformedLines).toEqual([3]);
    expect(r.values.region).toBe('x');
  });

  it("reads a value that does not parse as the option's invalidBecomes, with a warning that never echoes a secret", () => {
    const lenient = {
      level: second({ invalidBecomes: 0, desc: 'Level.' }),
      pin: second({ secret: true, invalidBecomes: 1, desc: 'A secret number.' }),
    };
    const r = resolveOptions(parseStdinOptions('level=high\npin=s3cr3t\n').options, lenient, 'stdin');
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ level: 0, pin: 1 });
    expect(r.warnings).toEqual([
      "ignoring level=high (expected a time in seconds, got 'high'): using 0",
      'ignoring the value of pin: using 1',
    ]);
  });

  it('warns about unknown names and ignores them, like fencing.py', () => {
    const r = fromStdin('bogus=1\nplug=i-1\n');
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual(["ignoring unknown option 'bogus'"]);
  });

  it.each([
    ['plug = i-1\n', 'i-1'],
    ['plug= i-1 \n', ' i-1'],
    [' plug =" a b"\n', ' a b'],
  ])('%j: blanks around the key are dropped (fencing.py would ignore the line), the value kept as written after key=', (text, value) => {
    const r = fromStdin(text);
    expect(r.warnings).toEqual([]);
    expect(r.values.plug).toBe(value);
  });

  it('accepts a secret on stdin', () => {
    expect(fromStdin('secret_key=s3cr3t\n').values.secret_key).toBe('s3cr3t');
  });

  it.each([
    ['power_timeout=soon\n', 'power_timeout: expected a time in seconds'],
    ['retry_on=-1\n', 'retry_on: must be at least 0'],
  ])('%j is an error naming the option', (text, message) => {
    expect(fromStdin(text).errors.join('\n')).toContain(message);
  });

  it.each(['skip_race_check=maybe\n', 'skip_race_check=\n'])(
    '%j: a flag without a boolean word is left unset, with a warning (fencing.py)',
    (text) => {
      const r = fromStdin(text);
      expect(r.errors).toEqual([]);
      expect(r.values.skip_race_check).toBe(false);
      expect(r.warnings.join('\n')).toContain('ignoring skip_race_check=');
    },
  );
});

describe('command-line options, for admins', () => {
  it.each([
    [['-o', 'off', '-n', 'node2'], { action: 'off', plug: 'node2' }],
    [['-ooff', '-nnode2'], { action: 'off', plug: 'node2' }],
    [['--action=status', '--plug', 'i-1'], { action: 'status', plug: 'i-1' }],
    [['--port=i-1'], { plug: 'i-1' }],
    [['--power-timeout', '30', '--power_wait=1'], { power_timeout: 30, power_wait: 1 }],
    [['-v', '--skip-race-check'], { verbose: true, skip_race_check: true }],
    [['-vq'], { verbose: true, quiet: true }],
    [['--skip-race-check=false'], { skip_race_check: false }],
    [['-r', 'eu-west-2'], { region: 'eu-west-2' }],
    [['-o', 'status', '-n', 'node2', '--'], { action: 'status', plug: 'node2' }], // getopt's end of options
  ])('%j', (argv, expected) => {
    const r = fromArgv(argv);
    expect(r.errors).toEqual([]);
    expect(r.values).toMatchObject(expected);
  });

  it.each([
    [['--bogus'], 'option --bogus not recognized'],
    [['-x'], 'option -x not recognized'],
    [['-o'], 'option -o requires a value'],
    [['off'], 'unexpected argument in position 1'],
    [['--', '-o', 'off'], 'unexpected argument in position 2'], // after --, words, never options
    // an empty variable must not switch a guard on: getopt refuses a value for a flag
    [['--skip-race-check='], 'option --skip-race-check has an empty value'],
    [['--skip_race_check= '], 'option --skip_race_check has an empty value'],
  ])('%j is refused: %s', (argv, message) => {
    const r = fromArgv(argv);
    expect(r.errors.join('\n')).toContain(message);
    expect(r.values.skip_race_check ?? false).toBe(false);
  });

  it.each([[['--secret-key=s3cr3t']], [['--secret-key', 's3cr3t']], [['--secret_key=s3cr3t']]])(
    'refuses a secret on the command line, without repeating it: %j',
    (argv) => {
      const r = fromArgv(argv);
      expect(r.values.secret_key).toBeUndefined();
      expect(r.errors.join('\n')).toContain('--secret-key is refused on the command line');
      expect(r.errors.join('\n')).toContain('stdin');
      expect(r.errors.join('\n')).not.toContain('s3cr3t');
    },
  );
});
