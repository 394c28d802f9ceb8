import { create } from 'xmlbuilder2';
import type {
  ConsoleModel,
  ControllerModel,
  CpuModel,
  DiskModel,
  DomainModel,
  HostdevModel,
  LifecycleAction,
  OsModel,
  SerialModel,
  VmiReference,
} from './domain-model.js';
import { QVIRT_METADATA_NS } from './domain-xml.js';
import { DomainParseError } from './errors.js';
import type { PciAddress } from './pci-address.js';

// Minimal DOM surface we read (xmlbuilder2's parser yields a DOM).
interface XmlElement {
  readonly nodeType: number;
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
}

const UNIT_KIB: Record<string, number> = {
  b: 1 / 1024,
  bytes: 1 / 1024,
  k: 1,
  KiB: 1,
  M: 1024,
  MiB: 1024,
  G: 1024 ** 2,
  GiB: 1024 ** 2,
  T: 1024 ** 3,
  TiB: 1024 ** 3,
};

/**
 * Reads domain XML back into the model: everything renderDomainXml writes; elements libvirt adds
 * (guest PCI addresses, PCI controllers, currentMemory...) are ignored.
 */
export function parseDomainXml(xml: string): DomainModel {
  let root: XmlElement;
  try {
    root = create(xml).root().node as unknown as XmlElement;
  } catch (err) {
    throw new DomainParseError(`domain XML is not well-formed: ${(err as Error).message}`);
  }
  if (root.localName !== 'domain') throw new DomainParseError(`root element is <${root.localName}>, expected <domain>`);
  const type = attr(root, 'type', 'domain');
  if (type !== 'kvm' && type !== 'qemu') throw new DomainParseError(`<domain type='${type}'>: expected kvm or qemu`);

  const devicesEl = child(root, 'devices');
  const memballoon = devicesEl && child(devicesEl, 'memballoon');
  const model: DomainModel = {
    type,
    name: text(required(root, 'name'), 'name'),
    uuid: text(required(root, 'uuid'), 'uuid'),
    memoryKiB: memoryKiB(required(root, 'memory'), 'memory'),
    vcpus: int(text(required(root, 'vcpu'), 'vcpu'), 'vcpu'),
    os: parseOs(required(root, 'os')),
    features: { acpi: !!child(root, 'features') && !!child(child(root, 'features')!, 'acpi') },
    clock: { offset: 'utc' },
    onPoweroff: lifecycle(root, 'on_poweroff', 'destroy'),
    onReboot: lifecycle(root, 'on_reboot', 'restart'),
    onCrash: lifecycle(root, 'on_crash', 'destroy'),
    devices: {
      disks: devicesEl ? children(devicesEl, 'disk').map(parseDisk) : [],
      controllers: devicesEl ? children(devicesEl, 'controller').map(parseController) : [],
      hostdevs: devicesEl ? children(devicesEl, 'hostdev').map(parseHostdev) : [],
      serials: devicesEl ? children(devicesEl, 'serial').map(parseSerial) : [],
      consoles: devicesEl ? children(devicesEl, 'console').map(parseConsole) : [],
      memballoon: { model: memballoon?.getAttribute('model') === 'none' ? 'none' : 'virtio' },
    },
  };
  const emulator = devicesEl && child(devicesEl, 'emulator');
  if (emulator) model.devices.emulator = text(emulator, 'emulator');
  const clock = child(root, 'clock');
  if (clock && clock.getAttribute('offset') !== 'utc') throw new DomainParseError(`<clock offset='${clock.getAttribute('offset')}'>: only utc is modelled`);

  const metadata = child(root, 'metadata');
  const vmiRef = metadata && parseVmiReference(metadata);
  if (vmiRef) model.metadata = vmiRef;
  const hardLimit = child(root, 'memtune') && child(child(root, 'memtune')!, 'hard_limit');
  if (hardLimit) model.memtune = { hardLimitKiB: memoryKiB(hardLimit, 'memtune/hard_limit') };
  const backing = child(root, 'memoryBacking');
  if (backing) model.memoryBacking = { locked: !!child(backing, 'locked') };
  const cpu = child(root, 'cpu');
  if (cpu) model.cpu = parseCpu(cpu);
  return model;
}

function parseVmiReference(metadata: XmlElement): VmiReference | undefined {
  const vmi = elements(metadata).find((e) => e.namespaceURI === QVIRT_METADATA_NS && e.localName === 'vmi');
  if (!vmi) return undefined;
  const field = (name: string) => elements(vmi).find((e) => e.namespaceURI === QVIRT_METADATA_NS && e.localName === name);
  const ns = field('namespace');
  const name = field('name');
  if (!ns || !name) throw new DomainParseError('<metadata><qvirt:vmi> needs namespace and name');
  const ref: VmiReference = { namespace: text(ns, 'qvirt:namespace'), name: text(name, 'qvirt:name') };
  const uid = field('uid');
  if (uid) ref.uid = text(uid, 'qvirt:uid');
  const grace = field('gracePeriodSeconds');
  if (grace) ref.gracePeriodSeconds = int(text(grace, 'qvirt:gracePeriodSeconds'), 'qvirt:gracePeriodSeconds');
  return ref;
}

function parseOs(os: XmlElement): OsModel {
  const type = required(os, 'type');
  const arch = type.getAttribute('arch') ?? 'x86_64';
  if (arch !== 'x86_64') throw new DomainParseError(`<os><type arch='${arch}'>: only x86_64 is modelled`);
  const model: OsModel = { arch, machine: attr(type, 'machine', 'os/type') };
  const opt = (name: 'kernel' | 'initrd' | 'cmdline') => {
    const el = child(os, name);
    if (el) model[name] = el.textContent ?? '';
  };
  opt('kernel');
  opt('initrd');
  opt('cmdline');
  const boot = child(os, 'boot');
  if (boot) {
    const dev = boot.getAttribute('dev');
    if (dev !== 'hd' && dev !== 'cdrom') throw new DomainParseError(`<os><boot dev='${dev}'>: expected hd or cdrom`);
    model.bootDev = dev;
  }
  return model;
}

function parseCpu(cpu: XmlElement): CpuModel {
  const mode = cpu.getAttribute('mode') ?? 'custom';
  if (mode !== 'host-passthrough' && mode !== 'host-model' && mode !== 'custom') throw new DomainParseError(`<cpu mode='${mode}'> is not modelled`);
  const topology = child(cpu, 'topology');
  const model: CpuModel = {
    mode,
    topology: {
      sockets: topology ? int(attr(topology, 'sockets', 'cpu/topology'), 'cpu/topology@sockets') : 1,
      cores: topology ? int(attr(topology, 'cores', 'cpu/topology'), 'cpu/topology@cores') : 1,
      threads: topology ? int(attr(topology, 'threads', 'cpu/topology'), 'cpu/topology@threads') : 1,
    },
  };
  const name = child(cpu, 'model');
  if (name) model.model = text(name, 'cpu/model');
  return model;
}

function parseDisk(disk: XmlElement): DiskModel {
  const device = disk.getAttribute('device') ?? 'disk';
  if (device !== 'disk' && device !== 'cdrom') throw new DomainParseError(`<disk device='${device}'> is not modelled`);
  const driver = child(disk, 'driver');
  const target = required(disk, 'target');
  const bus = attr(target, 'bus', 'disk/target');
  if (bus !== 'virtio' && bus !== 'sata' && bus !== 'scsi') throw new DomainParseError(`<disk><target bus='${bus}'> is not modelled`);
  const model: DiskModel = {
    device,
    source: attr(required(disk, 'source'), 'file', 'disk/source'),
    driver: { type: driver?.getAttribute('type') === 'qcow2' ? 'qcow2' : 'raw' },
    target: { dev: attr(target, 'dev', 'disk/target'), bus },
    readonly: !!child(disk, 'readonly'),
    alias: attr(required(disk, 'alias'), 'name', 'disk/alias'),
  };
  const cache = driver?.getAttribute('cache');
  if (cache === 'none' || cache === 'writethrough' || cache === 'writeback') model.driver.cache = cache;
  const serial = child(disk, 'serial');
  if (serial) model.serial = text(serial, 'disk/serial');
  const boot = child(disk, 'boot');
  if (boot) model.bootOrder = int(attr(boot, 'order', 'disk/boot'), 'disk/boot@order');
  return model;
}

function parseController(c: XmlElement): ControllerModel {
  const type = attr(c, 'type', 'controller');
  return { type: type as ControllerModel['type'], index: int(attr(c, 'index', 'controller'), 'controller@index'), model: c.getAttribute('model') ?? '' };
}

function parseHostdev(h: XmlElement): HostdevModel {
  const address = required(required(h, 'source'), 'address');
  const part = (name: keyof PciAddress) => int(attr(address, name, 'hostdev/source/address'), `hostdev/source/address@${name}`);
  return {
    source: { domain: part('domain'), bus: part('bus'), slot: part('slot'), function: part('function') },
    alias: attr(required(h, 'alias'), 'name', 'hostdev/alias'),
  };
}

function parseSerial(s: XmlElement): SerialModel {
  const type = charType(s, 'serial');
  const model: SerialModel = { type, port: int(attr(required(s, 'target'), 'port', 'serial/target'), 'serial/target@port') };
  const path = child(s, 'source')?.getAttribute('path');
  if (path) model.path = path;
  return model;
}

function parseConsole(c: XmlElement): ConsoleModel {
  const type = charType(c, 'console');
  const target = required(c, 'target');
  const model: ConsoleModel = { type, targetType: 'serial', port: int(attr(target, 'port', 'console/target'), 'console/target@port') };
  const path = child(c, 'source')?.getAttribute('path');
  if (path) model.path = path;
  return model;
}

function charType(el: XmlElement, what: string): 'file' | 'pty' {
  const type = el.getAttribute('type');
  if (type !== 'file' && type !== 'pty') throw new DomainParseError(`<${what} type='${type}'>: expected file or pty`);
  return type;
}

function lifecycle(root: XmlElement, name: string, fallback: LifecycleAction): LifecycleAction {
  const el = child(root, name);
  if (!el) return fallback;
  const value = text(el, name);
  if (value !== 'destroy' && value !== 'restart' && value !== 'preserve' && value !== 'rename-restart') {
    throw new DomainParseError(`<${name}>${value}</${name}> is not modelled`);
  }
  return value;
}

function memoryKiB(el: XmlElement, what: string): number {
  const unit = el.getAttribute('unit') ?? 'KiB';
  const factor = UNIT_KIB[unit];
  if (factor === undefined) throw new DomainParseError(`<${what} unit='${unit}'>: unknown unit`);
  return Math.ceil(int(text(el, what), what) * factor);
}

function elements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let i = 0; i < el.childNodes.length; i++) {
    const n = el.childNodes[i]!;
    if (n.nodeType === 1) out.push(n);
  }
  return out;
}

function children(el: XmlElement, name: string): XmlElement[] {
  return elements(el).filter((e) => e.localName === name && e.namespaceURI === null);
}

function child(el: XmlElement, name: string): XmlElement | undefined {
  return children(el, name)[0];
}

function required(el: XmlElement, name: string): XmlElement {
  const found = child(el, name);
  if (!found) throw new DomainParseError(`<${el.localName}> has no <${name}>`);
  return found;
}

function attr(el: XmlElement, name: string, where: string): string {
  const value = el.getAttribute(name);
  if (value === null) throw new DomainParseError(`<${where}> has no ${name} attribute`);
  return value;
}

function text(el: XmlElement, where: string): string {
  const value = (el.textContent ?? '').trim();
  if (value === '') throw new DomainParseError(`<${where}> is empty`);
  return value;
}

/** Decimal or 0x-prefixed hex, as libvirt writes PCI address parts. */
function int(value: string, where: string): number {
  const n = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value, 16) : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new DomainParseError(`<${where}>: ${JSON.stringify(value)} is not an integer`);
  return n;
}
