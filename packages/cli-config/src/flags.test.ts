import { describe, expect, it } from 'vitest';
import { flagReader, stringFlags, nonEmpty, type FlagProblem } from './flags.js';

class TestConfigError extends Error {
  constructor(readonly problem: FlagProblem) {
    super(`test: ${problem.message}`);
  }
}
const flags = flagReader((p) => new TestConfigError(p));

function problemOf(fn: () => unknown): FlagProblem {
  try {
    fn();
  } catch (err) {
    if (err instanceof TestConfigError) return err.problem;
    throw err;
  }
  throw new Error('expected a problem');
}

describe('flagReader', () => {
  it('parses flags strictly and reports syntax problems through the app factory', () => {
    const values = flags.parse(['--workers', '3', '--san', 'a', '--san', 'b'], { workers: { type: 'string' }, san: { type: 'string', multiple: true } });
    expect(values).toEqual({ workers: '3', san: ['a', 'b'] });
    expect(() => flags.parse(['--bogus'], { workers: { type: 'string' } })).toThrow(/^test: Unknown option '--bogus'/);
    expect(problemOf(() => flags.parse(['positional'], {}))).toMatchObject({ kind: 'syntax', name: 'flags' });
  });

  it('whole numbers: digits only, in range, default when absent, named in the message', () => {
    expect(flags.wholeNumber('--workers', '8', { min: 1, max: 64 })).toBe(8);
    expect(flags.wholeNumber('--workers', undefined, { min: 1, max: 64, default: 3 })).toBe(3);
    expect(() => flags.wholeNumber('--workers', '0', { min: 1, max: 64 })).toThrow('test: --workers "0": must be a whole number from 1 to 64');
    expect(() => flags.wholeNumber('--port', '-1', { min: 0, max: 65535 })).toThrow('--port "-1": must be a whole number from 0 to 65535');
    expect(() => flags.wholeNumber('--port', '1e3', { min: 0, max: 65535 })).toThrow(/must be a whole number/);
    expect(() => flags.wholeNumber('--grace', '90000', { min: 0, max: 86_400, unit: 'seconds' })).toThrow(
      '--grace "90000": must be a whole number of seconds from 0 to 86400',
    );
    expect(() => flags.wholeNumber('--n', undefined, { min: 0, max: 1 })).toThrow('test: --n is required');
    expect(problemOf(() => flags.wholeNumber('--workers', 'x', { min: 1, max: 2 }))).toEqual({
      kind: 'value',
      name: '--workers',
      value: 'x',
      reason: 'must be a whole number from 1 to 2',
      message: '--workers "x": must be a whole number from 1 to 2',
    });
  });

  it('durations in ms, s and m', () => {
    expect(flags.durationMs('--d', '500ms')).toBe(500);
    expect(flags.durationMs('--d', '15s')).toBe(15_000);
    expect(flags.durationMs('--d', '1.5m')).toBe(90_000);
    expect(() => flags.durationMs('--d', 'soon')).toThrow('--d "soon": must be a duration like 500ms, 15s or 1m');
    expect(() => flags.durationMs('--d', '0s')).toThrow('--d "0s": must be positive');
  });

  it('paths, Kubernetes names, choices and log levels', () => {
    expect(flags.absolutePath('--run-dir', '/var/run/kubevirt')).toBe('/var/run/kubevirt');
    expect(() => flags.absolutePath('QVIRT_SYSFS_ROOT', 'rel')).toThrow('QVIRT_SYSFS_ROOT "rel": must be an absolute path');
    expect(() => flags.absolutePath('--run-dir', '')).toThrow('--run-dir "": must be an absolute path');
    expect(flags.dnsSubdomain('--namespace', 'kube-system')).toBe('kube-system');
    expect(() => flags.dnsSubdomain('--namespace', 'Bad_NS')).toThrow('--namespace "Bad_NS": not a valid Kubernetes name (lower-case DNS-1123)');
    expect(flags.oneOf('--kvm', 'on', ['auto', 'on', 'off'])).toBe('on');
    expect(() => flags.oneOf('--kvm', 'yes', ['auto', 'on', 'off'])).toThrow('--kvm "yes": must be auto, on or off');
    expect(() => flags.oneOf('--leader-elect', 'yes', ['true', 'false'])).toThrow('must be true or false');
    expect(flags.logLevel('--log-level', 'debug')).toBe('debug');
    expect(() => flags.logLevel('--log-level', 'loud')).toThrow('--log-level "loud": must be fatal, error, warn, info, debug, trace or silent');
    expect(() => flags.fail('--a', undefined, 'and --b go together')).toThrow('test: --a and --b go together');
  });

  it('nonEmpty treats an empty env var as unset', () => {
    expect(nonEmpty('')).toBeUndefined();
    expect(nonEmpty(undefined)).toBeUndefined();
    expect(nonEmpty('/k')).toBe('/k');
  });
});

describe('stringFlags', () => {
  it('declares each name as a single string option that parseArgs accepts', () => {
    expect(stringFlags('a', 'log-level')).toEqual({ a: { type: 'string' }, 'log-level': { type: 'string' } });
    const reader = flagReader((p) => new Error(p.message));
    expect(reader.parse(['--a', 'x', '--log-level=debug'], stringFlags('a', 'log-level'))).toEqual({ a: 'x', 'log-level': 'debug' });
    expect(() => reader.parse(['--b', 'x'], stringFlags('a'))).toThrow(/Unknown option '--b'/);
  });
});
