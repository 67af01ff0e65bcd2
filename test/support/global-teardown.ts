import { endRun } from './temp-dirs';

/** Removes the run's temporary directory (see temp-dirs.ts), with any PostgreSQL a fault test left running in it. */
export default async function globalTeardown(): Promise<void> {
  await endRun();
}
