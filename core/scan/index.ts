/** The one scan pipeline: which files (walk), reading them (load), and scanning them (pipeline). */
export { scanFiles, type FileOutcome, type OnOutcome, type ScanContext, type ScanFile } from './pipeline';
export { formsProject, mayFormProject } from './group';
export { decode, loadFile, type Loaded } from './load';
export {
  configIgnoreOf,
  isConfigIgnored,
  PathError,
  walkFolder,
  walkPaths,
  type ConfigIgnore,
  type WalkedFile,
  type WalkError,
  type WalkOptions,
  type WalkResult,
} from './walk';
export { addRuleTime, formatTiming, mergeTiming, newTiming, type FormatTiming, type Timing } from './timing';
