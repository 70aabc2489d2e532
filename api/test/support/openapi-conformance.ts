import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Express, RequestHandler } from 'express';
import { buildOpenApiDocument, type OpenApiDocument } from '../../src/openapi/build-document.ts';

type Json = Record<string, unknown>;

/** One response as the server sent it. */
export interface Exchange {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  requestHeaders: IncomingHttpHeaders;
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export interface Violation {
  request: string;
  status: number;
  problems: string[];
}

/**
 * For validation only: every object schema that lists properties and says nothing about others
 * gets `additionalProperties: false`. The published document leaves response objects open (the
 * API may add fields without breaking clients); the tests close them, so a field the API sends
 * but the document does not declare fails a test. `allOf` members are left as they are (closing
 * one would refuse the properties of the others).
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = k === 'allOf' ? v : closeObjects(v);
  if (out.type === 'object' && out.properties && !('additionalProperties' in out))
    out.additionalProperties = false;
  return out;
}

const pointer = (...parts: string[]): string =>
  `openapi.json#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

interface Operation {
  template: string;
  method: string;
  regex: RegExp;
  params: number;
  op: Json;
}

/** Validates responses against the OpenAPI document: status, declared headers, media type, body. */
export function createConformanceChecker(doc: OpenApiDocument = buildOpenApiDocument()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const closed = closeObjects(doc) as OpenApiDocument;
  ajv.addSchema({ ...closed, $id: 'openapi.json' });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (ref: string): ValidateFunction => {
    let v = compiled.get(ref);
    if (!v) compiled.set(ref, (v = ajv.compile({ $ref: ref })));
    return v;
  };
  const components = closed.components as Record<string, Record<string, Json>>;
  const deref = (node: Json): [Json, string[]] => {
    const ref = node.$ref;
    if (typeof ref !== 'string') return [node, []];
    const [, kind, name] = ref.split('/').slice(1);
    return [components[kind!]![name!]!, ['components', kind!, name!]];
  };

  const ops: Operation[] = Object.entries(closed.paths)
    .flatMap(([template, item]) =>
      Object.entries(item).map(([method, op]) => ({
        template,
        method: method.toUpperCase(),
        regex: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
        params: (template.match(/\{/g) ?? []).length,
        op,
      })),
    )
    // Literal paths first: /v1/uploads/limits before /v1/uploads/{id}.
    .sort((a, b) => a.params - b.params);

  const problemValidator = validator(pointer('components', 'schemas', 'Problem'));

  return {
    operationFor(method: string, path: string): Operation | undefined {
      const m = method === 'HEAD' ? 'GET' : method;
      return ops.find((o) => o.method === m && o.regex.test(path));
    },

    check(ex: Exchange): string[] {
      const problems: string[] = [];
      const path = ex.url.split('?')[0]!;
      const op = this.operationFor(ex.method, path);
      const mediaType = String(ex.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const parse = (): unknown => {
        try {
          return JSON.parse(ex.body.toString('utf8'));
        } catch {
          problems.push(`body is not JSON: ${ex.body.toString('utf8').slice(0, 80)}`);
          return undefined;
        }
      };
      const errorsOf = (v: ValidateFunction) =>
        (v.errors ?? [])
          .slice(0, 5)
          .map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

      if (!op) {
        // Not in the document (an unknown path or method, a CORS preflight): an error must
        // still be the one problem shape.
        if (ex.status >= 400 && ex.method !== 'HEAD' && ex.method !== 'OPTIONS') {
          if (mediaType !== 'application/problem+json')
            problems.push(`undocumented route answered ${ex.status} as "${mediaType}"`);
          else if (!problemValidator(parse())) problems.push(...errorsOf(problemValidator));
        }
        return problems;
      }

      const where = `${op.method} ${op.template}`;
      const responses = op.op.responses as Record<string, Json>;
      const declared = responses[String(ex.status)];
      if (!declared) {
        return [
          `${where}: status ${ex.status} is not declared (declared: ${Object.keys(responses).join(', ')})`,
        ];
      }
      const [response, base] = deref(declared);
      const basePath =
        base.length > 0
          ? base
          : ['paths', op.template, op.method.toLowerCase(), 'responses', String(ex.status)];

      for (const [name, h] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
        const [header, headerRef] = deref(h);
        const value = ex.headers[name.toLowerCase()];
        if (value === undefined) {
          if (header.required)
            problems.push(`${where} ${ex.status}: required header ${name} missing`);
          continue;
        }
        const at = headerRef.length > 0 ? headerRef : [...basePath, 'headers', name];
        const v = validator(pointer(...at, 'schema'));
        // Several header lines of one name reach the client as one comma-separated value.
        const text = Array.isArray(value) ? value.join(', ') : String(value);
        if (!v(text))
          problems.push(
            `${where} ${ex.status}: header ${name}="${text}" ${errorsOf(v).join('; ')}`,
          );
      }

      const content = response.content as Record<string, Json> | undefined;
      if (ex.method === 'HEAD') return problems;
      if (!content) {
        if (ex.body.length > 0)
          problems.push(`${where} ${ex.status}: a body was sent, none is declared`);
        return problems;
      }
      if (!content[mediaType]) {
        problems.push(
          `${where} ${ex.status}: media type "${mediaType}" not declared (${Object.keys(content).join(', ')})`,
        );
        return problems;
      }
      if (mediaType.endsWith('json')) {
        const body = parse();
        const v = validator(pointer(...basePath, 'content', mediaType, 'schema'));
        if (body !== undefined && !v(body))
          problems.push(...errorsOf(v).map((e) => `${where} ${ex.status}: body ${e}`));
      }
      return problems;
    },
  };
}

export type ConformanceChecker = ReturnType<typeof createConformanceChecker>;

const violations: Violation[] = [];

/** What the recorders found since the last call (the per-test check empties it). */
export const takeViolations = (): Violation[] => violations.splice(0, violations.length);

/**
 * Puts a recorder in front of every other middleware of the app: it keeps the bytes the
 * server writes and, once the response is finished, checks it against the document. Found
 * violations wait for the afterEach of conformance-setup.ts, which fails the test that caused
 * them.
 */
export function recordConformance(app: Express, checker: ConformanceChecker): void {
  const recorder: RequestHandler = (req, res, next) => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(
              chunk as string,
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            ),
      );
    };
    const write = res.write.bind(res) as (...a: unknown[]) => boolean;
    const end = res.end.bind(res) as (...a: unknown[]) => typeof res;
    res.write = ((...a: unknown[]) => {
      keep(a[0], a[1]);
      return write(...a);
    }) as typeof res.write;
    res.end = ((...a: unknown[]) => {
      keep(a[0], a[1]);
      return end(...a);
    }) as typeof res.end;
    const method = req.method;
    const url = req.originalUrl;
    res.on('finish', () => {
      const found = checker.check({
        method,
        url,
        requestHeaders: req.headers,
        status: res.statusCode,
        headers: res.getHeaders(),
        body: Buffer.concat(chunks),
      });
      if (found.length > 0)
        violations.push({ request: `${method} ${url}`, status: res.statusCode, problems: found });
    });
    next();
  };
  app.use(recorder);
  // Express has no "prepend": move the layer app.use just added to the front of the stack.
  const stack = (app.router as unknown as { stack: unknown[] }).stack;
  stack.unshift(stack.pop());
}
