export { LauncherClient, type CallOptions } from './client.js';
export { serveLauncher, type LauncherServer, type ServeLauncherOptions } from './server.js';
export { LauncherRpcError, LauncherSocketError, type LauncherRpcCode } from './errors.js';
export type { LauncherHandlers, PingInfo, ResourceAllocation } from './messages.js';
export { LAUNCHER_PROTO_PATH } from './launcher-service.js';
export { readExitRecord, writeExitRecord, parseExitRecord, type LauncherExitRecord } from './exit-record.js';
