export {
  errorMessage,
  InvalidInputError,
  isRetriable,
  PipelineError,
  TransientError,
} from './pipeline-error';
