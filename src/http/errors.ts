/**
 * The one edge mapper: typed domain errors and framework errors → application/problem+json with a
 * stable `code` and the request id. Never a stack trace, SQL or internal message in a response.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, type ErrorCode } from '../core/errors.ts';

export const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  second_factor_required: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  not_acceptable: 406,
  conflict: 409,
  invalid_transition: 409,
  gone: 410,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  locked: 423,
  rate_limited: 429,
};

export type Problem = {
  type: string; title: string; status: number; code: string; detail?: string; requestId: string;
  issues?: { path: string; message: string }[]; [k: string]: unknown;
};

/** Framework error codes that are the client's fault, with our code for them. */
const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'validation_failed'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'validation_failed'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json'],
  FST_ERR_VALIDATION: [400, 'validation_failed'],
};

export function toProblem(err: unknown, requestId: string): Problem {
  if (err instanceof DomainError) {
    const status = STATUS[err.code];
    const { issues, ...rest } = err.details ?? {};
    return { type: `urn:hemisphere:error:${err.code}`, title: err.message, status, code: err.code, requestId, ...rest, ...(issues ? { issues } : {}) };
  }
  const fe = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const issues = fe.validation.map((v) => ({
      path: [fe.validationContext, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return { type: 'urn:hemisphere:error:validation_failed', title: 'The request is not valid', status: 400, code: 'validation_failed', requestId, issues };
  }
  if (fe && typeof fe.code === 'string' && FASTIFY_CODES[fe.code]) {
    const [status, code] = FASTIFY_CODES[fe.code]!;
    return { type: `urn:hemisphere:error:${code}`, title: fe.message, status, code, requestId };
  }
  if (fe && fe instanceof SyntaxError && (fe as FastifyError).statusCode === 400) {
    return { type: 'urn:hemisphere:error:invalid_json', title: 'The body is not valid JSON', status: 400, code: 'invalid_json', requestId };
  }
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { type: 'urn:hemisphere:error:bad_request', title: 'Bad request', status: fe.statusCode, code: 'bad_request', requestId };
  }
  return { type: 'urn:hemisphere:error:internal', title: 'Internal error', status: 500, code: 'internal', requestId };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

export function installErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler((err, req: FastifyRequest, reply) => {
    const problem = toProblem(err, req.id);
    if (problem.status >= 500) req.log.error({ err }, 'unhandled error');
    else req.log.info({ code: problem.code, status: problem.status }, 'request refused');
    if (req.routeOptions.config?.errorFormat === 'taxii') {
      // TAXII 2.1 error resource (section 3.6.1)
      return reply.code(problem.status).type('application/taxii+json;version=2.1').send({
        title: problem.title, http_status: String(problem.status), error_code: problem.code, error_id: req.id,
        ...(problem.issues ? { details: { issues: problem.issues } } : {}),
      });
    }
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, { type: 'urn:hemisphere:error:not_found', title: 'No such resource', status: 404, code: 'not_found', requestId: req.id }),
  );
}
