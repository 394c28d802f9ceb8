// @qvirt/testing: the test toolkit every workspace shares. This face runs anywhere (tests, test
// support, the local stack's scripts under plain node); what registers vitest hooks is under
// `@qvirt/testing/vitest`, so importing this never loads vitest.
export { eventually, EventuallyError, type EventuallyOptions, type Probe } from './eventually.js';
