export { refusedRanges } from './address-ranges';
export { type Cidr, InvalidCidrError, parseCidr, parseCidrList } from './cidr';
export { InvalidPortListError, type PortRange, parsePortList } from './ports';
export {
  checkTargetUrl,
  guardedLookup,
  hostOf,
  refusalForUrl,
  TargetRefusedError,
  targetRefusedCode,
} from './resolve-target';
export {
  type AddressVerdict,
  createTargetPolicy,
  type TargetPolicy,
  type TargetPolicyOptions,
} from './target-policy';
