export { errFields, silentLogger, type Logger } from './logger.js';
