/** Starts the Cin7 simulator and a client pointed at it, with limits and backoff scaled down for tests. */
import {
  createCin7Client,
  createCin7Limiter,
  type Cin7Client,
  type CreateCin7ClientOptions,
} from '../../src/cin7/client.js';
import { FaultControl } from '../sandbox/faults.js';
import { startCin7Simulator, type Cin7Simulator, type Cin7SimulatorOptions } from '../sandbox/cin7/index.js';

export const accountId = 'a1b2c3d4-0000-4000-8000-000000000001';
export const applicationKey = 'app-key-9f8e7d6c-SECRET';

export interface Harness {
  sim: Cin7Simulator;
  faults: FaultControl;
  client: Cin7Client;
  /** Another client on the same simulator (e.g. with other credentials). */
  makeClient(overrides?: Partial<CreateCin7ClientOptions>): Cin7Client;
  close(): Promise<void>;
}

export async function startHarness(
  options: { sim?: Partial<Cin7SimulatorOptions>; client?: Partial<CreateCin7ClientOptions>; seed?: number } = {},
): Promise<Harness> {
  const faults = new FaultControl(options.seed ?? 7);
  const sim = await startCin7Simulator({
    accountId,
    applicationKey,
    faults,
    seed: options.seed ?? 7,
    rateLimit: false,
    ...options.sim,
  });
  const clients: Cin7Client[] = [];
  const makeClient = (overrides: Partial<CreateCin7ClientOptions> = {}): Cin7Client => {
    const client = createCin7Client({
      baseUrl: sim.baseUrl,
      accountId,
      applicationKey,
      // Generous by default: tests about limits pass their own limiter.
      limiter: createCin7Limiter({ callsPerMinute: 10_000, windowMs: 1000 }),
      backoff: { baseMs: 10, maxMs: 100 },
      ...options.client,
      ...overrides,
    });
    clients.push(client);
    return client;
  };
  const client = makeClient();
  return {
    sim,
    faults,
    client,
    makeClient,
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
    },
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Awaits a promise expected to reject and returns the reason. */
export async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
