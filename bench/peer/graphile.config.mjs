// PostGraphile 5 over the load benchmark's database (bench/README.md, "Load benchmark against
// PostGraphile"): the amber preset, schema public, no extra plugins, no RLS or JWT.
// DATABASE_URL, PEER_PORT and BENCH_POOL come from bench/peer/run.sh.
//
// One change to the preset: PgIndexBehaviorsPlugin is disabled, so that `condition` may
// filter on columns without an index (a report's or an offer's `status`), as ccm-isu's SQL
// does: without it, a client could not ask for "the State's published reports" or "the open
// offers" and would have to fetch every row and filter itself.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      // node-postgres' default pool size, the same as ccm-isu's default.
      poolConfig: { max: Number(process.env.BENCH_POOL ?? 10) },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PEER_PORT ?? 15678),
    graphqlPath: "/graphql",
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};

export default preset;
