import { bool, contentSpan, get, type ParsedFile } from '../../../core';
import { assembledLiteral } from './assembled';
import type { Collector } from './collector';
import { isSecretKey } from './keys';
import { isStringScalar } from './structured-sites';

/**
 * A Terraform output that hands on a secret written in the configuration: `output "admin_password" { value = "..." }`,
 * named as a secret or marked `sensitive`. The literal is in the repository, in the state and in `terraform output`;
 * an output whose value is computed (`random_password.x.result`) is no site. Reported on the value, under the
 * output's name.
 */
export function terraformOutputSites(file: ParsedFile, out: Collector): void {
  for (const r of file.resources) {
    if (r.kind !== 'output' || !(isSecretKey(r.name) || bool(get(r.body, 'sensitive')) === true)) continue;
    const node = get(r.body, 'value');
    if (node === undefined) continue;
    if (isStringScalar(node)) out.add({ kind: 'key', key: r.name, value: node.value, span: contentSpan(node), resource: r });
    else {
      const assembled = assembledLiteral(node);
      if (assembled !== undefined) out.add({ kind: 'key', key: r.name, value: assembled, span: node.span, resource: r });
    }
  }
}
