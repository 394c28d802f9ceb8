import { posix } from 'node:path';
import type { StatusCause } from '@qvirt/api';

/** `/seg/seg[/]` with no empty, `.` or `..` segment. */
const CLEAN_ABSOLUTE = /^(?:\/(?!\.\.?(?:\/|$))[^/]+)+\/?$/;

/**
 * KubeVirt's validatePath: an absolute file path without `.`/`..`/`//` components, not `/`.
 * Messages are KubeVirt's.
 */
export function validateAbsoluteFilePath(field: string, path: string): StatusCause[] {
  if (path === '/') return [{ type: 'FieldValueInvalid', field, message: `${field} must not point to root` }];
  // Already clean (the common case) gives the same answer as the normalisation below, cheaper.
  if (CLEAN_ABSOLUTE.test(path)) return [];
  // Go's filepath.Join("/", path): Clean drops a trailing slash, which Node's normalize keeps.
  const normalized = posix.normalize(`/${path}`);
  const cleaned = normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
  // Go's strings.TrimSuffix: one trailing slash, as KubeVirt compares.
  const provided = path.endsWith('/') ? path.slice(0, -1) : path;
  if (cleaned !== provided) {
    return [{ type: 'FieldValueInvalid', field, message: `${field} must be an absolute path to a file without relative components` }];
  }
  return [];
}
