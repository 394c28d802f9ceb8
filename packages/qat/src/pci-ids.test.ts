import { describe, expect, it } from 'vitest';
import { matchQatDevice, QAT_GENERATIONS } from './pci-ids.js';

describe('QAT PCI IDs', () => {
  const table: [string, string, string, string, string][] = [
    ['dh895xcc', '0435', '0443', 'dh895xcc', 'dh895xccvf'],
    ['c62x', '37c8', '37c9', 'c6xx', 'c6xxvf'],
    ['c3xxx', '19e2', '19e3', 'c3xxx', 'c3xxxvf'],
    ['c4xxx', '18a0', '18a1', 'c4xxx', 'c4xxxvf'],
    ['d15xx', '6f54', '6f55', 'd15xx', 'd15xxvf'],
    ['4xxx', '4940', '4941', '4xxx', '4xxxvf'],
    ['401xx', '4942', '4943', '4xxx', '4xxxvf'],
    ['402xx', '4944', '4945', '4xxx', '4xxxvf'],
    ['420xx', '4946', '4947', '420xx', '420xxvf'],
    ['6xxx', '4948', '4949', '6xxx', '6xxxvf'],
  ];

  it.each(table)('%s: PF %s, VF %s, drivers %s/%s', (gen, pf, vf, pfDrv, vfDrv) => {
    const p = matchQatDevice('0x8086', `0x${pf}`);
    const v = matchQatDevice('0x8086', `0x${vf.toUpperCase()}`);
    expect(p?.kind).toBe('pf');
    expect(v?.kind).toBe('vf');
    expect(p?.info.generation).toBe(gen);
    expect(v?.info.generation).toBe(gen);
    expect(p?.info.pfDriver).toBe(pfDrv);
    expect(p?.info.vfDriver).toBe(vfDrv);
  });

  it('has exactly the table rows, and the DH895xCC VF alias 0x0442', () => {
    expect(QAT_GENERATIONS.map((g) => g.generation)).toEqual(table.map((r) => r[0]));
    expect(matchQatDevice('8086', '0442')).toMatchObject({ kind: 'vf', info: { generation: 'dh895xcc' } });
  });

  it('ignores other vendors and devices', () => {
    expect(matchQatDevice('0x15b3', '0x37c9')).toBeUndefined();
    expect(matchQatDevice('0x8086', '0x1572')).toBeUndefined();
  });

  it('marks only Gen4+ as service-configurable', () => {
    expect(QAT_GENERATIONS.filter((g) => g.configurableServices).map((g) => g.generation)).toEqual(['4xxx', '401xx', '402xx', '420xx', '6xxx']);
  });
});
