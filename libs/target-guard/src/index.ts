export { parseCidrList } from './cidr';
export { ipv6Groups } from './ipv6-embedding';
export { parsePortList } from './ports';
export { checkTargetUrl, guardedLookup, refusalForUrl, targetRefusedCode } from './resolve-target';
export { createTargetPolicy, type TargetPolicy } from './target-policy';
