/**
 * `GET|PUT|DELETE admin/mappings`, `POST admin/mappings/import` (CSV body) and `GET admin/mappings/suggest`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import {
  MappingInput,
  MappingKey,
  MappingKindSchema,
  deleteMapping,
  importMappingsCsv,
  listMappings,
  upsertMapping,
} from '../sync/admin/mappings.js';
import { suggestMappings } from '../sync/admin/suggest.js';
import { parseWith } from '../sync/admin/validation.js';
import { appRuntime, invocationLogger } from './app-runtime.js';
import { adminMaxBodyBytes, errorResponse, ok, queryOf, type AdminDeps } from './admin-http.js';
import { badRequest, readBodyText, readJsonBody } from './http-io.js';

const ListMappingsQuery = z.object({ kind: MappingKindSchema.optional() });

export function createListMappingsHandler(deps: AdminDeps) {
  return async function listMappingsHandler(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const query = parseWith(ListMappingsQuery, queryOf(request), 'query');
    if (!query.ok) return badRequest(query.problems);
    try {
      const mappings = await listMappings(await deps.getDeps(), query.value.kind);
      return ok({ items: mappings, count: mappings.length });
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

export function createUpsertMappingHandler(deps: AdminDeps) {
  return async function upsertMappingHandler(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const body = await readJsonBody(request, adminMaxBodyBytes);
    if (!body.ok) return body.response;
    const parsed = parseWith(MappingInput, body.body);
    if (!parsed.ok) return badRequest(parsed.problems);
    try {
      const mapping = await upsertMapping(await deps.getDeps(), parsed.value);
      deps.logger(context).info(`mapping ${mapping.kind} ${mapping.source} → ${mapping.target} saved`, {
        invocationId: context.invocationId,
      });
      return ok({ mapping });
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

export function createDeleteMappingHandler(deps: AdminDeps) {
  return async function deleteMappingHandler(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const body = await readJsonBody(request, adminMaxBodyBytes);
    if (!body.ok) return body.response;
    const parsed = parseWith(MappingKey, body.body);
    if (!parsed.ok) return badRequest(parsed.problems);
    try {
      const mapping = await deleteMapping(await deps.getDeps(), parsed.value);
      deps
        .logger(context)
        .info(`mapping ${mapping.kind} ${mapping.source} deleted`, { invocationId: context.invocationId });
      return ok({ deleted: mapping });
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

export function createImportMappingsHandler(deps: AdminDeps) {
  return async function importMappingsHandler(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const text = await readBodyText(request, adminMaxBodyBytes);
    if (!text.ok) return text.response;
    try {
      const result = await importMappingsCsv(await deps.getDeps(), text.body);
      if (!result.ok) return badRequest(result.problems);
      deps.logger(context).info(`imported ${result.imported} mapping(s)`, { invocationId: context.invocationId });
      return ok(result);
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

export function createSuggestMappingsHandler(deps: AdminDeps) {
  return async function suggestMappingsHandler(
    _request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    try {
      const suggestions = await suggestMappings(await deps.getDeps());
      return ok({
        suggestions,
        count: suggestions.length,
        newMappings: suggestions.filter((s) => !s.coveredByDefault).length,
      });
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

const adminDeps: AdminDeps = { getDeps: () => appRuntime().getDeps(), logger: invocationLogger };

app.http('admin-mappings-list', {
  route: 'admin/mappings',
  methods: ['GET'],
  authLevel: 'function',
  handler: createListMappingsHandler(adminDeps),
});
app.http('admin-mappings-upsert', {
  route: 'admin/mappings',
  methods: ['PUT'],
  authLevel: 'function',
  handler: createUpsertMappingHandler(adminDeps),
});
app.http('admin-mappings-delete', {
  route: 'admin/mappings',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: createDeleteMappingHandler(adminDeps),
});
app.http('admin-mappings-import', {
  route: 'admin/mappings/import',
  methods: ['POST'],
  authLevel: 'function',
  handler: createImportMappingsHandler(adminDeps),
});
app.http('admin-mappings-suggest', {
  route: 'admin/mappings/suggest',
  methods: ['GET'],
  authLevel: 'function',
  handler: createSuggestMappingsHandler(adminDeps),
});
