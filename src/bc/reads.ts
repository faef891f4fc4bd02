/** Reading BC entities over the transport: one by id, or every page of a collection. */
import type { z } from 'zod';
import { ValidationError, isConnectorError } from '../core/errors.js';
import { parseEntity, parseJson } from './parse.js';
import { BcPage } from './schemas.js';
import type { BcSend } from './transport.js';

export interface BcReader {
  /** The entity, or undefined when BC answers not found. */
  getOne: <S extends z.ZodType>(
    schema: S,
    entity: string,
    url: string,
    operation: string,
  ) => Promise<z.output<S> | undefined>;
  /** Every entity of a collection, following `@odata.nextLink` page by page (reference/bc-api.md §1.2). */
  listAll: <S extends z.ZodType>(
    schema: S,
    entity: string,
    url: string,
    operation: string,
  ) => AsyncGenerator<z.output<S>>;
}

export function createBcReader(send: BcSend, apiOrigin: string, pageSize: number): BcReader {
  return {
    async getOne(schema, entity, url, operation) {
      try {
        const answer = await send({ method: 'GET', url, operation, retry: 'idempotent' });
        return parseEntity(schema, parseJson(answer.text, operation), entity, operation);
      } catch (error) {
        if (isConnectorError(error) && error.kind === 'not-found') return undefined;
        throw error;
      }
    },

    async *listAll(schema, entity, firstUrl, operation) {
      let next: string | undefined = firstUrl;
      while (next !== undefined) {
        const prefer = `odata.maxpagesize=${pageSize}`;
        const answer = await send({ method: 'GET', url: next, operation, retry: 'idempotent', prefer });
        const page = parseEntity(BcPage, parseJson(answer.text, operation), `${entity} page`, operation);
        for (const item of page.value) yield parseEntity(schema, item, entity, operation);
        next = page['@odata.nextLink'];
        // The bearer token goes only to the configured API host, whatever a next link says.
        if (next !== undefined && new URL(next, apiOrigin).origin !== apiOrigin) {
          throw new ValidationError(`BC ${operation}: next link points to another host`, { system: 'bc' });
        }
        if (next !== undefined) next = new URL(next, apiOrigin).toString();
      }
    },
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
