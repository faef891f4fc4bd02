/**
 * `GET|PUT|DELETE admin/mappings`, `POST admin/mappings/import` (CSV body) and `GET admin/mappings/suggest`.
 */
import { z } from 'zod';
import {
  MappingInput,
  MappingKey,
  MappingKindSchema,
  deleteMapping,
  importMappingsCsv,
  listMappings,
  toMappingsCsv,
  upsertMapping,
} from '../sync/admin/mappings.js';
import { suggestMappings } from '../sync/admin/suggest.js';
import { appAdminDeps } from './app-runtime.js';
import { adminHandler, bodyInput, noInput, ok, queryInput, textBodyInput, type AdminDeps } from './admin-http.js';
import { badRequest } from './http-io.js';

const ListMappingsQuery = z.object({ kind: MappingKindSchema.optional() });

export function createListMappingsHandler(deps: AdminDeps) {
  return adminHandler(deps, queryInput(ListMappingsQuery), async (query, call) => {
    const mappings = await listMappings(call.deps, query.kind);
    return ok({ items: mappings, count: mappings.length });
  });
}

export function createUpsertMappingHandler(deps: AdminDeps) {
  return adminHandler(deps, bodyInput(MappingInput), async (input, call) => {
    const mapping = await upsertMapping(call.deps, input);
    call.info(`mapping ${mapping.kind} ${mapping.source} → ${mapping.target} saved`);
    return ok({ mapping });
  });
}

export function createDeleteMappingHandler(deps: AdminDeps) {
  return adminHandler(deps, bodyInput(MappingKey), async (key, call) => {
    const mapping = await deleteMapping(call.deps, key);
    call.info(`mapping ${mapping.kind} ${mapping.source} deleted`);
    return ok({ deleted: mapping });
  });
}

export function createImportMappingsHandler(deps: AdminDeps) {
  return adminHandler(deps, textBodyInput, async (text, call) => {
    const result = await importMappingsCsv(call.deps, text);
    if (!result.ok) return badRequest(result.problems);
    call.info(`imported ${result.imported} mapping(s)`);
    return ok(result);
  });
}

/** Every mapping as CSV, in the form `POST admin/mappings/import` reads back. */
export function createExportMappingsHandler(deps: AdminDeps) {
  return adminHandler(deps, noInput, async (_none, call) => ({
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="mappings.csv"',
    },
    body: toMappingsCsv(await listMappings(call.deps)),
  }));
}

export function createSuggestMappingsHandler(deps: AdminDeps) {
  return adminHandler(deps, noInput, async (_none, call) => {
    const suggestions = await suggestMappings(call.deps);
    return ok({
      suggestions,
      count: suggestions.length,
      newMappings: suggestions.filter((s) => !s.coveredByDefault).length,
    });
  });
}

// Registered by src/main.ts under the names admin-mappings-list, -upsert, -delete, -import, -export and -suggest.
export const listMappingsRoute = createListMappingsHandler(appAdminDeps);
export const upsertMappingRoute = createUpsertMappingHandler(appAdminDeps);
export const deleteMappingRoute = createDeleteMappingHandler(appAdminDeps);
export const importMappingsRoute = createImportMappingsHandler(appAdminDeps);
export const exportMappingsRoute = createExportMappingsHandler(appAdminDeps);
export const suggestMappingsRoute = createSuggestMappingsHandler(appAdminDeps);
