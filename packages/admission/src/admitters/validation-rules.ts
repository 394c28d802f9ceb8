import { defaultVm, defaultVmi, validateVm, validateVmiCreate, validateVmiUpdate } from '@qvirt/validation';
import type { AdmissionRules } from './webhooks.js';

/** The admission rules from @qvirt/validation, the same the offline `virt-api validate` uses. */
export const validationRules: AdmissionRules = {
  validateVmiCreate,
  validateVmiUpdate,
  validateVm,
  defaultVmi,
  defaultVm,
};
