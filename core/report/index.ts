/** Scan reports and their writers (text, JSON, SARIF), shared by the CLI, the server and tests. */
export * from './types';
export * from './meta';
export * from './convert';
export * from './summary';
export {
  convertUnusedSuppressions,
  renderCheckDoc,
  SUPPRESSION_CHECKS,
  suppressionCheckMessage,
  UNKNOWN_RULE_ID,
  UNUSED_SUPPRESSION,
} from './suppression-checks';
export { formatText, formatFindingLine, formatProblemLine, formatSummaryLine, printable, type TextOptions } from './text';
export { formatJson, toJsonReport } from './json';
export { formatSarif, toSarif } from './sarif';
