// @qvirt/libvirt/testing: a DomainManager without libvirt, for the unit tests of the layers above.
export { InMemoryDomainManager, type InMemoryDomainManagerOptions } from './in-memory-domain-manager.js';
