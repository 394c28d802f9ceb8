import { describe, expect, it } from 'vitest';
import { errFields, silentLogger } from './logger.js';

describe('errFields', () => {
  it('keeps the message and the stack of an Error', () => {
    const err = new TypeError('boom');
    expect(errFields(err)).toEqual({ err: 'boom', stack: err.stack });
    expect(errFields(err).stack).toMatch(/^TypeError: boom\n\s+at /);
  });

  it('logs a thrown non-Error as text, a plain object as its JSON', () => {
    expect(errFields('plain')).toEqual({ err: 'plain' });
    expect(errFields(undefined)).toEqual({ err: 'undefined' });
    expect(errFields({ code: 5 })).toEqual({ err: '{"code":5}' });
  });

  it('omits the stack when an Error has none', () => {
    const err = new Error('no stack');
    delete err.stack;
    expect(errFields(err)).toEqual({ err: 'no stack' });
  });
});

describe('silentLogger', () => {
  it('takes every level and drops it', () => {
    for (const level of ['debug', 'info', 'warn', 'error'] as const) expect(silentLogger[level]({ a: 1 }, 'm')).toBeUndefined();
  });
});
