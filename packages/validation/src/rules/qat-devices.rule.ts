import {
  FeatureGate,
  isGateEnabled,
  isResourcePermitted,
  MAX_DEVICES,
  notPermittedMessage,
  ResourceNames,
  type ClusterConfig,
  type StatusCause,
} from '@qvirt/api';
import { invalid } from '../causes.js';
import { child } from '../field-path.js';
import type { SpecRule } from '../spec-view.js';
import { dns1123LabelErrors, isDns1123Label } from '../names.js';
import { deviceEntryCauses, type EntryNameRule } from './device-entries.js';

/** The cause for a VMI with QATs while the QAT gate is off (ADR 0005; KubeVirt's wording for its gates). */
export const QAT_GATE_DISABLED_MESSAGE = 'QAT feature gate is not enabled in kubevirt-config';

/** A QAT's name is a DNS-1123 label: the API contract (DESIGN.md) and ADR 0005. */
const qatName: EntryNameRule = { valid: isDns1123Label, errors: dns1123LabelErrors };

/**
 * spec.domain.devices.qats: the QAT gate, names, deviceNames. A deviceName must be listed in
 * permittedHostDevices when that list is set (it is then the cluster's allow-list, as for
 * hostDevices); without a list it must be a `qat.intel.com/` resource (docs/decisions/0005).
 */
export const validateQatDevices: SpecRule = (fieldPath, spec, config) => {
  const qats = spec.domain?.devices?.qats;
  if (qats === undefined || qats.length > MAX_DEVICES) return [];
  const field = child(fieldPath, 'domain.devices.qats');
  const causes: StatusCause[] = [];
  if (qats.length > 0 && !isGateEnabled(config, FeatureGate.QAT)) {
    causes.push({ type: 'FieldValueInvalid', field, message: QAT_GATE_DISABLED_MESSAGE });
  }
  causes.push(...deviceEntryCauses(field, qats, qatName, (deviceName, f) => qatDeviceNameCauses(deviceName, f, config)));
  return causes;
};

/** The QAT policy for a well-formed deviceName; `field()` builds the cause's path. */
function qatDeviceNameCauses(deviceName: string, field: () => string, config: ClusterConfig): readonly StatusCause[] {
  if (config.permittedHostDevices !== undefined) {
    if (isResourcePermitted(config, deviceName)) return NO_CAUSES;
    return [{ type: 'FieldValueInvalid', field: field(), message: notPermittedMessage('qats', deviceName) }];
  }
  if (deviceName.startsWith(ResourceNames.qatPrefix)) return NO_CAUSES;
  return [
    invalid(
      field(),
      deviceName,
      `a QAT deviceName must be a ${ResourceNames.qatPrefix} resource (e.g. ${ResourceNames.qatGeneric}) unless permittedHostDevices lists it`,
    ),
  ];
}

const NO_CAUSES: readonly StatusCause[] = Object.freeze([]);
