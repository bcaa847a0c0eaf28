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

  it('gives every operation the W3C Trace Context request headers, optional, with the format the dispatch reads', () => {
    for (const route of allRoutes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as { parameters: { name: string; in: string; required: boolean; schema: { pattern?: string } }[] };
      const trace = operation.parameters.filter((parameter) => parameter.in === 'header' && ['traceparent', 'tracestate'].includes(parameter.name));
      expect(trace.map((parameter) => [parameter.name, parameter.required]), `${route.method} ${route.path}`).toEqual([
        ['traceparent', false],
        ['tracestate', false],
      ]);
      const pattern = new RegExp(trace[0]!.schema.pattern!);
      expect(pattern.test('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(true);
      expect(pattern.test('00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01')).toBe(false);
    }
  });

  it('describes the request body of every POST with the schema its handler validates, and paging on every list', () => {
    const createEvent = document.paths['/events']?.['post'] as { requestBody: { content: { 'application/json': { schema: { required: string[]; additionalProperties: boolean } } } } };
    expect(createEvent.requestBody.content['application/json'].schema).toMatchObject({ additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 } } });
    expect(createEvent.requestBody.content['application/json'].schema.required.sort()).toEqual(['duration', 'endDate', 'hall', 'locationId', 'name', 'startDate']);
    for (const route of allRoutes.filter((candidate) => candidate.method === 'POST')) {
      expect(document.paths[route.path]?.['post'], route.path).toHaveProperty('requestBody');
    }
    const listEvents = document.paths['/events']?.['get'] as { parameters: { name: string; schema: { maximum?: number } }[] };
    const query = listEvents.parameters.filter((parameter) => !['traceparent', 'tracestate'].includes(parameter.name));
    expect(query.map((parameter) => parameter.name)).toEqual(['limit', 'cursor']);
    expect(query[0]?.schema.maximum).toBe(100);
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
