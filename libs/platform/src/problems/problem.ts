// The error family is pure and lives in libs/domain (the CLIs use it too); the services take it from here,
// with the filter that answers it as problem+json.
export { conflict, contentTooLarge, forbidden, invalidConfiguration, invalidRequest, isProblem, messageOf, notFound, Problem, serviceUnavailable, unauthorized, unsupportedMediaType, type ProblemType } from '@app/domain';
