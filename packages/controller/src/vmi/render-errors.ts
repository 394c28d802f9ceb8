/** The launcher pod cannot be rendered for this VMI; `reason` becomes the event/condition reason. */
export class LauncherPodRenderError extends Error {
  override name = 'LauncherPodRenderError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}
