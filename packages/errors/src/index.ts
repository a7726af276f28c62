export type { ErrorStatus } from './DomainError.ts';
export { DomainError } from './DomainError.ts';
