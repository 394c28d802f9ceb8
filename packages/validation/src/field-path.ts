// Field paths as Kubernetes prints them: `spec.domain.devices.qats[0].name`, map keys as `[key]`.

export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

const MAX_SHOWN = 80;

/**
 * A value as it appears in a message: JSON, cut short so a 10 MB string in a manifest
 * does not become a 10 MB admission response.
 */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}
