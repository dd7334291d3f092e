// SPDX-License-Identifier: Apache-2.0
export { createLogger, logSettingsFromEnv } from './logger.js';
export type { Io, Logger, LogLevel, LogSettings } from './logger.js';
