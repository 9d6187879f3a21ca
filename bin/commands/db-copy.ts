/**
 * `writ db copy --from FILE_OR_URL --to FILE_OR_URL` — copy a whole database between a SQLite
 * file and PostgreSQL (either direction), verified per table by row count and sha256 content
 * checksum (db/copy). Progress bars on stderr, the per-table report as JSON on stdout.
 * The target must be empty (a new SQLite file, or a fresh PostgreSQL database).
 */
import { copyDatabase } from "../../db/copy/copy";
import { stderrProgress } from "../../db/copy/progress";
import { redactUrl } from "../../db/copy/endpoints";
import { printJson, progress, requiredFlag, type CliCommand } from "../cli-kit";

const command: CliCommand = {
  summary: "copy a whole database between SQLite and PostgreSQL, verified by counts and checksums",
  usage: "writ db copy --from FILE_OR_URL --to FILE_OR_URL  (postgres://… or a SQLite file; the target must be empty)",
  async run(args) {
    const from = requiredFlag(args, "from");
    const to = requiredFlag(args, "to");
    progress(`copying ${redactUrl(from)} -> ${redactUrl(to)}`);
    const report = await copyDatabase(from, to, { progress: stderrProgress() });
    progress(`verified ${report.tables.length} tables, ${report.rows} rows: counts and checksums equal (${report.seconds} s)`);
    printJson(report);
  },
};

export default command;
