import { describe, expect, it } from 'vitest';
import { formatPciAddress, normalizePciAddress, parsePciAddress, pciAddressAttributes } from './pci-address.js';

describe('PCI addresses', () => {
  it('parses, formats and renders libvirt attributes', () => {
    const a = parsePciAddress('0000:3D:01.1')!;
    expect(a).toEqual({ domain: 0, bus: 0x3d, slot: 1, function: 1 });
    expect(formatPciAddress(a)).toBe('0000:3d:01.1');
    expect(pciAddressAttributes(a)).toEqual({ domain: '0x0000', bus: '0x3d', slot: '0x01', function: '0x1' });
    expect(normalizePciAddress(' 0000:AF:1F.7 ')).toBe('0000:af:1f.7');
  });

  it.each(['3d:01.1', '0000:3d:01.8', '0000:3d:01', '0000:3g:01.1', '0000:3d:20.0', ''])('rejects %j', (text) => {
    expect(parsePciAddress(text)).toBeUndefined();
  });
});
