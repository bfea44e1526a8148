/**
 * `appendEntries` in the layouts the fixtures do not show: a comment after the last entry, a one-line JSON
 * object, a YAML flow mapping over several lines, four-space JSON, an HCL block on one line.
 */
import { describe, expect, it } from 'vitest';
import { applyEdits, fileEditsOf, type MapNode, parseFile, type ParsedFile } from '../../core';
import { appendEntries, type EntryLayout } from '../../rules/lib/edit';

/** A nested value in the layout it is given, as the rules write one. */
function nested(json: boolean) {
  return ({ indent, inline }: EntryLayout) =>
    inline
      ? json
        ? '{ "A": true, "B": true }'
        : '{ A: true, B: true }'
      : json
        ? `{\n${indent}\t"A": true,\n${indent}\t"B": true\n${indent}}`
        : `\n${indent}\tA: true\n${indent}\tB: true`;
}

async function append(name: string, text: string, pick: (file: ParsedFile) => MapNode, value: string | ((layout: EntryLayout) => string)) {
  const file = await parseFile(name, text);
  const edit = appendEntries(file, pick(file), [['Added', value]]);
  if (!edit) return undefined;
  const fixed = applyEdits(text, fileEditsOf(file, [{ title: '', kind: 'k', safety: 'safe', edits: [edit] }]));
  const again = await parseFile(name, fixed);
  expect(again.problems).toEqual([]);
  return fixed;
}

const bucket = (file: ParsedFile) => file.resources[0].body;

describe('appendEntries', () => {
  it('adds after a comment that ends the last YAML entry, keeping the comment on its line', async () => {
    const text = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: x # airlock:ignore storage/s3-public-acl -- test\n';
    expect(await append('t.yaml', text, bucket, nested(false))).toBe(
      'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: x # airlock:ignore storage/s3-public-acl -- test\n      Added:\n        A: true\n        B: true\n',
    );
  });

  it('adds after a comment that ends the last HCL attribute, with CRLF', async () => {
    const text = 'resource "aws_sagemaker_notebook_instance" "n" {\r\n  name = "n" // keep\r\n}\r\n';
    expect(await append('t.tf', text, bucket, '"Disabled"')).toBe(
      'resource "aws_sagemaker_notebook_instance" "n" {\r\n  name = "n" // keep\r\n  Added = "Disabled"\r\n}\r\n',
    );
  });

  it('adds inline to a JSON object written on one line', async () => {
    const text = '{\n  "Resources": {\n    "B": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "x" } }\n  }\n}\n';
    expect(await append('t.json', text, bucket, nested(true))).toBe(
      '{\n  "Resources": {\n    "B": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "x", "Added": { "A": true, "B": true } } }\n  }\n}\n',
    );
  });

  it('adds in flow style to a YAML flow mapping written over several lines', async () => {
    const text = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {\n      BucketName: x\n    }\n';
    expect(await append('t.yaml', text, bucket, nested(false))).toBe(
      'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {\n      BucketName: x,\n      Added: { A: true, B: true }\n    }\n',
    );
  });

  it('indents a nested JSON value by the unit of the file (four spaces)', async () => {
    const text =
      '{\n    "Resources": {\n        "B": {\n            "Type": "AWS::S3::Bucket",\n            "Properties": {\n                "BucketName": "x"\n            }\n        }\n    }\n}\n';
    expect(await append('t.json', text, bucket, nested(true))).toBe(
      '{\n    "Resources": {\n        "B": {\n            "Type": "AWS::S3::Bucket",\n            "Properties": {\n                "BucketName": "x",\n                "Added": {\n                    "A": true,\n                    "B": true\n                }\n            }\n        }\n    }\n}\n',
    );
  });

  it('offers nothing for an HCL block written on one line', async () => {
    expect(await append('t.tf', 'resource "aws_sagemaker_notebook_instance" "n" { name = "n" }\n', bucket, '"Disabled"')).toBeUndefined();
  });
});
