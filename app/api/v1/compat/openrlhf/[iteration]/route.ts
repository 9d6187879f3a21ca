import { handleScoringRoute } from "@/lib/reward-serving/route";

/**
 * POST /api/v1/compat/openrlhf/:iteration — OpenRLHF's remote reward (`--reward.remote_url
 * http://host/api/v1/compat/openrlhf/latest`): {query, prompts, labels} → {rewards, scores,
 * extra_logs}. `?reward=outcome` sends the 0/1 outcome as the reward (lib/reward-serving/compat.ts).
 */
export async function POST(req: Request, ctx: { params: Promise<{ iteration: string }> }) {
  return handleScoringRoute("openrlhf", req, ctx.params);
}
