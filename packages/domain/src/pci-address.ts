/** A PCI address split into its parts (libvirt's `<address domain= bus= slot= function=>`). */
export interface PciAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

const PCI_ADDRESS_RE = /^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i;

/** `0000:3d:01.1` in lower case, or undefined when the text is not a full PCI address. */
export function normalizePciAddress(text: string): string | undefined {
  const trimmed = text.trim();
  return PCI_ADDRESS_RE.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

export function parsePciAddress(text: string): PciAddress | undefined {
  const m = PCI_ADDRESS_RE.exec(text.trim());
  if (!m) return undefined;
  const slot = Number.parseInt(m[3]!, 16);
  // The slot is 5 bits wide: 0x00-0x1f.
  if (slot > 0x1f) return undefined;
  return {
    domain: Number.parseInt(m[1]!, 16),
    bus: Number.parseInt(m[2]!, 16),
    slot,
    function: Number.parseInt(m[4]!, 16),
  };
}

export function formatPciAddress(a: PciAddress): string {
  return `${hex(a.domain, 4)}:${hex(a.bus, 2)}:${hex(a.slot, 2)}.${a.function.toString(16)}`;
}

/** libvirt's attribute form: `0x0000`, `0x3d`, `0x01`, `0x1`. */
export function pciAddressAttributes(a: PciAddress): Record<'domain' | 'bus' | 'slot' | 'function', string> {
  return {
    domain: `0x${hex(a.domain, 4)}`,
    bus: `0x${hex(a.bus, 2)}`,
    slot: `0x${hex(a.slot, 2)}`,
    function: `0x${a.function.toString(16)}`,
  };
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
