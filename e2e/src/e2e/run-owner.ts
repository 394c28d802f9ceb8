/** `.stack/<OWNER_FILE>` holds the id of the test run that started the stack (it stops it again). */
export const OWNER_FILE = 'e2e-owner';
/** Set by the global setup for its workers: this run's id. */
export const RUN_ID_ENV = 'QVIRT_E2E_RUN_ID';
