// Starts the HTTP API from configuration: Temporal client, pg pool, the merchant's secret and balance.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { gatewayConfig, type Config } from '../config.js';
import { closePool, createPool, migrate } from '../db/index.js';
import { gatewayDirectory } from '../gateway/directory.js';
import { buildApiServer } from './server.js';

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Connects to Temporal and PostgreSQL (migrating it) and listens on the configured port. */
export async function startApi(config: Config, databaseUrl: string, options: { host?: string; port?: number } = {}): Promise<RunningApi> {
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const pool = createPool(databaseUrl, { applicationName: 'recur-api' });
  await migrate(pool);
  const gatewayFor = gatewayDirectory(gatewayConfig(config));
  const { merchantId, keys } = config.gateway;
  const app = buildApiServer({
    temporal,
    taskQueue: config.temporal.taskQueue,
    pool,
    publicBaseUrl: config.api.publicBaseUrl,
    secretFor: async (id) => (id === merchantId ? keys.secretKey : undefined),
    balanceInquiry: async (id) => {
      if (id !== merchantId) return undefined;
      const answer = await gatewayFor(id).balanceInquiry();
      return { availableBalance: answer.availableBalance, currency: answer.currency };
    },
  });
  const url = await app.listen({ host: options.host ?? '0.0.0.0', port: options.port ?? config.api.port });
  return {
    app,
    url,
    async close() {
      await app.close();
      await closePool(pool);
      await connection.close();
    },
  };
}

