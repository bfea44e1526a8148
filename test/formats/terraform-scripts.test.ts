import { beforeAll, describe, expect, it } from 'vitest';
import { parseTerraform } from '../../core/formats/terraform/parse';
import { loadGrammar } from '../../core/wasm';

beforeAll(async () => {
  await loadGrammar('terraform');
});

const scriptsOf = (text: string) => (parseTerraform('/m/main.tf', text).shellScripts ?? []).map((s) => text.slice(s.start, s.end));

describe('Terraform shell scripts', () => {
  it('reads local-exec commands, remote-exec inline lines and the script an external program hands a shell', () => {
    const text = [
      'resource "null_resource" "a" {',
      '  provisioner "local-exec" {',
      '    command = "psql -h ${var.host} -f schema.sql"',
      '  }',
      '  provisioner "remote-exec" {',
      '    inline = ["sudo apt-get update", "sudo systemctl restart app"]',
      '  }',
      '}',
      'data "external" "token" {',
      '  program = ["/bin/bash", "-ec", "echo {}"]',
      '}',
      '',
    ].join('\n');
    expect(scriptsOf(text)).toEqual(['psql -h ${var.host} -f schema.sql', 'sudo apt-get update', 'sudo systemctl restart app', 'echo {}']);
  });

  it("reads a heredoc command's lines and a shell interpreter's command", () => {
    const text = [
      'resource "null_resource" "a" {',
      '  provisioner "local-exec" {',
      '    interpreter = ["bash", "-c"]',
      '    command     = <<-EOT',
      '      set -e',
      '      ./seed.sh',
      '    EOT',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(scriptsOf(text)).toEqual(['      set -e\n      ./seed.sh']);
  });

  it('skips strings with escapes or directives, other interpreters, and scripts given as files', () => {
    const text = [
      'resource "null_resource" "a" {',
      '  provisioner "local-exec" {',
      '    command = "echo \\"quoted\\""',
      '  }',
      '  provisioner "local-exec" {',
      '    interpreter = ["python3", "-c"]',
      '    command     = "print(1)"',
      '  }',
      '  provisioner "local-exec" {',
      '    command = "echo %{ if var.on }on%{ endif }"',
      '  }',
      '  provisioner "remote-exec" {',
      '    script = "${path.module}/setup.sh"',
      '  }',
      '  provisioner "file" {',
      '    content     = "echo not run"',
      '    destination = "/tmp/x"',
      '  }',
      '}',
      'data "external" "a" {',
      '  program = ["python3", "${path.module}/token.py"]',
      '}',
      '',
    ].join('\n');
    expect(scriptsOf(text)).toEqual([]);
  });
});
