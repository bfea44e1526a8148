import { type Fix, serverlessSettings } from '../../../core';
import { snake } from '../../lib/fixes';
import type { SecretSite } from './fixes';

/**
 * CloudFormation: a `{{resolve:secretsmanager:...}}` dynamic reference. In the settings of a Serverless Framework file
 * (`provider`, `functions`, `custom`, `params`: not its template), the SSM reference path to Secrets Manager the
 * framework resolves when it deploys (`${ssm:/aws/reference/secretsmanager/<secret id>}`,
 * https://www.serverless.com/framework/docs/guides/variables/aws/ssm). A placeholder for the secret's id either way.
 */
export function cloudFormationFix(site: SecretSite): Fix<'resolve-from-secrets-manager'> | undefined {
  const serverless = !site.resource && site.file.roots.some((root) => serverlessSettings(root).some((e) => e.key === site.node.path[0]));
  const name = serverless
    ? snake(site.name ?? site.entry?.key ?? 'app').replace(/_/g, '-') || 'app'
    : `${snake(site.resource?.name ?? 'app').replace(/_/g, '-') || 'app'}-secret`;
  return {
    title: 'Resolve the value from AWS Secrets Manager',
    kind: 'resolve-from-secrets-manager',
    safety: 'suggestion',
    snippet: true,
    edits: [
      {
        span: site.node.span,
        newText: serverless ? `"\\\${ssm:/aws/reference/secretsmanager/\${1:${name}}}"` : `"{{resolve:secretsmanager:\${1:${name}}}}"`,
      },
    ],
  };
}
