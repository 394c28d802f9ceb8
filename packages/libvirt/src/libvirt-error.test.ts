import { describe, expect, it } from 'vitest';
import { ErrorCode, ErrorDomain } from './error-codes.js';
import {
  connectionLostError,
  isLibvirtAlreadyExists,
  isConnectionLost,
  isLibvirtNotFound,
  isOperationInvalid,
  LibvirtError,
  toLibvirtError,
} from './libvirt-error.js';

const raw = (code: number, domain: number, message: string | null = 'm') => ({ code, domain, message, level: 2 });

describe('toLibvirtError', () => {
  it('keeps libvirt code, domain, level and message and names the operation', () => {
    const e = toLibvirtError(raw(42, 10, "Domain not found: no domain with matching name 'vm1'"), 'virDomainLookupByName(vm1)');
    expect(e).toBeInstanceOf(LibvirtError);
    expect(e).toMatchObject({ code: 42, domain: 10, level: 'error', operation: 'virDomainLookupByName(vm1)' });
    expect(e.libvirtMessage).toBe("Domain not found: no domain with matching name 'vm1'");
    expect(e.message).toBe("virDomainLookupByName(vm1): Domain not found: no domain with matching name 'vm1' (VIR_ERR_NO_DOMAIN, VIR_FROM_QEMU)");
    expect(e.codeName).toBe('VIR_ERR_NO_DOMAIN');
  });

  it('gives a generic internal error when libvirt recorded none', () => {
    for (const r of [null, raw(0, 0)]) {
      const e = toLibvirtError(r, 'virDomainCreate(x)');
      expect(e.code).toBe(ErrorCode.INTERNAL_ERROR);
      expect(e.message).toContain('without an error record');
    }
  });

  it('names unknown codes by number and maps warning level', () => {
    const e = toLibvirtError({ code: 999, domain: 998, message: null, level: 1 }, 'op');
    expect(e.message).toBe('op: VIR_ERR_999 (VIR_ERR_999, VIR_FROM_998)');
    expect(e.level).toBe('warning');
  });
});

describe('classifiers', () => {
  it('isLibvirtNotFound for missing objects only', () => {
    expect(isLibvirtNotFound(toLibvirtError(raw(ErrorCode.NO_DOMAIN, 12), 'x'))).toBe(true);
    expect(isLibvirtNotFound(toLibvirtError(raw(ErrorCode.NO_NETWORK, 19), 'x'))).toBe(true);
    expect(isLibvirtNotFound(toLibvirtError(raw(ErrorCode.OPERATION_INVALID, 10), 'x'))).toBe(false);
    expect(isLibvirtNotFound(new Error('Domain not found'))).toBe(false);
  });

  it('isOperationInvalid and isLibvirtAlreadyExists', () => {
    expect(isOperationInvalid(toLibvirtError(raw(55, 10), 'x'))).toBe(true);
    expect(isOperationInvalid(toLibvirtError(raw(42, 10), 'x'))).toBe(false);
    expect(isLibvirtAlreadyExists(toLibvirtError(raw(28, 10), 'x'))).toBe(true);
  });

  it('isConnectionLost for socket and RPC failures, not for QEMU system errors', () => {
    const lost = [
      raw(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, "Failed to connect socket to '/x': No such file or directory"),
      raw(ErrorCode.SYSTEM_ERROR, ErrorDomain.RPC, 'End of file while reading data: Input/output error'),
      raw(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC, 'client socket is closed'),
      raw(ErrorCode.NO_CONNECT, ErrorDomain.REMOTE, 'x'),
      raw(ErrorCode.INVALID_CONN, ErrorDomain.NONE, 'x'),
      raw(ErrorCode.RPC, ErrorDomain.RPC, 'x'),
    ];
    for (const r of lost) expect(isConnectionLost(toLibvirtError(r, 'op')), r.message ?? '').toBe(true);
    expect(isConnectionLost(toLibvirtError(raw(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, 'open failed'), 'op'))).toBe(false);
    expect(isConnectionLost(toLibvirtError(raw(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU, 'end of file'), 'op'))).toBe(false);
    expect(isConnectionLost(toLibvirtError(raw(ErrorCode.NO_DOMAIN, ErrorDomain.QEMU), 'op'))).toBe(false);
  });

  it('connectionLostError is classified as lost and says what to do', () => {
    const e = connectionLostError('virDomainCreate(vm)', 'qemu+unix:///system?socket=/s', 'libvirt closed it: eof');
    expect(isConnectionLost(e)).toBe(true);
    expect(e.message).toContain('open a new connection');
  });
});
