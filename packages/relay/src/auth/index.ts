/** Passwords, tokens and login throttling for the relay. */
export { hashPassword, verifyPassword, isPasswordHash, DEFAULT_SCRYPT_PARAMS } from './password.js';
export type { ScryptParams } from './password.js';
export { newToken, hashToken, newId } from './tokens.js';
export { LoginThrottle } from './throttle.js';
export type { LoginThrottleOptions } from './throttle.js';
