import type { Condition, ObjectMeta } from './meta.js';
import type { GROUP_VERSION, VirtualMachineInstanceSpec } from './vmi.js';

export const RUN_STRATEGIES = ['Always', 'Halted', 'Manual', 'RerunOnFailure', 'Once'] as const;
export type RunStrategy = (typeof RUN_STRATEGIES)[number];

export interface VirtualMachineSpec {
  /** Legacy switch; mutually exclusive with runStrategy (as in KubeVirt). */
  running?: boolean;
  runStrategy?: RunStrategy;
  template: { metadata?: Pick<ObjectMeta, 'labels' | 'annotations'>; spec: VirtualMachineInstanceSpec };
}

/** KubeVirt's printableStatus values for the subset we implement. */
export type PrintableStatus =
  'Stopped' | 'Provisioning' | 'Starting' | 'Running' | 'Stopping' | 'Terminating' | 'CrashLoopBackOff' | 'ErrorUnschedulable' | 'Unknown';

export interface VirtualMachineStatus {
  created?: boolean;
  ready?: boolean;
  printableStatus?: PrintableStatus;
  runStrategy?: RunStrategy;
  conditions?: Condition[];
  observedGeneration?: number;
}

export interface VirtualMachine {
  apiVersion: typeof GROUP_VERSION;
  kind: 'VirtualMachine';
  metadata: ObjectMeta;
  spec: VirtualMachineSpec;
  status?: VirtualMachineStatus;
}
