/** The one scan pipeline: which files (walk), reading them (load), and scanning them (pipeline). */
export { scanFiles, type FileOutcome, type ScanContext, type ScanFile } from './pipeline';
export { decode } from './load';
export { configIgnoreOf, isConfigIgnored, PathError, walkFolder, walkPaths, type ConfigIgnore, type WalkedFile } from './walk';
export { mergeTiming, newTiming, type Timing } from './timing';
export { calledModuleFiles, contextFilesOfText, type CalledFile } from './called-folders';
