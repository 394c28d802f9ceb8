import { create } from 'xmlbuilder2';
import type { DomainModel } from './domain-model.js';
import { pciAddressAttributes } from './pci-address.js';

type XMLBuilder = ReturnType<typeof create>;

/** qvirt's XML namespace for `<metadata>` (libvirt keeps one element per namespace). */
export const QVIRT_METADATA_NS = 'https://qvirt.io/xmlns/domain/v1';
export const QVIRT_METADATA_PREFIX = 'qvirt';

/** libvirt domain XML for the model, built with a real XML writer (escaping included). */
export function renderDomainXml(m: DomainModel): string {
  const root = create().ele('domain', { type: m.type });
  root.ele('name').txt(m.name);
  root.ele('uuid').txt(m.uuid);
  if (m.metadata) {
    const vmi = root.ele('metadata').ele(QVIRT_METADATA_NS, `${QVIRT_METADATA_PREFIX}:vmi`);
    const field = (name: string, value: string) => vmi.ele(QVIRT_METADATA_NS, `${QVIRT_METADATA_PREFIX}:${name}`).txt(value);
    field('namespace', m.metadata.namespace);
    field('name', m.metadata.name);
    if (m.metadata.uid !== undefined) field('uid', m.metadata.uid);
    if (m.metadata.gracePeriodSeconds !== undefined) field('gracePeriodSeconds', String(m.metadata.gracePeriodSeconds));
  }
  root.ele('memory', { unit: 'KiB' }).txt(String(m.memoryKiB));
  if (m.memtune) root.ele('memtune').ele('hard_limit', { unit: 'KiB' }).txt(String(m.memtune.hardLimitKiB));
  if (m.memoryBacking) {
    const backing = root.ele('memoryBacking');
    if (m.memoryBacking.locked) backing.ele('locked');
  }
  root.ele('vcpu', { placement: 'static' }).txt(String(m.vcpus));
  renderOs(root, m);
  const features = root.ele('features');
  if (m.features.acpi) features.ele('acpi');
  if (m.cpu) {
    const cpu = root.ele('cpu', m.cpu.mode === 'custom' ? { mode: 'custom', match: 'exact', check: 'none' } : { mode: m.cpu.mode });
    if (m.cpu.model !== undefined) cpu.ele('model', { fallback: 'forbid' }).txt(m.cpu.model);
    const t = m.cpu.topology;
    cpu.ele('topology', { sockets: String(t.sockets), dies: '1', cores: String(t.cores), threads: String(t.threads) });
  }
  root.ele('clock', { offset: m.clock.offset });
  root.ele('on_poweroff').txt(m.onPoweroff);
  root.ele('on_reboot').txt(m.onReboot);
  root.ele('on_crash').txt(m.onCrash);
  renderDevices(root.ele('devices'), m.devices);
  return root.end({ prettyPrint: true, headless: true }) + '\n';
}

function renderOs(root: XMLBuilder, m: DomainModel): void {
  const os = root.ele('os');
  os.ele('type', { arch: m.os.arch, machine: m.os.machine }).txt('hvm');
  if (m.os.kernel !== undefined) os.ele('kernel').txt(m.os.kernel);
  if (m.os.initrd !== undefined) os.ele('initrd').txt(m.os.initrd);
  if (m.os.cmdline !== undefined) os.ele('cmdline').txt(m.os.cmdline);
  if (m.os.bootDev !== undefined) os.ele('boot', { dev: m.os.bootDev });
}

function renderDevices(devices: XMLBuilder, d: DomainModel['devices']): void {
  if (d.emulator !== undefined) devices.ele('emulator').txt(d.emulator);
  for (const disk of d.disks) {
    const el = devices.ele('disk', { type: 'file', device: disk.device });
    el.ele('driver', { name: 'qemu', type: disk.driver.type, ...(disk.driver.cache ? { cache: disk.driver.cache } : {}) });
    el.ele('source', { file: disk.source });
    el.ele('target', { dev: disk.target.dev, bus: disk.target.bus });
    if (disk.readonly) el.ele('readonly');
    if (disk.serial !== undefined) el.ele('serial').txt(disk.serial);
    if (disk.bootOrder !== undefined) el.ele('boot', { order: String(disk.bootOrder) });
    el.ele('alias', { name: disk.alias });
  }
  for (const c of d.controllers) devices.ele('controller', { type: c.type, index: String(c.index), model: c.model });
  for (const h of d.hostdevs) {
    const el = devices.ele('hostdev', { mode: 'subsystem', type: 'pci', managed: 'no' });
    el.ele('source').ele('address', pciAddressAttributes(h.source));
    el.ele('alias', { name: h.alias });
  }
  for (const s of d.serials) {
    const el = devices.ele('serial', { type: s.type });
    if (s.path !== undefined) el.ele('source', { path: s.path });
    el.ele('target', { port: String(s.port) });
  }
  for (const c of d.consoles) {
    const el = devices.ele('console', { type: c.type });
    if (c.path !== undefined) el.ele('source', { path: c.path });
    el.ele('target', { type: c.targetType, port: String(c.port) });
  }
  devices.ele('memballoon', { model: d.memballoon.model });
}
