// The kubernetes Service's address, derived from the service range as the apiserver does.
import { TestEnvInputError } from './errors.js';

/** The kubernetes Service's ClusterIP: the first address of the range (IPv4). */
export function firstServiceIp(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new TestEnvInputError(`serviceCidr: ${JSON.stringify(cidr)} is not an IPv4 CIDR such as 10.0.0.0/24`);
  const [a, b, c, d, bits] = m.slice(1).map(Number) as [number, number, number, number, number];
  if ([a, b, c, d].some((o) => o > 255) || bits < 8 || bits > 30)
    throw new TestEnvInputError(`serviceCidr: ${cidr} is not a usable range (octets <= 255, prefix 8..30)`);
  const mask = (~0 << (32 - bits)) >>> 0;
  const n = ((((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & mask) + 1;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
