export {
  errorMessage,
  InvalidInputError,
  PipelineError,
  TransientError,
} from './pipeline-error';
