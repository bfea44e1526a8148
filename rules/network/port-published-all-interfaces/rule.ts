import { defineRule, get } from '../../../core';
import { imageName, imageRef, portsOnAllInterfaces } from '../../lib/published-ports';

/**
 * Services nobody outside the host should reach directly, by a token of the image name (`postgres`,
 * `bitnami/postgresql`, `ollama/ollama`) or, for a service built from source, by the port only they use.
 */
interface Kind {
  what: string;
  images: RegExp;
  ports: number[];
}

const KINDS: Kind[] = [
  { what: 'PostgreSQL', images: /^(postgres(ql)?|postgis|timescaledb(-ha)?|pgvector)$/, ports: [5432] },
  { what: 'MySQL', images: /^(mysql|mariadb|percona(-server)?)$/, ports: [3306] },
  { what: 'MongoDB', images: /^(mongo|mongodb(-community-server)?)$/, ports: [27017] },
  { what: 'Redis', images: /^(redis(-stack(-server)?)?|valkey|keydb)$/, ports: [6379] },
  { what: 'SQL Server', images: /^(mssql|mssql-server.*|azure-sql-edge)$/, ports: [1433] },
  { what: 'Cassandra', images: /^(cassandra|scylla)$/, ports: [9042] },
  { what: 'CouchDB', images: /^couchdb$/, ports: [5984] },
  { what: 'Neo4j', images: /^neo4j$/, ports: [7474, 7687] },
  { what: 'InfluxDB', images: /^influxdb$/, ports: [8086] },
  { what: 'ClickHouse', images: /^clickhouse(-server)?$/, ports: [8123, 9000] },
  { what: 'Memcached', images: /^memcached$/, ports: [11211] },
  { what: 'etcd', images: /^etcd$/, ports: [2379] },
  { what: 'Elasticsearch', images: /^(elasticsearch|opensearch)$/, ports: [9200] },
  { what: 'Qdrant', images: /^qdrant$/, ports: [6333, 6334] },
  { what: 'Milvus', images: /^milvus$/, ports: [19530] },
  { what: 'Weaviate', images: /^weaviate$/, ports: [] },
  { what: 'Chroma', images: /^chroma(db)?$/, ports: [] },
  { what: 'Vespa', images: /^vespa$/, ports: [] },
  { what: 'Marqo', images: /^marqo$/, ports: [] },
  { what: 'Ollama', images: /^ollama$/, ports: [11434] },
  { what: 'vLLM', images: /^vllm(-openai)?$/, ports: [] },
  { what: 'Text Generation Inference', images: /^text-generation-inference$/, ports: [] },
  { what: 'Triton Inference Server', images: /^tritonserver$/, ports: [] },
  { what: 'TorchServe', images: /^torchserve$/, ports: [] },
  { what: 'LocalAI', images: /^local-?ai$/, ports: [] },
  { what: 'Jupyter', images: /^(jupyter|jupyterlab|[a-z-]*-notebook)$/, ports: [8888] },
];

/**
 * By the image's name; by the port for a service built here (its image, if named, is its own) or published
 * explicitly on every interface.
 */
function kindOf(image: string | undefined, built: boolean, target: number): Kind | undefined {
  const byImage = image ? KINDS.find((k) => k.images.test(image)) : undefined;
  return byImage ?? (built || !image ? KINDS.find((k) => k.ports.includes(target)) : undefined);
}

export default defineRule({
  id: 'network/port-published-all-interfaces',
  family: 'network',
  severity: 'warning',
  formats: ['compose'],
  prefilter: { compose: ['ports'] },
  fixes: { 'bind-loopback': 'unsafe' },
  docs: {
    summary:
      'Compose service running a database (a vector or search store too), a model server or a notebook (by its image, or by a port only such a service uses when the service is built here or the port is published explicitly on `0.0.0.0`) whose port is published on every host interface: `"5432:5432"`, `"0.0.0.0:8888:8888"`, or long syntax without `host_ip`. A host address or an image written with interpolation defaults (`"${BIND:-0.0.0.0}:5432:5432"`, `vllm/vllm-openai:${TAG:-latest}`) is read as Compose reads it when the variables are unset.',
    why: 'A port published without a host address listens on every interface of the host, and Docker opens it in the host firewall by its own rules (`ufw` does not stop it). Databases (vector and search stores too: Qdrant, Weaviate, Milvus, Chroma, Elasticsearch and OpenSearch, whose embeddings can be inverted back into text), Ollama and vLLM servers, and Jupyter servers often run there without authentication or with a sample password: anyone on the network — or the internet, on a cloud VM — can read the data, run prompts on your GPUs or execute code.',
    fix: 'Publish the port on `127.0.0.1` only (`"127.0.0.1:5432:5432"`, or `host_ip: 127.0.0.1`), or drop `ports` and let the other services reach it over the Compose network by its service name.',
    fixes: {
      'bind-loopback': 'Binds the published port to `127.0.0.1`: only the host itself can connect, so check which clients used it from other machines.',
    },
    examples: {
      format: 'compose',
      bad: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"',
      good: 'services:\n  db:\n    image: postgres:16\n    ports:\n      - "127.0.0.1:5432:5432"',
    },
  },
  check({ file, report }) {
    for (const service of file.resources) {
      const image = imageName(service);
      const built = get(service.body, 'build') !== undefined;
      for (const port of portsOnAllInterfaces(file, service)) {
        // Written out as `0.0.0.0:` / `[::]:`, the publish is chosen: a database's port says what it serves, whatever the image.
        const kind = kindOf(image, built || port.hostIp !== undefined, port.target);
        if (!kind) continue;
        const byImage = image !== undefined && !built && kind.images.test(image);
        const evidence = byImage ? `image ${imageRef(service)?.trim()}` : `container port ${port.target}`;
        const where = port.hostIp ? `explicitly on ${port.hostIp}` : 'on every host interface (no host address)';
        report({
          span: port.span,
          message: `Service "${service.name}" publishes ${kind.what} (${evidence}) as "${port.text}" ${where}: anyone who can reach the host can connect to it`,
          fixes: port.bindLoopback
            ? [{ title: 'Publish the port on 127.0.0.1 only', kind: 'bind-loopback', safety: 'unsafe', edits: [port.bindLoopback] }]
            : [],
        });
      }
    }
  },
});
