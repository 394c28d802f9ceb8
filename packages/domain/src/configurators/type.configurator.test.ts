import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { typeConfigurator } from './type.configurator.js';

describe('typeConfigurator', () => {
  it('uses kvm only when the node facts say so, else qemu', () => {
    const kvm = emptyDomain();
    typeConfigurator.configure(plainVmi(), kvm, { assignments: [], facts: { kvm: true, emulator: '/usr/bin/qemu-system-x86_64' } });
    expect(kvm.type).toBe('kvm');
    expect(kvm.devices.emulator).toBe('/usr/bin/qemu-system-x86_64');
    const tcg = emptyDomain();
    typeConfigurator.configure(plainVmi(), tcg, { assignments: [], facts: { kvm: false } });
    expect(tcg.type).toBe('qemu');
    expect('emulator' in tcg.devices).toBe(false);
  });
});
