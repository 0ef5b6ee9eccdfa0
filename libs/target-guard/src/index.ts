export { refusedRanges } from './address-ranges';
export { type Cidr, InvalidCidrError, parseCidr, parseCidrList } from './cidr';
export {
  checkTargetUrl,
  guardedLookup,
  hostOf,
  refusalForLiteral,
  TargetRefusedError,
  targetRefusedCode,
} from './resolve-target';
export { type AddressVerdict, createTargetPolicy, type TargetPolicy } from './target-policy';
