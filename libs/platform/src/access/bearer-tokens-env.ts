import { z } from 'zod';

/** Shorter tokens can be guessed; these are what examples and defaults ship, never secrets. */
export const MIN_TOKEN_LENGTH = 16;
const WELL_KNOWN = /^(?:change-?me.*|changeit|secret|password|passw0rd|token|admin|default|example|test|letmein|please-?change.*)$/i;

/**
 * A comma-separated list of bearer tokens (INGEST_TOKENS, ADMIN_TOKENS, READ_TOKENS). Start-up refuses
 * weak ones: shorter than 16 characters or a well-known placeholder such as `change-me`. The message
 * never repeats the token.
 */
export const bearerTokens = () =>
  z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .default('')
      .transform((text) => text.split(',').map((item) => item.trim()).filter((item) => item.length > 0))
      .superRefine((tokens, ctx) => {
        tokens.forEach((token, index) => {
          if (token.length < MIN_TOKEN_LENGTH || WELL_KNOWN.test(token)) {
            ctx.addIssue({
              code: 'custom',
              message: `token ${index + 1} is weak (shorter than ${MIN_TOKEN_LENGTH} characters or a well-known placeholder); generate one, e.g. openssl rand -hex 24`,
            });
          }
        });
      }),
  );

/** The read APIs of timeline and renderer; when unset, they answer requests from this machine only. */
export const readAccessEnv = { READ_TOKENS: bearerTokens() };
