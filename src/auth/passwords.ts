import { hash, verify, Algorithm } from '@node-rs/argon2';

// argon2id with OWASP's 2024 minimum (19 MiB, t=2, p=1).
const OPTS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, OPTS);
export const verifyPassword = async (stored: string, password: string): Promise<boolean> => {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
};
/** Spend the same time when the account does not exist, so timing does not reveal it. */
let dummy: Promise<string> | undefined;
export const burnPasswordTime = async (password: string): Promise<void> => {
  dummy ??= hashPassword('not-a-real-account-password');
  await verifyPassword(await dummy, password);
};
