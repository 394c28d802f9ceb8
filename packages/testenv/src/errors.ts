/** A control-plane component failed to start or become ready; the message names its log file. */
export class ControlPlaneStartError extends Error {
  override readonly name = 'ControlPlaneStartError';
  constructor(
    readonly component: string,
    reason: string,
    readonly logPath: string | undefined,
    logTail = '',
  ) {
    super(`${component}: ${reason}` + (logPath ? `; log: ${logPath}` : '') + (logTail ? `\n--- last lines of ${component} log ---\n${logTail}` : ''));
  }
}

/** scripts/kube-bin.sh failed or printed no usable directory. */
export class KubeBinError extends Error {
  override readonly name = 'KubeBinError';
}

/** Bad input to the test environment (which option, why). */
export class TestEnvInputError extends Error {
  override readonly name = 'TestEnvInputError';
}
