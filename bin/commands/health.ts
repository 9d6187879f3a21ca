/** `writ health` — database reachable, live workers, queue depth by status (JSON). Exits 1 when the db is not. */
import { closeDb, openDb, type Db } from "../../db/client";
import { getHealth } from "../../db/queries/health";
import { getEnv } from "../../lib/settings";
import { printJson, stringFlag, type CliCommand } from "../cli-kit";
import { fetchServerJson } from "../server-client";

const command: CliCommand = {
  summary: "database, live workers and queue depth",
  usage: "writ health [--server URL]  (with --server, asks a running server; WRIT_ACCESS_TOKEN is sent as a bearer token)",
  async run(args) {
    const server = stringFlag(args, "server");
    if (server) {
      printJson(await fetchServerJson(server, "/api/health"));
      return;
    }
    let db: Db | undefined;
    const report = await getHealth(() => (db = openDb(getEnv().WRIT_DB)));
    if (db) closeDb(db);
    printJson(report);
    if (!report.ok) process.exitCode = 1;
  },
};

export default command;
