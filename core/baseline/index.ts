/** Baselines: the findings a repository has accepted, matched by a fingerprint that survives moves and reformatting. */
export { findingIdentities, keyPathTo, numberRepeats, rebaseIdentity, terraformAddress, type FindingIdentity } from './identity';
export { BASELINE_FILE, baselineEntry, formatBaseline, matchBaseline, parseBaseline, type BaselineEntry, type BaselineMatch } from './file';
export { applyBaseline, baselinePath, readBaseline, settleIdentities } from './apply';
