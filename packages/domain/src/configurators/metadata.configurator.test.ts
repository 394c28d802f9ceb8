import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { metadataConfigurator } from './metadata.configurator.js';

const ctx = { assignments: [], facts: { kvm: false } };

describe('metadataConfigurator', () => {
  it('names the domain <namespace>_<name> and records the VMI in qvirt metadata', () => {
    const d = emptyDomain();
    metadataConfigurator.configure(plainVmi(), d, ctx);
    expect(d.name).toBe('default_vmi-plain');
    expect(d.metadata).toEqual({ namespace: 'default', name: 'vmi-plain', uid: '0b8f2d9e-3c1a-4f6b-9d2e-7a5c4b3e2f10', gracePeriodSeconds: 30 });
  });

  it('derives a stable version-5 UUID from the uid, distinct per uid', () => {
    const a = emptyDomain();
    const b = emptyDomain();
    metadataConfigurator.configure(plainVmi(), a, ctx);
    metadataConfigurator.configure(plainVmi(), b, ctx);
    expect(a.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.uuid).toBe(a.uuid);
    const other = plainVmi();
    other.metadata.uid = 'another-uid';
    const c = emptyDomain();
    metadataConfigurator.configure(other, c, ctx);
    expect(c.uuid).not.toBe(a.uuid);
  });

  it('uses firmware.uuid when set, and defaults the namespace', () => {
    const vmi = plainVmi({ firmware: { uuid: '5D307CA9-B3EF-428C-8861-06E72D69F223' } });
    delete vmi.metadata.namespace;
    const d = emptyDomain();
    metadataConfigurator.configure(vmi, d, ctx);
    expect(d.uuid).toBe('5d307ca9-b3ef-428c-8861-06e72d69f223');
    expect(d.name).toBe('default_vmi-plain');
  });

  it('rejects a missing name and a bad firmware.uuid with the field', () => {
    const noName = plainVmi();
    delete noName.metadata.name;
    expect(() => metadataConfigurator.configure(noName, emptyDomain(), ctx)).toThrow('metadata.name: required');
    expect(() => metadataConfigurator.configure(plainVmi({ firmware: { uuid: 'nope' } }), emptyDomain(), ctx)).toThrow(
      'spec.domain.firmware.uuid: "nope" is not a UUID',
    );
  });
});
