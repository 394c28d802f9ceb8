// libvirt's default event loop, driven from JS through koffi (ADR 0001).
//
// virEventRegisterDefaultImpl() must run once before the first virConnectOpen; then
// virEventRunDefaultImpl() runs one iteration on a koffi worker (`.async`), and each
// completion schedules the next. It blocks inside poll() until libvirt has work, so it holds
// one libuv threadpool thread while any connection is open. To stop it we wake it with a
// zero-delay timeout and simply do not schedule another iteration.
// Lifecycle/close callbacks fire on that worker; koffi runs them on the JS thread.
import { callAsync, loadNative, registerCallback, type Ptr } from './native.js';
import { errFields, type Logger } from '@qvirt/log';

class DefaultEventLoop {
  private registered = false;
  private users = 0;
  private iteration: Promise<void> | null = null;
  private wakeCallback: Ptr | null = null;
  private wakeTimer = -1;
  private logger: Logger | undefined;

  /** Registers the default implementation (idempotent). Must precede the first open. */
  ensureRegistered(): void {
    if (this.registered) return;
    const n = loadNative();
    if ((n.virEventRegisterDefaultImpl() as number) < 0) {
      throw new Error('virEventRegisterDefaultImpl failed: libvirt events are unavailable in this process');
    }
    // A no-op: its only job is to make the blocked iteration return.
    this.wakeCallback = registerCallback(() => undefined, n.timeoutCbPtr);
    this.registered = true;
  }

  /** One more user (an open connection): the loop runs while there is at least one. */
  acquire(logger?: Logger): void {
    this.ensureRegistered();
    this.logger ??= logger;
    this.users++;
    this.clearWake();
    if (!this.iteration) this.spin();
  }

  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users === 0 && this.iteration) this.wake();
  }

  get running(): boolean {
    return this.iteration !== null;
  }

  /** Resolves when the loop has stopped (no users and the last iteration returned). */
  async idle(): Promise<void> {
    while (this.iteration) await this.iteration;
  }

  private spin(): void {
    const n = loadNative();
    this.iteration = callAsync<number>(n.virEventRunDefaultImpl).then(
      (rc) => {
        if (rc < 0) this.logger?.warn({ rc }, 'virEventRunDefaultImpl failed; retrying');
        this.afterIteration();
      },
      (err: unknown) => {
        this.logger?.error(errFields(err), 'libvirt event loop iteration threw');
        this.afterIteration();
      },
    );
  }

  private afterIteration(): void {
    this.iteration = null;
    if (this.users > 0) {
      this.clearWake();
      this.spin();
    } else {
      this.clearWake();
    }
  }

  private wake(): void {
    if (this.wakeTimer >= 0) return;
    const n = loadNative();
    this.wakeTimer = n.virEventAddTimeout(0, this.wakeCallback, null, null) as number;
  }

  private clearWake(): void {
    if (this.wakeTimer < 0) return;
    loadNative().virEventRemoveTimeout(this.wakeTimer);
    this.wakeTimer = -1;
  }
}

/** The process-wide loop (libvirt has exactly one default event implementation per process). */
export const eventLoop = new DefaultEventLoop();
