// @qvirt/qat/testing: a SIMULATED QAT host (a sysfs and /dev tree laid out as on a real host)
// for tests and the local stack, and a fake kernel that records sysfs writes. No hardware here.
export { FakeHostSpecError } from './errors.js';
export {
  buildFakeQatHost,
  FakeQatHost,
  vfAddress,
  defaultPfAddress,
  type FakeQatHostSpec,
  type FakePfSpec,
  type FakeVfSpec,
  type FakeOtherDeviceSpec,
  type FakePfLayout,
} from './fake-host.js';
export { FakeKernel, type RecordedWrite } from './fake-kernel.js';
