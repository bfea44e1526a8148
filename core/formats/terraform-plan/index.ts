import { defineFormat, headOf } from '../format';
import { parseTerraformPlan } from './parse';
import { planFolders, planRelated } from './related';

/** A plan names its JSON format version and holds planned values or resource changes (a state file holds neither). */
const FORMAT_VERSION = /"format_version"\s*:/;
const PLAN_KEY = /"(?:planned_values|resource_changes)"\s*:/;

/**
 * Terraform plans in JSON (`terraform show -json plan.out`), recognised by content whatever their name:
 * every planned resource, with every variable, `count`, `for_each` and module resolved, read into the
 * Terraform model (see `parse.ts`). A plan is generated, never edited: findings on it carry no fixes, and
 * name the resource's address and its block in the configuration (read from disk when the scan was not given
 * it). A value the plan repeats (in its changes, prior state and configuration) is reported once, where it is
 * first written.
 */
export const terraformPlan = defineFormat({
  id: 'terraform-plan',
  extensions: ['json'],
  family: 'terraform',
  detect: (_uri, text) => {
    const head = headOf(text);
    return FORMAT_VERSION.test(head) && PLAN_KEY.test(head);
  },
  grammars: [],
  parse: parseTerraformPlan,
  fixable: false,
  repeatsValues: true,
  relate: planRelated,
  contextFiles: planFolders,
});
