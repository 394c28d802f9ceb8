// @qvirt/kube/controller: what a controller runs on besides the client: the rate-limited work
// queue, its workers, leader election, and the memory of its own status writes.
export { WorkQueue, type WorkQueueOptions } from './work-queue.js';
export { ItemExponentialRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';
export { runWorkers, TerminalError, type ReconcileResult, type RunWorkersOptions } from './workers.js';
export { LeaderElector, type LeaderElectorOptions, type LeaderElectionOutcome } from './leader-election.js';
export { decideLease, desiredLease, leaseRecord, microTime, type Lease, type LeaseAction, type LeaseObservation } from './lease.js';
export { OwnStatusWrites } from './own-status-writes.js';
