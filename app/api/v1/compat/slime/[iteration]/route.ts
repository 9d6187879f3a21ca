import { getDb } from "@/db/server";
import { handleRoute, json } from "@/lib/http/respond";
import { parseScalarChoice, scoreSlime } from "@/lib/reward-serving/compat";
import { readLimitedJson } from "@/lib/reward-serving/request";
import { resolveIteration } from "@/lib/reward-serving/resolve";

/**
 * POST /api/v1/compat/slime/:iteration — slime's remote reward (`--rm-type remote_rm --rm-url
 * http://host/api/v1/compat/slime/latest --reward-key reward`): {prompt, response, label} →
 * {reward, outcome, turn_rewards, …}. `?reward=outcome` sends the 0/1 outcome as the reward.
 */
export async function POST(req: Request, ctx: { params: Promise<{ iteration: string }> }) {
  return handleRoute(async () => {
    const { iteration } = await ctx.params;
    const choice = parseScalarChoice(new URL(req.url).searchParams.get("reward"));
    const body = await readLimitedJson(req);
    const db = getDb();
    return json(scoreSlime(db, resolveIteration(db, iteration), body, choice));
  });
}
