/** What the launcher tells the handler in Ping (launcher.proto PingResponse). */
export interface PingInfo {
  /** True once the launcher's own libvirtd answers. */
  ready: boolean;
  /** `<run-dir>/<vmi-uid>/libvirt-sock`. */
  libvirtSocket: string;
  vmiUid: string;
  launcherVersion: string;
  libvirtVersion: string;
  qemuVersion: string;
  /** File the domain's serial console must write to (`<run-dir>/<vmi-uid>/console.log`). */
  consoleLog: string;
}

/** The PCI addresses allocated to this pod for one resource (launcher.proto ResourceAllocation). */
export interface ResourceAllocation {
  resourceName: string;
  pciAddresses: string[];
  /** Env variable(s) the addresses came from, e.g. `PCI_RESOURCE_QAT_INTEL_COM_GENERIC` or `QAT0,QAT1`. */
  sourceEnv: string;
}

/** The server side: the launcher implements these. Throw LauncherRpcError to pick the status. */
export interface LauncherHandlers {
  ping(): PingInfo | Promise<PingInfo>;
  getAllocation(resourceNames: readonly string[]): ResourceAllocation[] | Promise<ResourceAllocation[]>;
}
