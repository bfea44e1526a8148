/** The Service/workload matching the network family reads too lives in `rules/lib`. */
export { type Exposure, externalExposure, selectedWorkloads } from '../../lib/k8s-services';
