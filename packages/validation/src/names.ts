// Kubernetes' name rules (k8s.io/apimachinery/pkg/util/validation), same messages, so users
// see what `kubectl` would say. Each returns the problems found, [] when valid. Lengths are
// checked before any regex, so a huge string costs one comparison.

const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const QUALIFIED_NAME_MAX = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';

const dns1123Label = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123Subdomain = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const qualifiedName = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

/** Kubernetes' RegexError text, double space after each example's comma included. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  let text = msg;
  if (examples.length > 0) {
    text += ' (e.g. ' + examples.map((e) => `'${e}', `).join(' or ');
    text += `regex used for validation is '${fmt}')`;
  } else {
    text += ` (regex used for validation is '${fmt}')`;
  }
  return text;
}

const maxLen = (n: number): string => `must be no more than ${n} characters`;

/** The valid case of dns1123LabelErrors, without building a list. */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && dns1123Label.test(value);
}

export function dns1123LabelErrors(value: string): string[] {
  if (value.length > DNS1123_LABEL_MAX) return [maxLen(DNS1123_LABEL_MAX)];
  if (dns1123Label.test(value)) return [];
  // A valid subdomain of a label's length that is no label: it has dots (Kubernetes' wording).
  if (dns1123Subdomain.test(value)) return ['must not contain dots'];
  return [
    regexError(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      DNS1123_LABEL_FMT,
      'my-name',
      '123-abc',
    ),
  ];
}

export function dns1123SubdomainErrors(value: string): string[] {
  if (value.length > DNS1123_SUBDOMAIN_MAX) return [maxLen(DNS1123_SUBDOMAIN_MAX)];
  if (dns1123Subdomain.test(value)) return [];
  return [
    regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      DNS1123_SUBDOMAIN_FMT,
      'example.com',
    ),
  ];
}

const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** The valid case without building the error list (admission checks many names per request). */
function isQualifiedName(value: string): boolean {
  const slash = value.indexOf('/');
  const name = slash === -1 ? value : value.slice(slash + 1);
  if (name.length === 0 || name.length > QUALIFIED_NAME_MAX || !qualifiedName.test(name)) return false;
  if (slash === -1) return true;
  const prefix = value.slice(0, slash);
  return prefix.length > 0 && prefix.length <= DNS1123_SUBDOMAIN_MAX && dns1123Subdomain.test(prefix);
}

/** `[prefix/]name`, prefix a DNS subdomain (Kubernetes' IsQualifiedName). */
export function qualifiedNameErrors(value: string): string[] {
  if (isQualifiedName(value)) return [];
  const parts = value.split('/');
  const errs: string[] = [];
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part ${maxLen(QUALIFIED_NAME_MAX)}`);
  else if (!qualifiedName.test(name)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** The characters libvirt allows in a user alias (`ua-...`), which a device's name becomes part of. */
const alias = /^[A-Za-z0-9_-]+$/;

/** The valid case of aliasNameErrors, without building a list. */
export function isAliasName(value: string): boolean {
  return alias.test(value);
}

/**
 * A device name that goes into the libvirt alias `<prefix><name>` (e.g. `ua-hostdevice-GPU1`):
 * libvirt keeps a user alias only if it is made of letters, digits, '_' and '-'.
 */
export function aliasNameErrors(value: string, prefix: string): string[] {
  if (isAliasName(value)) return [];
  if (value === '') return [`must not be empty: it names the device's libvirt alias ${prefix}<name>`];
  return [`must consist of alphanumeric characters, '-' or '_': it becomes the libvirt alias ${prefix}<name>, which allows no other characters`];
}

/**
 * An extended resource name a device plugin can advertise: `<domain>/<name>`, a qualified
 * name outside the `kubernetes.io` namespace (native resources) and not starting with
 * `requests.` (resource quota's prefix), as Kubernetes' IsExtendedResourceName.
 */
/** The valid case of extendedResourceNameErrors, without building a list. */
export function isExtendedResourceName(value: string): boolean {
  return value.includes('/') && isQualifiedName(value) && !value.includes('kubernetes.io/') && !value.startsWith('requests.');
}

export function extendedResourceNameErrors(value: string): string[] {
  if (!value.includes('/')) return ['must be an extended resource name of the form <domain>/<name> (e.g. qat.intel.com/generic)'];
  const errs = qualifiedNameErrors(value);
  if (value.includes('kubernetes.io/')) {
    errs.push("the kubernetes.io domain is reserved for Kubernetes' native resources; an extended resource must use another domain");
  }
  if (value.startsWith('requests.')) errs.push('must not start with "requests." (that prefix is reserved for resource quota)');
  return errs;
}
