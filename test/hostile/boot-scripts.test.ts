/** Command-line credentials in boot scripts and values read through conditionals, on inputs built to be slow: linear. */
import { describe, expect, it } from 'vitest';
import type { Rule } from '../../core';
import { parseFile } from '../../core/formats';
import { analyze } from '../../core/runner';
import { ruleById } from '../../rules';
import { LINEAR_GROWTH_LIMIT, growthFromAsync } from './scaling';

async function findings(ruleId: string, uri: string, text: string): Promise<number> {
  const file = await parseFile(uri, text);
  return (await analyze(file, { rules: [ruleById(ruleId) as Rule] })).findings.length;
}

describe('boot scripts and conditionals scale linearly', () => {
  it('a user_data heredoc of n login commands reading their password at run time, then one literal', async () => {
    const ratio = await growthFromAsync(1000, async (n) => {
      const lines = Array.from({ length: n }, (_, i) => `    docker login -u deploy -p "$REGISTRY_PASSWORD_${i}" registry${i}.example.com`).join('\n');
      const text = `resource "aws_launch_template" "lt" {\n  user_data = base64encode(<<-EOT\n${lines}\n    mysql -uroot -pXy7Pq2Ls9Kd4\n  EOT\n  )\n}\n`;
      expect(await findings('secret/hardcoded-password', '/m/main.tf', text)).toBe(1);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a boot script written as one quoted string of n escaped login lines reading their password at run time, then one literal', async () => {
    const ratio = await growthFromAsync(1000, async (n) => {
      const lines = Array.from({ length: n }, (_, i) => `docker login -u deploy -p \\"$REGISTRY_PASSWORD_${i}\\" registry${i}.example.com\\n`).join('');
      const text = `resource "aws_instance" "i" {\n  user_data = "#!/bin/bash\\n${lines}mysql -uroot -pXy7Pq2Ls9Kd4\\n"\n}\n`;
      expect(await findings('secret/hardcoded-password', '/m/main.tf', text)).toBe(1);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('a boot script of n heredoc openers that never close', async () => {
    const ratio = await growthFromAsync(2000, async (n) => {
      const text = `resource "aws_instance" "i" {\n  user_data = "${'<<EOT\\n'.repeat(n)}mysql -p"\n}\n`;
      expect(await findings('secret/hardcoded-password', '/m/main.tf', text)).toBe(0);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });

  it('n security group rules whose sources are conditionals between private ranges', async () => {
    const ratio = await growthFromAsync(400, async (n) => {
      const rules = Array.from(
        { length: n },
        (_, i) =>
          `resource "aws_security_group_rule" "r${i}" {\n  type              = "ingress"\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = [var.open ? "10.0.0.0/8" : "10.${i % 250}.0.0/16"]\n  security_group_id = aws_security_group.sg.id\n}\n`,
      );
      expect(await findings('network/open-ingress', '/m/main.tf', `variable "open" {}\n${rules.join('')}`)).toBe(0);
    });
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
