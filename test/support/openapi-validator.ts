import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../../adapters/shared/openapi.js';

/**
 * Checks a real answer against the OpenAPI document: the operation exists (or, for a method the path does
 * not list, the document's 405 and preflight answers), its status is declared, every declared required
 * header is present, every header our code set is declared and matches its schema, and the body matches
 * the declared schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1, with ajv). Returns the problems
 * found; none means the answer is what a client generated from the document expects.
 */

export interface CheckedAnswer {
  method: string;
  /** The request path (no query). */
  path: string;
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Headers of the transport, added by the platform's HTTP stack (node, Express in functions-framework, the
 * Azure host), not by our code: OpenAPI describes `Content-Type` through `content`, and the rest is HTTP itself.
 */
const TRANSPORT_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'etag']);

type Json = Record<string, unknown>;

// ajv-formats is CommonJS with a default export; under node's ESM loader it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export function openApiValidator(document: OpenApiDocument) {
  // The document is not a JSON Schema itself: strict mode would refuse its OpenAPI keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document as unknown as Json, 'openapi');
  const pointer = (path: readonly string[]) => `openapi#/${path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
  const resolve = <T>(value: T | { $ref: string }): T => {
    if (typeof value === 'object' && value !== null && '$ref' in value) {
      const parts = value.$ref.replace(/^#\//, '').split('/');
      return parts.reduce<unknown>((node, part) => (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')], document) as T;
    }
    return value;
  };
  const validate = (path: readonly string[], value: unknown): string[] => {
    const check = ajv.getSchema(pointer(path)) ?? ajv.compile({ $ref: pointer(path) });
    return check(value) ? [] : (check.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  };

  /** The documented path pattern that `path` is an instance of: literal segments first, as the router matches. */
  const patternOf = (path: string): string | undefined => {
    const segments = path.split('/').filter(Boolean);
    const candidates = Object.keys(document.paths).filter((pattern) => {
      const parts = pattern.split('/').filter(Boolean);
      return parts.length === segments.length && parts.every((part, index) => part.startsWith('{') || part === segments[index]);
    });
    const literals = (pattern: string) => pattern.split('/').filter(Boolean).map((part) => (part.startsWith('{') ? '0' : '1')).join('');
    return candidates.sort((a, b) => literals(b).localeCompare(literals(a)))[0];
  };

  function checkResponse(where: readonly string[], answer: CheckedAnswer): string[] {
    const response = resolve(where.reduce<unknown>((node, part) => (node as Json)[part], document) as Json);
    const problems: string[] = [];
    const headers = (response['headers'] ?? {}) as Record<string, Json>;
    const declared = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
    for (const [name, header] of Object.entries(headers)) {
      const resolved = resolve(header);
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (resolved['required'] === true) problems.push(`header ${name} is required but absent`);
        continue;
      }
      const schemaPath = '$ref' in header ? [...(header['$ref'] as string).replace(/^#\//, '').split('/'), 'schema'] : [...where, 'headers', name, 'schema'];
      problems.push(...validate(schemaPath, value).map((problem) => `header ${name}: ${problem}`));
    }
    for (const name of Object.keys(answer.headers)) {
      if (!declared.has(name) && !TRANSPORT_HEADERS.has(name)) problems.push(`header ${name} is sent but not declared`);
    }
    const content = response['content'] as Record<string, Json> | undefined;
    if (content === undefined) {
      if (answer.body !== '') problems.push('a body is sent where none is declared');
    } else {
      if (!/^application\/json\b/.test(answer.headers['content-type'] ?? '')) problems.push(`content-type ${answer.headers['content-type']} is not application/json`);
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        return [...problems, 'the body is not JSON'];
      }
      problems.push(...validate([...where, 'content', 'application/json', 'schema'], body).map((problem) => `body${problem}`));
    }
    return problems;
  }

  return {
    /** The problems of `answer` against the document (empty: it conforms). */
    check(answer: CheckedAnswer): string[] {
      const pattern = patternOf(answer.path);
      const method = answer.method.toLowerCase();
      if (pattern === undefined) {
        // A path the API does not have: the shared router's 404, in the error shape.
        if (answer.status !== 404) return [`${answer.status} for an undocumented path (only 404 is possible)`];
        let body: unknown;
        try {
          body = JSON.parse(answer.body);
        } catch {
          return ['the body is not JSON'];
        }
        return [...validate(['components', 'schemas', 'Error'], body).map((problem) => `body${problem}`), ...(answer.headers['x-request-id'] ? [] : ['no x-request-id'])];
      }
      const pathItem = document.paths[pattern] ?? {};
      const documented = Object.keys(pathItem).map((name) => name.toUpperCase());
      if (!(method in pathItem)) {
        const allowed = method === 'options' ? [...documented, 'OPTIONS'] : documented;
        const allow = (answer.headers['allow'] ?? '').split(',').map((name) => name.trim()).sort();
        const problems = allow.join() === [...allowed].sort().join() ? [] : [`Allow says ${answer.headers['allow']}, the document ${allowed.join(', ')}`];
        if (method === 'options') return [...problems, ...(answer.status === 204 ? checkResponse(['components', 'responses', 'Preflight'], answer) : [`OPTIONS answered ${answer.status}, not 204`])];
        return [...problems, ...(answer.status === 405 ? checkResponse(['components', 'responses', 'MethodNotAllowed'], answer) : [`${answer.method} ${pattern} answered ${answer.status}, not 405`])];
      }
      const responses = (pathItem[method] as { responses: Json }).responses;
      if (!(String(answer.status) in responses)) return [`${answer.method} ${pattern} answered ${answer.status}, which it does not declare (${Object.keys(responses).join(', ')})`];
      return checkResponse(['paths', pattern, method, 'responses', String(answer.status)], answer);
    },
  };
}
