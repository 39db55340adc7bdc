import { Logger as NestLogger } from '@nestjs/common';
import { LogLevel, type Logger } from '@slack/bolt';

/** Bolt's log lines go through the service's JSON logger (pino), like everything else. */
export function boltLogger(): Logger {
  let name = 'SlackBolt';
  let level = LogLevel.INFO;
  let logger = new NestLogger(name);
  const text = (parts: unknown[]) => parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...parts) => logger.debug(text(parts)),
    info: (...parts) => logger.log(text(parts)),
    warn: (...parts) => logger.warn(text(parts)),
    error: (...parts) => logger.error(text(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
      logger = new NestLogger(name);
    },
  };
}
