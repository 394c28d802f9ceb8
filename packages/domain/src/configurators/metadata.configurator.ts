import { DomainRenderError } from '../errors.js';
import { UUID_RE, vmiUuid } from '../stable-uuid.js';
import type { VmiReference } from '../domain-model.js';
import type { DomainConfigurator } from './configurator.js';

const DEFAULT_NAMESPACE = 'default';

/** Name `<namespace>_<name>` (KubeVirt's), UUID, and the VMI's identity in `<metadata>`. */
export const metadataConfigurator: DomainConfigurator = {
  name: 'metadata',
  configure(vmi, domain) {
    const meta = vmi.metadata ?? {};
    if (typeof meta.name !== 'string' || meta.name.length === 0) {
      throw new DomainRenderError('metadata.name', 'required: the domain is named after the VMI');
    }
    const namespace = meta.namespace && meta.namespace.length > 0 ? meta.namespace : DEFAULT_NAMESPACE;
    domain.name = `${namespace}_${meta.name}`;

    const fixed = vmi.spec?.domain?.firmware?.uuid;
    if (fixed !== undefined) {
      if (typeof fixed !== 'string' || !UUID_RE.test(fixed)) {
        throw new DomainRenderError('spec.domain.firmware.uuid', `${JSON.stringify(fixed)} is not a UUID`);
      }
    }
    domain.uuid = vmiUuid({ uid: meta.uid, name: meta.name, namespace }, fixed);

    const ref: VmiReference = { namespace, name: meta.name };
    if (meta.uid) ref.uid = meta.uid;
    const grace = vmi.spec?.terminationGracePeriodSeconds;
    if (grace !== undefined) {
      if (!Number.isInteger(grace) || grace < 0) {
        throw new DomainRenderError('spec.terminationGracePeriodSeconds', `${JSON.stringify(grace)} is not a non-negative integer`);
      }
      ref.gracePeriodSeconds = grace;
    }
    domain.metadata = ref;
  },
};
