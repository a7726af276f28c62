import { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type VersionRow,
  versionCreator,
  versionFinder,
  versionLister,
  versionRestorer,
} from '../commands/versionCommands.ts';
import type { AppEnv } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

const Version = z
  .object({
    id: z.string().openapi({ description: 'The version number, as the paths below take it', example: '42' }),
    name: z.string().nullable(),
    kind: z.enum(['named', 'automatic']),
    createdAt: z.string().datetime(),
    createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .openapi('Version');

const VersionParams = IdParam.extend({
  version: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a version number')
    .openapi({ param: { name: 'version', in: 'path' }, example: '42' }),
});

const VersionName = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Give the version a name.')
      .max(120, 'A version name can be at most 120 characters.')
      .openapi({ example: 'Sent to commander' }),
  })
  .openapi('VersionName');

/**
 * The briefing as `briefingToJSON` reads it (packages/briefing's BriefingJSONSchema, which validates
 * it; docs/document-schema.md). Described here as an object: its rich text is recursive, which the
 * OpenAPI generator cannot walk.
 */
const BriefingOfVersion = z.object({}).passthrough().openapi('BriefingJSON', {
  description: 'briefingToJSON of the version: fields, sections, lessons, excerpts, comments',
});

const toVersion = (row: VersionRow) => ({ ...row, createdAt: row.createdAt.toISOString() });

export function versionRoutes(deps: AppDeps) {
  const { onBriefing } = routeGuards(deps);
  const { db } = deps;

  const listVersions = guardedRoute(onBriefing('version.read'), {
    method: 'get',
    path: '/briefings/{id}/versions',
    tags: ['versions'],
    summary: 'Named and automatic versions of a briefing, newest first',
    request: { params: IdParam },
    responses: { 200: json(z.object({ versions: z.array(Version) }), 'The versions'), ...errorResponses(404) },
  });
  const createVersion = guardedRoute(onBriefing('version.create'), {
    method: 'post',
    path: '/briefings/{id}/versions',
    tags: ['versions'],
    summary: 'Save the briefing as it is now under a name',
    request: { params: IdParam, body: jsonBody(VersionName) },
    responses: { 201: json(Version, 'The version'), ...errorResponses(400, 404) },
  });
  const getVersion = guardedRoute(onBriefing('version.read'), {
    method: 'get',
    path: '/briefings/{id}/versions/{version}',
    tags: ['versions'],
    summary: 'A version, read only: the briefing as it was (toJSON)',
    request: { params: VersionParams },
    responses: {
      200: json(z.object({ version: Version, briefing: BriefingOfVersion }), 'The version'),
      ...errorResponses(400, 404),
    },
  });
  const restoreVersion = guardedRoute(onBriefing('version.restore'), {
    method: 'post',
    path: '/briefings/{id}/versions/{version}/restore',
    tags: ['versions'],
    summary: 'Restore a version as a live change; the state before it is saved as a version first',
    request: { params: VersionParams },
    responses: {
      200: json(z.object({ restored: Version, restorePoint: Version }), 'Restored'),
      ...errorResponses(400, 404),
    },
  });

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listVersions, async (c) => {
      const rows = await versionLister(db, c.var.ctx, c.req.valid('param').id);
      return c.json({ versions: rows.map(toVersion) }, 200);
    })
    .openapi(createVersion, async (c) => {
      const input = { id: c.req.valid('param').id, name: c.req.valid('json').name };
      return c.json(toVersion(await versionCreator(deps, c.var.ctx, input)), 201);
    })
    .openapi(getVersion, async (c) => {
      const { version, briefing } = await versionFinder(db, c.var.ctx, c.req.valid('param'));
      return c.json({ version: toVersion(version), briefing }, 200);
    })
    .openapi(restoreVersion, async (c) => {
      const { restored, restorePoint } = await versionRestorer(deps, c.var.ctx, c.req.valid('param'));
      return c.json({ restored: toVersion(restored), restorePoint: toVersion(restorePoint) }, 200);
    });
}
