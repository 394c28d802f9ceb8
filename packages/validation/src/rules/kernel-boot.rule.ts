import type { StatusCause } from '@qvirt/api';
import { validateAbsoluteFilePath } from '../absolute-path.js';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';

/**
 * Direct kernel boot: exactly one source, `container` (KubeVirt) or `hostPath` (qvirt).
 * hostPath needs an absolute kernelPath, and an absolute initrdPath when set; a container
 * needs at least one of kernelPath/initrdPath, each absolute (KubeVirt's rules and messages).
 */
export const validateKernelBoot: SpecRule = (fieldPath, spec) => {
  const kernelBoot = spec.domain?.firmware?.kernelBoot;
  if (kernelBoot === undefined) return [];
  const field = child(fieldPath, 'domain.firmware.kernelBoot');
  const { container, hostPath } = kernelBoot;
  const causes: StatusCause[] = [];
  if (container !== undefined && hostPath !== undefined) {
    causes.push({ type: 'FieldValueInvalid', field, message: `${field} must have exactly one of container or hostPath, not both` });
  } else if (container === undefined && hostPath === undefined) {
    causes.push({ type: 'FieldValueRequired', field, message: `${field} must have exactly one of container or hostPath` });
  }
  if (hostPath !== undefined) {
    const hostPathField = child(field, 'hostPath');
    if (hostPath.kernelPath !== undefined) causes.push(...pathCauses(child(hostPathField, 'kernelPath'), hostPath.kernelPath));
    if (hostPath.initrdPath !== undefined) causes.push(...pathCauses(child(hostPathField, 'initrdPath'), hostPath.initrdPath));
  }
  if (container !== undefined) {
    const containerField = child(field, 'container');
    const { kernelPath, initrdPath } = container;
    if (!kernelPath && !initrdPath) {
      causes.push({
        type: 'FieldValueInvalid',
        field: containerField,
        message: 'must be defined with at least one of the following: kernelPath, initrdPath',
      });
    } else if (!kernelPath) {
      // KubeVirt admits an initrd alone; libvirt boots no initrd without a kernel, so refuse it here, not at launch.
      const kernelField = child(containerField, 'kernelPath');
      causes.push({
        type: 'FieldValueRequired',
        field: kernelField,
        message: `${kernelField} is required: qvirt boots the kernel of the image, and an initrd alone cannot boot`,
      });
    }
    if (kernelPath) causes.push(...pathCauses(child(containerField, 'kernelPath'), kernelPath));
    if (initrdPath) causes.push(...pathCauses(child(containerField, 'initrdPath'), initrdPath));
  }
  return causes;
};

function pathCauses(field: string, path: string): StatusCause[] {
  if (path === '') return [{ type: 'FieldValueRequired', field, message: `${field}: Required value` }];
  return validateAbsoluteFilePath(field, path);
}
