/**
 * A host process for one model request (Classify Image, Export Model): started for the command and
 * stopped when it ends, so tfjs never stays in memory after a one-off prediction. Pure Node.
 */
import { HostClient, type HostClientOptions } from './hostClient';

/** Runs `work` with a fresh host client and always disposes it (the child exits). */
export async function withModelHost<T>(options: HostClientOptions, work: (client: HostClient) => Promise<T>): Promise<T> {
  const client = new HostClient(options);
  try {
    return await work(client);
  } finally {
    client.dispose();
  }
}
