import { describe, expect, it } from 'vitest';
import { TestEnvInputError } from './errors.js';
import { firstServiceIp } from './service-cidr.js';

describe('firstServiceIp', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.1'],
    ['10.96.0.0/16', '10.96.0.1'],
    // Host bits in the input are masked off, as the apiserver does.
    ['10.96.3.7/16', '10.96.0.1'],
    ['172.30.255.0/30', '172.30.255.1'],
  ])('%s -> %s', (cidr, ip) => expect(firstServiceIp(cidr)).toBe(ip));

  it.each(['10.0.0.0', '10.0.0.300/24', '10.0.0.0/31', 'fd00::/108'])('refuses %s naming the option', (cidr) => {
    expect(() => firstServiceIp(cidr)).toThrow(TestEnvInputError);
    expect(() => firstServiceIp(cidr)).toThrow(/^serviceCidr: /);
  });
});
