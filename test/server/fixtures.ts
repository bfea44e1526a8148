/** Documents the protocol tests open. */

export const TF_MAIN = `# database and network
resource "aws_db_instance" "db" {
  engine   = "pøstgres😀"
  password = "Sup3rS3cretPassw0rd"
}

resource "aws_security_group" "ssh" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_s3_bucket" "logs" {
  acl = "public-read"
}
`;

export const TF_TWO_BUCKETS = `resource "aws_s3_bucket" "a" {
  acl = "public-read"
}

resource "aws_s3_bucket" "b" {
  acl = "public-read-write"
}

resource "aws_db_instance" "db" {
  password = "Sup3rS3cretPassw0rd"
}
`;

export const CFN_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`;

export const CFN_JSON = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Web": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "web",
        "SecurityGroupIngress": [
          { "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0" }
        ]
      }
    }
  }
}
`;

export const K8S_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
`;

export const HF_TOKEN = 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH';

export const NOTEBOOK_CELLS = [
  { kind: 'markdown' as const, text: '# Loading a model\n' },
  { kind: 'code' as const, text: 'from transformers import AutoModel\nx = "😀"; m = AutoModel.from_pretrained("org/m")\n' },
];
