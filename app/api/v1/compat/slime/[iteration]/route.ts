import { handleScoringRoute } from "@/lib/reward-serving/route";

/**
 * POST /api/v1/compat/slime/:iteration — slime's remote reward (`--rm-type remote_rm --rm-url
 * http://host/api/v1/compat/slime/latest --reward-key reward`): {prompt, response, label} →
 * {reward, outcome, turn_rewards, …}. `?reward=outcome` sends the 0/1 outcome as the reward.
 */
export async function POST(req: Request, ctx: { params: Promise<{ iteration: string }> }) {
  return handleScoringRoute("slime", req, ctx.params);
}
