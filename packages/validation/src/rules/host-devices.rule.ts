import { FeatureGate, isGateEnabled, isResourcePermitted, MAX_DEVICES, notPermittedMessage, type StatusCause } from '@qvirt/api';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';
import { aliasNameErrors, isAliasName } from '../names.js';
import { deviceEntryCauses, type EntryNameRule } from './device-entries.js';

/** KubeVirt's message. */
export const HOST_DEVICES_GATE_DISABLED_MESSAGE = 'Host Devices feature gate is not enabled in kubevirt-config';

const ALIAS_PREFIX = 'ua-hostdevice-';

/**
 * KubeVirt puts no rule on a host device's name; qvirt makes it the libvirt alias
 * `ua-hostdevice-<name>`, so a name is refused only where that alias would not be valid
 * (`GPU1`, `hostdev_name0` pass).
 */
const hostDeviceName: EntryNameRule = { valid: isAliasName, errors: (name) => aliasNameErrors(name, ALIAS_PREFIX) };

/** spec.domain.devices.hostDevices: the HostDevices gate, names, deviceNames, permittedHostDevices. */
export const validateHostDevices: SpecRule = (fieldPath, spec, config) => {
  const hostDevices = spec.domain?.devices?.hostDevices;
  if (hostDevices === undefined || hostDevices.length > MAX_DEVICES) return [];
  const field = child(fieldPath, 'domain.devices.hostDevices');
  const causes: StatusCause[] = [];
  if (hostDevices.length > 0 && !isGateEnabled(config, FeatureGate.HostDevices)) {
    causes.push({ type: 'FieldValueInvalid', field, message: HOST_DEVICES_GATE_DISABLED_MESSAGE });
  }
  causes.push(
    ...deviceEntryCauses(field, hostDevices, hostDeviceName, (deviceName, f) =>
      isResourcePermitted(config, deviceName) ? [] : [{ type: 'FieldValueInvalid', field: f(), message: notPermittedMessage('hostDevices', deviceName) }],
    ),
  );
  return causes;
};
