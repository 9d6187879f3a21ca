/**
 * Assembling groups from trajectories that arrive one record at a time (prime-rl writes one
 * episode per line, τ² one simulation per file). A group is released once it is complete, so
 * the server never sees a partial group followed by a fuller one under the same id (that would
 * be a 409: same natural key, different content).
 */
import type { GroupCreateBody, IngestTrajectory } from "./types";

export interface GroupPart {
  step: number;
  split?: "train" | "eval";
  policy_version?: number;
  group_id: string;
  task_id: string;
  trajectory: IngestTrajectory;
  /** Where the record came from (a byte offset for tailed files); lets a resumable reader know what is still pending. */
  origin?: number;
}

interface Pending {
  body: GroupCreateBody;
  origins: number[];
  seen: Set<string>;
}

export class GroupAccumulator {
  private pending = new Map<string, Pending>();

  constructor(private readonly runId: string) {}

  /** Adds a trajectory; a trajectory id seen before in the same group is ignored (a replayed line). */
  add(part: GroupPart): void {
    let g = this.pending.get(part.group_id);
    if (!g) {
      g = {
        body: {
          run_id: this.runId,
          step: part.step,
          ...(part.split ? { split: part.split } : {}),
          ...(part.policy_version !== undefined ? { policy_version: part.policy_version } : {}),
          group_id: part.group_id,
          task_id: part.task_id,
          trajectories: [],
        },
        origins: [],
        seen: new Set(),
      };
      this.pending.set(part.group_id, g);
    }
    if (g.seen.has(part.trajectory.trajectory_id)) return;
    g.seen.add(part.trajectory.trajectory_id);
    g.body.trajectories.push(part.trajectory);
    if (part.origin !== undefined) g.origins.push(part.origin);
  }

  /** Releases (and forgets) the groups for which `isComplete` holds, in insertion order. */
  take(isComplete: (body: GroupCreateBody) => boolean): GroupCreateBody[] {
    const out: GroupCreateBody[] = [];
    for (const [key, g] of this.pending) {
      if (isComplete(g.body)) {
        out.push(g.body);
        this.pending.delete(key);
      }
    }
    return out;
  }

  /** Everything still pending (end of input). */
  flush(): GroupCreateBody[] {
    return this.take(() => true);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The smallest origin among pending groups: a resumable reader must re-read from there. */
  earliestPendingOrigin(): number | null {
    let min: number | null = null;
    for (const g of this.pending.values()) for (const o of g.origins) if (min === null || o < min) min = o;
    return min;
  }
}
