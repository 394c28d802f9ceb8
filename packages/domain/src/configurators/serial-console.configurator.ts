import type { DomainConfigurator } from './configurator.js';

/**
 * Serial port 0 plus a console on it (the guest's ttyS0), unless autoattachSerialConsole is
 * false. Written to NodeFacts.consoleLogPath when given (the launcher keeps the log), else a pty.
 */
export const serialConsoleConfigurator: DomainConfigurator = {
  name: 'serial-console',
  configure(vmi, domain, { facts }) {
    if (vmi.spec?.domain?.devices?.autoattachSerialConsole === false) {
      domain.devices.serials = [];
      domain.devices.consoles = [];
      return;
    }
    const path = facts.consoleLogPath;
    if (path !== undefined && path !== '') {
      domain.devices.serials = [{ type: 'file', path, port: 0 }];
      domain.devices.consoles = [{ type: 'file', path, targetType: 'serial', port: 0 }];
    } else {
      domain.devices.serials = [{ type: 'pty', port: 0 }];
      domain.devices.consoles = [{ type: 'pty', targetType: 'serial', port: 0 }];
    }
  },
};
