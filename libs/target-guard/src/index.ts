export { refusedRanges } from './address-ranges';
export { type Cidr, InvalidCidrError, parseCidr, parseCidrList } from './cidr';
export { ipv6Groups } from './ipv6-embedding';
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
