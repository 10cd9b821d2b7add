import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** Where Jira's published OpenAPI description sits: `../shared/jira/` beside the repository (CI clones it there). */
export const JIRA_SPEC_PATH: string = fileURLToPath(
  new URL('../../../../shared/jira/jira-platform-openapi.json', import.meta.url),
);

type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

interface OpenApiParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
}

interface OpenApiOperation {
  readonly operationId: string;
  readonly deprecated?: boolean;
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: { readonly content?: Record<string, unknown>; readonly required?: boolean };
  readonly responses: Record<string, { readonly content?: Record<string, unknown> }>;
}

interface OpenApiSpec {
  readonly paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
}

/** One operation of the spec matched by a concrete request. */
export interface MatchedOperation {
  readonly template: string;
  readonly method: HttpMethod;
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
}

/** A request the spec does not allow; the message says what and where. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

interface CompiledTemplate {
  readonly template: string;
  readonly regex: RegExp;
  readonly paramNames: readonly string[];
  /** More literal segments win: `/issue/bulk` must beat `/issue/{issueIdOrKey}`. */
  readonly literalSegments: number;
}

// ajv-formats ships as CommonJS with a default export; under ESM interop the callable may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * Checks requests and responses against Jira's OpenAPI description: path template and method exist, the
 * operation is not deprecated, required query parameters are present, JSON bodies validate (Ajv, with
 * `$ref`s resolved inside the spec). The spec is large, so validators are compiled lazily per operation.
 */
export class OpenApiContract {
  private readonly spec: OpenApiSpec;
  private readonly templates: readonly CompiledTemplate[];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(spec: OpenApiSpec) {
    this.spec = spec;
    this.templates = Object.keys(spec.paths)
      .map((template) => compileTemplate(template))
      .sort((a, b) => b.literalSegments - a.literalSegments);
    // strict: false because OpenAPI 3.0 carries keywords JSON Schema does not know (example, xml, discriminator…).
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    for (const format of ['int32', 'int64', 'float', 'double', 'binary', 'byte', 'password']) {
      this.ajv.addFormat(format, true);
    }
    this.ajv.addSchema(spec as object, 'jira');
  }

  /** Finds the operation for a method and a concrete path (query string allowed) or throws a ContractViolation. */
  match(method: string, pathWithQuery: string): MatchedOperation & { readonly query: URLSearchParams } {
    const [path = '', queryString = ''] = pathWithQuery.split('?', 2);
    const lower = method.toLowerCase() as HttpMethod;
    for (const candidate of this.templates) {
      const found = candidate.regex.exec(path);
      if (!found) continue;
      const operation = this.spec.paths[candidate.template]?.[lower];
      if (!operation) continue;
      if (operation.deprecated) {
        throw new ContractViolation(
          `${method} ${candidate.template} (${operation.operationId}) is deprecated in the Jira spec`,
        );
      }
      const pathParams: Record<string, string> = {};
      candidate.paramNames.forEach((name, index) => {
        pathParams[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      const query = new URLSearchParams(queryString);
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.required && !query.has(parameter.name)) {
          throw new ContractViolation(
            `${method} ${candidate.template}: required query parameter '${parameter.name}' is missing`,
          );
        }
      }
      return {
        template: candidate.template,
        method: lower,
        operationId: operation.operationId,
        pathParams,
        query,
      };
    }
    throw new ContractViolation(`${method} ${path} matches no operation in the Jira spec`);
  }

  /** Validates a JSON request body against the operation's request schema; throws naming the failing fields. */
  checkRequestBody(op: MatchedOperation, body: unknown): void {
    const operation = this.operation(op);
    const content = operation.requestBody?.content;
    if (body === undefined) {
      if (operation.requestBody?.required) {
        throw new ContractViolation(`${op.method.toUpperCase()} ${op.template}: request body is required`);
      }
      return;
    }
    if (!content?.['application/json']) {
      throw new ContractViolation(`${op.method.toUpperCase()} ${op.template}: takes no JSON request body`);
    }
    const pointer = `#/paths/${escapePointer(op.template)}/${op.method}/requestBody/content/application~1json/schema`;
    this.validate(pointer, body, `${op.method.toUpperCase()} ${op.template} request body`);
  }

  /** Validates a JSON response the fake produces against the spec's schema for that status. */
  checkResponseBody(op: MatchedOperation, status: number, body: unknown): void {
    const operation = this.operation(op);
    const response = operation.responses[String(status)];
    if (!response) {
      throw new ContractViolation(`${op.operationId} documents no ${status} response`);
    }
    if (!response.content?.['application/json'] || body === undefined) return;
    const schema = (response.content['application/json'] as { schema?: unknown }).schema;
    if (!schema) return;
    const pointer = `#/paths/${escapePointer(op.template)}/${op.method}/responses/${status}/content/application~1json/schema`;
    this.validate(pointer, body, `${op.operationId} ${status} response`);
  }

  private operation(op: MatchedOperation): OpenApiOperation {
    const operation = this.spec.paths[op.template]?.[op.method];
    if (!operation) throw new ContractViolation(`no operation ${op.method} ${op.template}`);
    return operation;
  }

  private validate(pointer: string, value: unknown, what: string): void {
    let validator = this.validators.get(pointer);
    if (!validator) {
      validator = this.ajv.compile({ $ref: `jira${pointer}` });
      this.validators.set(pointer, validator);
    }
    if (!validator(value)) {
      const details = (validator.errors ?? [])
        .slice(0, 5)
        .map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`)
        .join('; ');
      throw new ContractViolation(`${what} does not match the Jira spec: ${details}`);
    }
  }
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function compileTemplate(template: string): CompiledTemplate {
  const paramNames: string[] = [];
  let literalSegments = 0;
  const source = template
    .split('/')
    .map((segment) => {
      if (/^\{[^}]+\}$/.test(segment)) {
        paramNames.push(segment.slice(1, -1));
        return '([^/]+)';
      }
      if (segment.length > 0) literalSegments += 1;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { template, regex: new RegExp(`^${source}/?$`), paramNames, literalSegments };
}

let shared: OpenApiContract | undefined;

/** The contract over `../shared/jira/jira-platform-openapi.json`, parsed once per process. */
export function jiraContract(): OpenApiContract {
  shared ??= new OpenApiContract(JSON.parse(readFileSync(JIRA_SPEC_PATH, 'utf8')) as OpenApiSpec);
  return shared;
}
