import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../adapters/shared/openapi.js';
import { httpFunctions } from '../../functions/routes.js';

describe('the OpenAPI description', () => {
  const document = openApiDocument();
  const allRoutes = Object.values(httpFunctions).flat();

  it('is OpenAPI 3.1 and lists exactly the routes of the route table', () => {
    expect(document.openapi).toBe('3.1.0');
    const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(described.sort()).toEqual(allRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('gives every route a summary and a unique operation id, and every path parameter', () => {
    const ids = new Set<unknown>();
    for (const route of allRoutes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as { summary?: string; operationId: string; parameters: { name: string; in: string }[] };
      expect(operation.summary, `${route.method} ${route.path}`).toMatch(/\w/);
      ids.add(operation.operationId);
      const inPath = operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
      expect(inPath).toEqual([...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]));
    }
    expect(ids.size).toBe(allRoutes.length);
  });

  it('describes the request body of every POST with the schema its handler validates, and paging on every list', () => {
    const createEvent = document.paths['/events']?.['post'] as { requestBody: { content: { 'application/json': { schema: { required: string[]; additionalProperties: boolean } } } } };
    expect(createEvent.requestBody.content['application/json'].schema).toMatchObject({ additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 } } });
    expect(createEvent.requestBody.content['application/json'].schema.required.sort()).toEqual(['duration', 'endDate', 'hall', 'locationId', 'name', 'startDate']);
    for (const route of allRoutes.filter((candidate) => candidate.method === 'POST')) {
      expect(document.paths[route.path]?.['post'], route.path).toHaveProperty('requestBody');
    }
    const listEvents = document.paths['/events']?.['get'] as { parameters: { name: string; schema: { maximum?: number } }[] };
    expect(listEvents.parameters.map((parameter) => parameter.name)).toEqual(['limit', 'cursor']);
    expect(listEvents.parameters[0]?.schema.maximum).toBe(100);
    for (const path of ['/locations', '/events', '/events/{id}/bookings', '/map']) {
      expect((document.paths[path]?.['get'] as { parameters: { name: string }[] }).parameters.map((parameter) => parameter.name)).toContain('cursor');
    }
  });

  it('gives every success answer with a body a named schema, and every error the Error schema', () => {
    for (const route of allRoutes) {
      const responses = (document.paths[route.path]?.[route.method.toLowerCase()] as { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }).responses;
      const [success, ...errors] = Object.entries(responses);
      expect(success?.[0], `${route.method} ${route.path}`).toMatch(/^2\d\d$/);
      const schema = success?.[1].content?.['application/json']?.schema;
      if (route.method === 'DELETE') expect(schema).toBeUndefined();
      else expect(JSON.stringify(schema), `${route.method} ${route.path}`).toMatch(/^\{("type":"array","items":\{)?"\$ref":"#\/components\/schemas\/\w+"\}\}?$/);
      for (const [status, error] of errors) expect(error.content?.['application/json']?.schema, `${route.method} ${route.path} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
    }
    expect(document.components.schemas['Event']).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['id', 'capacity', 'seatsBooked']) });
  });

  it('references every component but the two answers no operation can carry (405, preflight)', () => {
    const text = JSON.stringify(document.paths) + JSON.stringify(document.components.responses);
    const unused = Object.entries(document.components).flatMap(([kind, components]) =>
      Object.keys(components as object).filter((name) => kind !== 'securitySchemes' && !text.includes(`"#/components/${kind}/${name}"`)).map((name) => `${kind}/${name}`),
    );
    expect(unused.sort()).toEqual(['responses/MethodNotAllowed', 'responses/Preflight']);
  });

  it('reads a body only on the methods that carry one, so GET and DELETE routes never answer 413 or 415', () => {
    for (const route of allRoutes) expect(route.requestBody !== undefined, `${route.method} ${route.path}`).toBe(['POST', 'PUT', 'PATCH'].includes(route.method));
  });

  it('declares bearer authentication and, per operation, what the route table says: none, any caller, or the admin scope', () => {
    expect(document.components.securitySchemes).toMatchObject({ bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } });
    for (const route of allRoutes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as { security?: unknown; responses: Record<string, unknown> };
      const expected = route.access === 'public' ? [] : [{ bearer: route.access === 'admin' ? ['admin'] : [] }];
      expect(operation.security, `${route.method} ${route.path}`).toEqual(expected);
      expect(Object.keys(operation.responses).includes('401'), `${route.method} ${route.path}`).toBe(route.access !== 'public');
    }
  });
});
