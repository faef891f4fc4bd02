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
      // A next link that leads back to a page already read (or a page equal to the one before) would loop
      // until the function times out; it ends the walk as an error, never as a silent partial list.
      const visited = new Set<string>();
      let previousRows: string | undefined;
      let next: string | undefined = firstUrl;
      while (next !== undefined) {
        visited.add(new URL(next, apiOrigin).toString());
        const prefer = `odata.maxpagesize=${pageSize}`;
        const answer = await send({ method: 'GET', url: next, operation, retry: 'idempotent', prefer });
        const page = parseEntity(BcPage, parseJson(answer.text, operation), `${entity} page`, operation);
        const rows = JSON.stringify(page.value);
        if (page.value.length > 0 && rows === previousRows)
          throw notPaging(operation, entity, 'repeated the page before');
        previousRows = rows;
        for (const item of page.value) yield parseEntity(schema, item, entity, operation);
        next = page['@odata.nextLink'];
        // The bearer token goes only to the configured API host, whatever a next link says.
        if (next !== undefined && new URL(next, apiOrigin).origin !== apiOrigin) {
          throw new ValidationError(`BC ${operation}: next link points to another host`, { system: 'bc' });
        }
        if (next !== undefined) next = new URL(next, apiOrigin).toString();
        if (next !== undefined && visited.has(next))
          throw notPaging(operation, entity, 'linked back to a page already read');
      }
    },
  };
}

function notPaging(operation: string, entity: string, what: string): ValidationError {
  return new ValidationError(
    `BC ${operation}: the ${entity} listing's next link ${what}, so the listing is incomplete; ` +
      'run again, and report it to the BC administrator if it repeats.',
    { system: 'bc' },
  );
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
