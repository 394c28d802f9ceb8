import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '@qvirt/testing/vitest';
import { parseExitRecord, readExitRecord, writeExitRecord } from './exit-record.js';

const dir = useTempDir('exit-record-');

describe('launcher exit record', () => {
  it('round-trips through the file, which only its owner can read', async () => {
    const path = join(dir(), 'launcher-exit.json');
    const record = { code: 0, reason: 'the guest shut down', domainStopReason: 'shutdown', time: '2026-11-26T10:00:00.000Z' };
    await writeExitRecord(path, record);
    expect(await readExitRecord(path)).toEqual(record);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(record);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('is undefined when there is none, and an error naming the file and field when it is not a record', async () => {
    const path = join(dir(), 'launcher-exit.json');
    expect(await readExitRecord(path)).toBeUndefined();
    await writeFile(path, '{"code":');
    await expect(readExitRecord(path)).rejects.toThrow(`${path}: not JSON`);
    expect(() => parseExitRecord('[]', 'f')).toThrow('f: must be a JSON object');
    expect(() => parseExitRecord('{"code":"0","reason":"x","time":"t"}', 'f')).toThrow('f: code must be an integer');
    expect(() => parseExitRecord('{"code":0,"time":"t"}', 'f')).toThrow('f: reason must be a string');
    expect(() => parseExitRecord('{"code":0,"reason":"x"}', 'f')).toThrow('f: time must be a string');
    expect(() => parseExitRecord('{"code":0,"reason":"x","time":"t","domainStopReason":5}', 'f')).toThrow('f: domainStopReason must be a string');
    expect(parseExitRecord('{"code":4,"reason":"x","time":"t","extra":true}', 'f')).toEqual({ code: 4, reason: 'x', time: 't' });
  });
});
