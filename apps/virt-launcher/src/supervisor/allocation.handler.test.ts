import { describe, expect, it } from 'vitest';
import { LauncherRpcError } from '@qvirt/launcher-rpc';
import { allocationAnswer } from './allocation.handler.js';

const QAT = 'qat.intel.com/generic';

describe('allocationAnswer', () => {
  it('reads PCI_RESOURCE_<NAME>, tolerating a trailing comma', () => {
    expect(allocationAnswer({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1,0000:3D:01.2,' }, [QAT])).toEqual([
      { resourceName: QAT, pciAddresses: ['0000:3d:01.1', '0000:3d:01.2'], sourceEnv: 'PCI_RESOURCE_QAT_INTEL_COM_GENERIC' },
    ]);
  });

  it("reads Intel's QAT<n> variables in index order and names them as the source", () => {
    expect(allocationAnswer({ QAT10: '0000:3d:02.0', QAT0: '0000:3d:01.1', QAT2: '0000:3d:01.3' }, [QAT])).toEqual([
      { resourceName: QAT, pciAddresses: ['0000:3d:01.1', '0000:3d:01.3', '0000:3d:02.0'], sourceEnv: 'QAT0,QAT2,QAT10' },
    ]);
  });

  it('fails FAILED_PRECONDITION naming the variable for a malformed address', () => {
    const err = (() => {
      try {
        allocationAnswer({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: '0000:3d:01.1,3d:zz' }, [QAT]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LauncherRpcError);
    expect(err).toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect((err as Error).message).toMatch(/^PCI_RESOURCE_QAT_INTEL_COM_GENERIC: "3d:zz" .*not a PCI address/);
  });

  it('fails FAILED_PRECONDITION naming the expected variable when nothing was allocated', () => {
    expect(() => allocationAnswer({}, ['intel.com/qat'])).toThrow(
      'PCI_RESOURCE_INTEL_COM_QAT is not set: no intel.com/qat device was allocated to this launcher pod',
    );
    expect(() => allocationAnswer({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: ',' }, [QAT])).toThrow(/PCI_RESOURCE_QAT_INTEL_COM_GENERIC is empty/);
  });

  it('answers an empty request with an empty list', () => {
    expect(allocationAnswer({ PCI_RESOURCE_QAT_INTEL_COM_GENERIC: 'junk' }, [])).toEqual([]);
  });
});
