/** `writ jobs list [--status S] [--name N] [--limit N] [--cursor ID]` — jobs newest first (JSON). */
import { z } from "zod";
import { closeDb, openDb } from "../../db/client";
import { countJobsByStatus, listJobs, publicJob } from "../../db/queries/jobs";
import { jobStatuses } from "../../db/schema";
import { getEnv } from "../../lib/settings";
import { CliError, numberFlag, printJson, stringFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "list jobs with status and progress",
  usage: "writ jobs list [--status queued|running|succeeded|failed|cancelled] [--name N] [--limit N] [--cursor ID]",
  async run(args) {
    const status = stringFlag(args, "status");
    const parsedStatus = z.enum(jobStatuses).optional().safeParse(status);
    if (!parsedStatus.success) throw new CliError(`--status must be one of ${jobStatuses.join(", ")}`);
    const limit = numberFlag(args, "limit", 50);
    const cursor = numberFlag(args, "cursor");
    const db = openDb(getEnv().WRIT_DB);
    try {
      const page = await listJobs(db, { status: parsedStatus.data, name: stringFlag(args, "name"), limit, cursor });
      printJson({ jobs: page.jobs.map(publicJob), nextCursor: page.nextCursor, counts: await countJobsByStatus(db) });
    } finally {
      closeDb(db);
    }
  },
};

export default command;
