/** `writ health` — database reachable, live workers, queue depth by status (JSON). Exits 1 when the db is not. */
import { closeDb, openDb, type Db } from "../../db/client";
import { getHealth } from "../../db/queries/health";
import { getEnv } from "../../lib/env";
import { printJson, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "database, live workers and queue depth",
  usage: "writ health",
  async run() {
    let db: Db | undefined;
    const report = getHealth(() => (db = openDb(getEnv().WRIT_DB)));
    if (db) closeDb(db);
    printJson(report);
    if (!report.ok) process.exitCode = 1;
  },
};

export default command;
