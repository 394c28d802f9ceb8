import { describe, expect, it } from 'vitest';
import { plainVmi } from '../testing/fixtures.js';
import { emptyDomain } from '../domain-model.js';
import { serialConsoleConfigurator } from './serial-console.configurator.js';

describe('serialConsoleConfigurator', () => {
  it('writes serial 0 and its console to the log file when the node gives one', () => {
    const d = emptyDomain();
    serialConsoleConfigurator.configure(plainVmi(), d, { assignments: [], facts: { kvm: false, consoleLogPath: '/run/vm/console.log' } });
    expect(d.devices.serials).toEqual([{ type: 'file', path: '/run/vm/console.log', port: 0 }]);
    expect(d.devices.consoles).toEqual([{ type: 'file', path: '/run/vm/console.log', targetType: 'serial', port: 0 }]);
  });

  it('uses a pty without a log path, and nothing when autoattachSerialConsole is false', () => {
    const pty = emptyDomain();
    serialConsoleConfigurator.configure(plainVmi(), pty, { assignments: [], facts: { kvm: false } });
    expect(pty.devices.serials).toEqual([{ type: 'pty', port: 0 }]);
    expect(pty.devices.consoles).toEqual([{ type: 'pty', targetType: 'serial', port: 0 }]);
    const none = emptyDomain();
    serialConsoleConfigurator.configure(plainVmi({ devices: { autoattachSerialConsole: false } }), none, { assignments: [], facts: { kvm: false } });
    expect(none.devices.serials).toEqual([]);
    expect(none.devices.consoles).toEqual([]);
  });
});
