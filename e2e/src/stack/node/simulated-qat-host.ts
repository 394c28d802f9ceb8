// What the stack's node is shown: a simulated QAT host (no QAT hardware here).
import { ResourceNames } from '@qvirt/api';

/** The simulated QAT host of the stack's node: C62x VFs on vfio-pci, as on a real host. */
export const STACK_QAT_HOST = {
  pfs: [
    { generation: 'c62x' as const, vfs: 8 },
    { generation: 'c62x' as const, vfs: 8 },
  ],
};
export const STACK_QAT_VFS = 16;
export const QAT_RESOURCE = ResourceNames.qatGeneric;
