export { flagReader, LOG_LEVELS, DNS_SUBDOMAIN, nonEmpty, stringFlags, type FlagReader, type FlagProblem, type FlagValues, type FlagOptions } from './flags.js';
