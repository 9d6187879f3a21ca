import { getDb } from "@/db/server";
import { handleRoute, json } from "@/lib/http/respond";
import { parseScalarChoice, scoreOpenRlhf } from "@/lib/reward-serving/compat";
import { readLimitedJson } from "@/lib/reward-serving/request";
import { resolveIteration } from "@/lib/reward-serving/resolve";

/**
 * POST /api/v1/compat/openrlhf/:iteration — OpenRLHF's remote reward (`--reward.remote_url
 * http://host/api/v1/compat/openrlhf/latest`): {query, prompts, labels} → {rewards, scores,
 * extra_logs}. `?reward=outcome` sends the 0/1 outcome as the reward.
 */
export async function POST(req: Request, ctx: { params: Promise<{ iteration: string }> }) {
  return handleRoute(async () => {
    const { iteration } = await ctx.params;
    const choice = parseScalarChoice(new URL(req.url).searchParams.get("reward"));
    const body = await readLimitedJson(req);
    const db = getDb();
    return json(scoreOpenRlhf(db, resolveIteration(db, iteration), body, choice));
  });
}
