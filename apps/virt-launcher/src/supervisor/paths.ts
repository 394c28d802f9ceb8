import { launcherExitPath, launcherSocketPath, libvirtSocketPath } from '@qvirt/api/constants';

/** Every file the launcher of one VMI owns under the shared run dir (docs/architecture.md, "Node layout"). */
export interface LauncherPaths {
  /** `<run-dir>/<uid>`: shared with the handler (sockets, console log); virt-handler removes it once the VMI is deleted and this launcher is gone. */
  vmiDir: string;
  /** `<run-dir>/<uid>/libvirt-sock`. */
  libvirtSocket: string;
  /** `<run-dir>/<uid>/console.log`: the guest's serial console. */
  consoleLog: string;
  /** `<run-dir>/<uid>/private`: the private daemons' config and pid files (removed on exit). */
  privateDir: string;
  /** `<run-dir>/<uid>/log`: libvirtd.log, virtlogd.log, qemu/<domain>.log (kept on exit). */
  logDir: string;
  /** `<run-dir>/sockets/<uid>.sock`: launcher-rpc. */
  launcherSocket: string;
  /** `<run-dir>/<uid>/launcher-exit.json`: how this launcher ended, for the handler (kept on exit). */
  exitRecord: string;
}

export function launcherPaths(runDir: string, vmiUid: string): LauncherPaths {
  const vmiDir = `${runDir}/${vmiUid}`;
  return {
    vmiDir,
    libvirtSocket: libvirtSocketPath(runDir, vmiUid),
    consoleLog: `${vmiDir}/console.log`,
    privateDir: `${vmiDir}/private`,
    logDir: `${vmiDir}/log`,
    launcherSocket: launcherSocketPath(runDir, vmiUid),
    exitRecord: launcherExitPath(runDir, vmiUid),
  };
}
