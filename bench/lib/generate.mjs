// Deterministic synthetic inputs: realistic files with many resources and a few findings.
// The same arguments always give the same text (no randomness), so runs are comparable.

const pad = (n, w = 4) => String(n).padStart(w, '0');

/** Terraform with about `lines` lines: buckets, security groups, databases, IAM, instances, modules, variables. */
export function terraform(lines) {
  const blocks = [];
  let count = 0;
  for (let n = 0; count < lines; n++) {
    const id = pad(n);
    let b;
    switch (n % 8) {
      case 0:
        b = `resource "aws_s3_bucket" "data_${id}" {\n  bucket = "acme-ml-data-${id}"\n  acl    = "${n % 40 === 0 ? 'public-read' : 'private'}"\n\n  tags = {\n    Team        = "ml-platform"\n    Environment = "prod"\n    CostCenter  = "cc-${id}"\n  }\n}\n`;
        break;
      case 1:
        b = `resource "aws_security_group" "svc_${id}" {\n  name        = "svc-${id}"\n  description = "service ${id}"\n  vpc_id      = var.vpc_id\n\n  ingress {\n    description = "https"\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["${n % 41 === 0 ? '0.0.0.0/0' : '10.20.0.0/16'}"]\n  }\n\n  ingress {\n    from_port       = 22\n    to_port         = 22\n    protocol        = "tcp"\n    security_groups = [aws_security_group.bastion.id]\n  }\n\n  egress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n    cidr_blocks = ["10.0.0.0/8"]\n  }\n}\n`;
        break;
      case 2:
        b = `resource "aws_db_instance" "db_${id}" {\n  identifier          = "db-${id}"\n  engine              = "postgres"\n  engine_version      = "15.4"\n  instance_class      = "db.t3.medium"\n  allocated_storage   = 50\n  username            = "app"\n  password            = ${n % 42 === 0 ? '"Wq8-zr4T-pX2v-Lm9e"' : 'var.db_password'}\n  storage_encrypted   = true\n  skip_final_snapshot = false\n  vpc_security_group_ids = [aws_security_group.svc_${pad(n - 1)}.id]\n}\n`;
        break;
      case 3:
        b = `resource "aws_iam_role" "task_${id}" {\n  name = "task-${id}"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Action    = "sts:AssumeRole"\n      Principal = { Service = "ecs-tasks.amazonaws.com" }\n    }]\n  })\n}\n`;
        break;
      case 4:
        b = `resource "aws_instance" "worker_${id}" {\n  ami           = data.aws_ami.ubuntu.id\n  instance_type = "m5.large"\n  subnet_id     = element(var.subnet_ids, ${n % 3})\n\n  root_block_device {\n    volume_size = 100\n    encrypted   = true\n  }\n\n  tags = merge(local.common_tags, { Name = "worker-\${var.env}-${id}" })\n}\n`;
        break;
      case 5:
        b = `module "queue_${id}" {\n  source  = "terraform-aws-modules/sqs/aws"\n  version = "4.1.0"\n  name    = "jobs-${id}"\n\n  visibility_timeout_seconds = 300\n  tags                       = local.common_tags\n}\n`;
        break;
      case 6:
        b = `variable "size_${id}" {\n  description = "node count for pool ${id}"\n  type        = number\n  default     = ${n % 9}\n}\n\nlocals {\n  pool_${id} = "\${var.env}-pool-${id}"\n}\n`;
        break;
      default:
        b = `# Pool ${id}: autoscaling for batch jobs\nresource "aws_autoscaling_group" "pool_${id}" {\n  name                = local.pool_${pad(n - 1)}\n  min_size            = 0\n  max_size            = var.size_${pad(n - 1)}\n  vpc_zone_identifier = var.subnet_ids\n\n  launch_template {\n    id      = aws_launch_template.batch.id\n    version = "$Latest"\n  }\n}\n`;
    }
    blocks.push(b);
    count += b.split('\n').length;
  }
  return blocks.join('\n');
}

/** A CloudFormation YAML template of about `lines` lines with short-form intrinsics. */
export function cloudformationYaml(lines) {
  const out = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Description: Synthetic ML platform stack',
    'Parameters:',
    '  Env:',
    '    Type: String',
    '    Default: prod',
    '  VpcId:',
    '    Type: AWS::EC2::VPC::Id',
    '  DbPassword:',
    '    Type: String',
    '    NoEcho: true',
    'Resources:',
  ];
  for (let n = 0; out.length < lines; n++) {
    const id = pad(n);
    switch (n % 5) {
      case 0:
        out.push(
          `  DataBucket${id}:`,
          '    Type: AWS::S3::Bucket',
          '    Properties:',
          `      BucketName: !Sub "acme-\${Env}-data-${id}"`,
          `      AccessControl: ${n % 30 === 0 ? 'PublicRead' : 'Private'}`,
          '      VersioningConfiguration:',
          '        Status: Enabled',
          '      Tags:',
          '        - Key: Team',
          '          Value: ml-platform',
        );
        break;
      case 1:
        out.push(
          `  ServiceSg${id}:`,
          '    Type: AWS::EC2::SecurityGroup',
          '    Properties:',
          `      GroupDescription: service ${id}`,
          '      VpcId: !Ref VpcId',
          '      SecurityGroupIngress:',
          '        - IpProtocol: tcp',
          '          FromPort: 443',
          '          ToPort: 443',
          `          CidrIp: ${n % 31 === 0 ? '0.0.0.0/0' : '10.20.0.0/16'}`,
          '        - IpProtocol: tcp',
          '          FromPort: 5432',
          '          ToPort: 5432',
          `          SourceSecurityGroupId: !GetAtt ServiceSg${id}.GroupId`,
        );
        break;
      case 2:
        out.push(
          `  Database${id}:`,
          '    Type: AWS::RDS::DBInstance',
          '    Properties:',
          '      Engine: postgres',
          '      DBInstanceClass: db.t3.medium',
          '      AllocatedStorage: "50"',
          '      MasterUsername: app',
          `      MasterUserPassword: ${n % 32 === 0 ? 'Wq8-zr4T-pX2v-Lm9e' : '!Ref DbPassword'}`,
          '      VPCSecurityGroups:',
          `        - !Ref ServiceSg${pad(n - 1)}`,
        );
        break;
      case 3:
        out.push(
          `  Task${id}:`,
          '    Type: AWS::ECS::TaskDefinition',
          '    Properties:',
          `      Family: !Join ["-", [!Ref Env, "task", "${id}"]]`,
          '      ContainerDefinitions:',
          `        - Name: app-${id}`,
          `          Image: ${n % 33 === 0 ? 'acme/app:latest' : `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.${n % 7}.0`}`,
          '          Memory: 512',
          '          Environment:',
          '            - Name: MODE',
          '              Value: batch',
        );
        break;
      default:
        out.push(
          `  Fn${id}:`,
          '    Type: AWS::Lambda::Function',
          '    Properties:',
          '      Runtime: python3.12',
          '      Handler: index.handler',
          `      Role: !GetAtt Role${id}.Arn`,
          '      Environment:',
          '        Variables:',
          '          STAGE: !Ref Env',
          `          TABLE: !ImportValue shared-table-${id}`,
        );
    }
  }
  return `${out.join('\n')}\n`;
}

/** A multi-document Kubernetes file of about `lines` lines. */
export function kubernetesMulti(lines) {
  const docs = [];
  let count = 0;
  for (let n = 0; count < lines; n++) {
    const id = pad(n);
    let d;
    switch (n % 3) {
      case 0:
        d = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-${id}\n  labels:\n    app: api-${id}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: api-${id}\n  template:\n    metadata:\n      labels:\n        app: api-${id}\n    spec:\n      containers:\n        - name: api\n          image: ${n % 12 === 0 ? 'acme/api:latest' : `registry.acme.dev/api:2.${n % 9}.1`}\n          ports:\n            - containerPort: 8080\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: DB_PASSWORD\n              ${n % 15 === 0 ? 'value: "Wq8-zr4T-pX2v-Lm9e"' : 'valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password'}\n          resources:\n            limits:\n              cpu: 500m\n              memory: 256Mi\n`;
        break;
      case 1:
        d = `apiVersion: v1\nkind: Service\nmetadata:\n  name: api-${id}\nspec:\n  selector:\n    app: api-${pad(n - 1)}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
        break;
      default:
        d = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-${id}-config\ndata:\n  feature_flags: "a,b,c"\n  region: us-east-1\n  # tuned for batch\n  workers: "8"\n`;
    }
    docs.push(d);
    count += d.split('\n').length;
  }
  return docs.join('---\n');
}

/** A GitHub Actions workflow of about `lines` lines: jobs with services, pinned and unpinned actions, env and run scripts. */
export function workflow(lines) {
  const jobs = [];
  let count = 3;
  for (let n = 0; count < lines; n++) {
    const id = pad(n);
    const checkout = n % 4 === 0 ? 'v4' : '11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2';
    const j = `  test-${id}:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: ${n % 10 === 0 ? 'postgres:latest' : 'postgres:16'}\n        env:\n          POSTGRES_PASSWORD: \${{ secrets.DB_PASSWORD }}\n    env:\n      LOG_LEVEL: info\n      SHARD: "${n}"\n    steps:\n      - uses: actions/checkout@${checkout}\n      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0\n        with:\n          python-version: "3.12"\n      - name: test shard ${id}\n        run: |\n          pip install -r requirements.txt\n          pytest -k shard_${n} --maxfail 1\n`;
    jobs.push(j);
    count += j.split('\n').length - 1;
  }
  return `name: ci\non: [push, pull_request]\njobs:\n${jobs.join('')}`;
}

/** A Compose file of about `lines` lines: services with images (some on :latest), published ports, environments. */
export function composeFile(lines) {
  const services = [];
  let count = 1;
  for (let n = 0; count < lines; n++) {
    const id = pad(n);
    const image = n % 10 === 0 ? 'redis:latest' : `registry.acme.dev/svc-${id}:2.4.${n % 9}`;
    const port = n % 7 === 0 ? `"${6000 + (n % 1000)}:6379"` : `"127.0.0.1:${8000 + (n % 1000)}:8080"`;
    const password = n % 5 === 0 ? 'Wq8-zr4T-pX2v-Lm9e' : '${DB_PASSWORD}';
    const sv = `  svc-${id}:\n    image: ${image}\n    restart: unless-stopped\n    ports:\n      - ${port}\n    environment:\n      LOG_LEVEL: info\n      DB_PASSWORD: "${password}"\n    depends_on:\n      - db\n`;
    services.push(sv);
    count += sv.split('\n').length - 1;
  }
  return `services:\n${services.join('')}`;
}

/** A multi-stage Dockerfile of about `lines` lines: stages on pinned and unpinned bases, pip installs, ENV, RUN scripts. */
export function dockerfile(lines) {
  const out = [];
  for (let n = 0; out.length < lines; n++) {
    const id = pad(n);
    const from = n % 10 === 0 ? 'python:latest' : 'python:3.12.7-slim-bookworm';
    const pip = n % 6 === 0 ? 'pip install --no-cache-dir requests' : 'pip install --no-cache-dir requests==2.32.3';
    out.push(
      `FROM ${from} AS stage-${id}`,
      `ENV LOG_LEVEL=info SHARD=${n}`,
      'WORKDIR /app',
      `RUN apt-get update \\`,
      '    && apt-get install -y --no-install-recommends curl \\',
      '    && rm -rf /var/lib/apt/lists/*',
      `RUN ${pip}`,
      `COPY app-${id}/ /app/`,
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

/** A `terraform show -json` plan of `count` resources (security groups, some open to the world, and buckets), minified as Terraform writes it. */
export function terraformPlan(count) {
  const resources = [];
  for (let n = 0; n < count; n++) {
    const id = pad(n);
    if (n % 2 === 0) {
      const cidr = n % 10 === 0 ? '0.0.0.0/0' : '10.0.0.0/8';
      resources.push({
        address: `aws_security_group.sg_${id}`,
        mode: 'managed',
        type: 'aws_security_group',
        name: `sg_${id}`,
        provider_name: 'registry.terraform.io/hashicorp/aws',
        schema_version: 1,
        values: {
          name: `sg-${id}`,
          description: 'service',
          ingress: [
            {
              cidr_blocks: [cidr],
              description: 'ssh',
              from_port: 22,
              to_port: 22,
              protocol: 'tcp',
              ipv6_cidr_blocks: [],
              prefix_list_ids: [],
              security_groups: [],
              self: false,
            },
          ],
          egress: [],
          tags: { Name: `sg-${id}` },
        },
      });
    } else {
      resources.push({
        address: `aws_s3_bucket.b_${id}`,
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: `b_${id}`,
        provider_name: 'registry.terraform.io/hashicorp/aws',
        schema_version: 0,
        values: { bucket: `acme-ml-data-${id}`, force_destroy: false, tags: { Team: 'ml' } },
      });
    }
  }
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.5',
    planned_values: { root_module: { resources } },
    configuration: { root_module: {} },
  });
}

/** A Python module of about `lines` lines: model loads (some without a revision), settings, functions. */
export function pythonModule(lines) {
  const out = ['import os', 'from transformers import AutoModel', ''];
  const revision = '0123456789abcdef'.repeat(3).slice(0, 40);
  for (let n = 0; out.length < lines; n++) {
    const id = pad(n);
    const load = n % 10 === 0 ? '    return AutoModel.from_pretrained(name)' : `    return AutoModel.from_pretrained(name, revision="${revision}")`;
    out.push(`def load_${id}():`, `    name = "acme/encoder-${id}"`, load, '', `SETTING_${id} = os.environ.get("SETTING_${id}", "default")`, '');
  }
  return `${out.join('\n')}\n`;
}
/**
 * A Helm template of about `lines` lines (workloads with `include`/`toYaml` lines, `if`/`with` blocks, values
 * lookups, some images on :latest through values.yaml, a literal password now and then), and its chart's files.
 */
export function helmTemplate(lines) {
  const docs = [];
  let count = 0;
  for (let n = 0; count < lines; n++) {
    const id = pad(n);
    const image =
      n % 4 === 0
        ? '"{{ .Values.image.repository }}:{{ .Values.image.tag }}"'
        : `"registry.acme.dev/api-${id}:{{ .Values.worker.tag | default .Chart.AppVersion }}"`;
    const password = n % 5 === 0 ? 'value: "Wq8-zr4T-pX2v-Lm9e"' : 'value: {{ .Values.db.password | quote }}';
    const d = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.fullname" . }}-${id}\n  labels:\n    {{- include "web.labels" . | nindent 4 }}\nspec:\n  {{- if not .Values.autoscaling.enabled }}\n  replicas: {{ .Values.replicaCount }}\n  {{- end }}\n  template:\n    metadata:\n      {{- with .Values.podAnnotations }}\n      annotations:\n        {{- toYaml . | nindent 8 }}\n      {{- end }}\n    spec:\n      containers:\n        - name: api\n          image: ${image}\n          env:\n            - name: LOG_LEVEL\n              value: {{ .Values.logLevel | default "info" | quote }}\n            - name: DB_PASSWORD\n              ${password}\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n`;
    docs.push(d);
    count += d.split('\n').length;
  }
  return docs.join('---\n');
}

export const HELM_CHART = 'apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: "2.4.1"\n';
export const HELM_VALUES =
  'replicaCount: 2\nimage:\n  repository: acme/api\n  tag: latest\nworker:\n  tag: ""\nlogLevel: info\ndb:\n  password: ""\nautoscaling:\n  enabled: false\npodAnnotations: {}\nresources: {}\n';

/** Notebook cells: imports, model loads (some unpinned), training code, markdown. */
export function notebookCells(count) {
  const cells = [];
  for (let n = 0; n < count; n++) {
    const id = pad(n);
    switch (n % 5) {
      case 0:
        cells.push({ kind: 'markdown', text: `## Step ${n}\n\nLoad the data and look at a few rows of split ${id}.\n` });
        break;
      case 1:
        cells.push({
          kind: 'code',
          text: `from transformers import AutoModel, AutoTokenizer\nmodel_${id} = AutoModel.from_pretrained("acme/encoder-${id}"${n % 10 === 1 ? '' : ', revision="0123456789abcdef0123456789abcdef01234567"'})\ntok_${id} = AutoTokenizer.from_pretrained("acme/encoder-${id}", revision="0123456789abcdef0123456789abcdef01234567")\n`,
        });
        break;
      case 2:
        cells.push({
          kind: 'code',
          text: `import pandas as pd\ndf_${id} = pd.read_csv("data/split_${id}.csv")\ndf_${id} = df_${id}.dropna()\nprint(df_${id}.shape)\ndf_${id}.head()\n`,
          outputs: [{ output_type: 'stream', name: 'stdout', text: [`(${1000 + n}, 12)\n`] }],
        });
        break;
      case 3:
        cells.push({
          kind: 'code',
          text: `def train_${id}(model, data, epochs=3):\n    for epoch in range(epochs):\n        loss = model.step(data)\n        print(f"epoch {epoch}: loss={loss:.4f}")\n    return model\n`,
        });
        break;
      default:
        cells.push({
          kind: 'code',
          text: `%pip install -q datasets==2.19.0\nimport os\nconfig_${id} = {"lr": 3e-4, "batch_size": 32, "warmup": ${n}}\napi_url = os.environ.get("API_URL", "http://localhost:8000")\n`,
        });
    }
  }
  return cells;
}

/** The `.ipynb` text of `cells`. */
export function notebookJson(cells) {
  const lines = (t) => t.split(/(?<=\n)/);
  const nb = {
    cells: cells.map((c, i) =>
      c.kind === 'markdown'
        ? { cell_type: 'markdown', id: `c${i}`, metadata: {}, source: lines(c.text) }
        : { cell_type: 'code', execution_count: i, id: `c${i}`, metadata: {}, outputs: c.outputs ?? [], source: lines(c.text) },
    ),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** A small CloudFormation JSON template. */
export function cloudformationJson(n) {
  const resources = {};
  for (let k = 0; k < 12; k++) {
    const id = pad(n * 100 + k, 6);
    resources[`Sg${id}`] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `service ${id}`,
        VpcId: { Ref: 'VpcId' },
        SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: k === 0 && n % 3 === 0 ? '0.0.0.0/0' : '10.20.0.0/16' }],
      },
    };
    resources[`Logs${id}`] = {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: { 'Fn::Sub': `acme-\${AWS::Region}-logs-${id}` }, VersioningConfiguration: { Status: 'Enabled' } },
    };
  }
  return `${JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' } }, Resources: resources }, null, 2)}\n`;
}

/** A `.env`-style text file. */
export function dotenv(n) {
  return `# service ${n}\nAPP_ENV=prod\nLOG_LEVEL=info\nAPI_URL=https://api.acme.dev/v${n % 3}\nWORKERS=${n % 16}\n`;
}

/**
 * A workspace of `count` files in folders of a few files each (Terraform modules, Kubernetes manifests,
 * CloudFormation templates in YAML and JSON, notebooks): `[relativePath, text]` pairs.
 */
export function workspace(count) {
  const files = [];
  for (let i = 0; files.length < count; i++) {
    const dir = `svc-${pad(Math.floor(i / 4), 3)}`;
    switch (i % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        files.push([`${dir}/tf/main-${i}.tf`, terraform(120 + (i % 5) * 40)]);
        break;
      case 4:
      case 5:
        files.push([`${dir}/k8s/app-${i}.yaml`, kubernetesMulti(120 + (i % 4) * 30)]);
        break;
      case 6:
        files.push([`${dir}/cfn/stack-${i}.yaml`, cloudformationYaml(200 + (i % 3) * 50)]);
        break;
      case 7:
        files.push([`${dir}/nb/explore-${i}.ipynb`, notebookJson(notebookCells(20))]);
        break;
      default:
        files.push([`${dir}/cfn/network-${i}.json`, cloudformationJson(i)]);
    }
  }
  return files;
}
