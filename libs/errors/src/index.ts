export { InvalidInputError, TransientError } from './pipeline-error';
