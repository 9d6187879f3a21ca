/**
 * Skill knobs of the simulated agent: probabilities, drawn from the rollout's seed, of
 * the mistakes real tool-calling agents make. Presets are starting points; any knob can
 * be overridden per run.
 */
import { z } from "zod";

const p = () => z.number().min(0).max(1);
export const agentKnobsSchema = z.object({
  /** Skip one evidence read (a search, a reservation in a scan, a status check). */
  skipRead: p(),
  /** Stop gathering evidence after each evidence read (compares fewer candidates as B grows). */
  stopEarly: p(),
  /** Corrupt one argument of a write (some corruptions fail in the tool, some write the wrong thing). */
  wrongArgs: p(),
  /** After a failed write, retry with the right arguments (otherwise give up on that request). */
  fixAfterError: p(),
  /** Write without listing the action and waiting for "yes". */
  skipConfirm: p(),
  /** Do what the user asks even when the policy forbids it. */
  policyViolation: p(),
  /** Repeat a read call it has just made. */
  duplicateRead: p(),
  /** Repeat a successful write. */
  duplicateWrite: p(),
  /** Call a read tool with an invented id before doing it properly. */
  inventId: p(),
  /** After a lookup with an invented id fails, give up and transfer to a human agent. */
  lostAfterError: p(),
  /** Get one detail of a write wrong so the system rejects it, then fix it from the error. */
  slip: p(),
  /** Before an evidence read, make an exploratory read off the plan (another date, another reservation). */
  wander: p(),
  /** Say goodbye before handling a request. */
  earlyStop: p(),
  /** Leave out the amount the user must be told. */
  forgetAmount: p(),
});
export type AgentKnobs = z.infer<typeof agentKnobsSchema>;
export type AgentPreset = "expert" | "average" | "sloppy";
export const AGENT_PRESETS = ["expert", "average", "sloppy"] as const;

export const PRESET_KNOBS: Record<AgentPreset, AgentKnobs> = {
  expert: {
    skipRead: 0,
    stopEarly: 0,
    wrongArgs: 0,
    fixAfterError: 1,
    skipConfirm: 0,
    policyViolation: 0,
    duplicateRead: 0,
    duplicateWrite: 0,
    inventId: 0.01,
    lostAfterError: 0,
    slip: 0.5,
    wander: 0,
    earlyStop: 0,
    forgetAmount: 0,
  },
  average: {
    skipRead: 0.05,
    stopEarly: 0.08,
    wrongArgs: 0.08,
    fixAfterError: 0.6,
    skipConfirm: 0.05,
    policyViolation: 0.15,
    duplicateRead: 0.08,
    duplicateWrite: 0.01,
    inventId: 0.2,
    lostAfterError: 0.3,
    slip: 0.5,
    wander: 0.2,
    earlyStop: 0.01,
    forgetAmount: 0.04,
  },
  sloppy: {
    skipRead: 0.15,
    stopEarly: 0.25,
    wrongArgs: 0.2,
    fixAfterError: 0.4,
    skipConfirm: 0.2,
    policyViolation: 0.35,
    duplicateRead: 0.2,
    duplicateWrite: 0.03,
    inventId: 0.4,
    lostAfterError: 0.8,
    slip: 0.5,
    wander: 0.5,
    earlyStop: 0.03,
    forgetAmount: 0.1,
  },
};
