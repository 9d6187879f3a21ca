/** The task-set reads of ingestion (../task-sets.ts caches what they return). */
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { taskSets, tasks } from "../../../db/schema";
import type { Task } from "../../types/task";

export function findTaskSetById(db: Db, id: number): { id: number; name: string } | undefined {
  return db.select({ id: taskSets.id, name: taskSets.name }).from(taskSets).where(eq(taskSets.id, id)).get();
}

export function findTaskSetByName(db: Db, name: string): { id: number; name: string } | undefined {
  return db.select({ id: taskSets.id, name: taskSets.name }).from(taskSets).where(eq(taskSets.name, name)).get();
}

export function findTaskBody(db: Db, taskSetId: number, taskId: string): Task | undefined {
  return db.select({ body: tasks.body }).from(tasks).where(and(eq(tasks.taskSetId, taskSetId), eq(tasks.taskId, taskId))).get()?.body;
}

/** Which database a cached entry belongs to (tests rebuild databases; a server may open more than one). */
export function databaseKey(db: Db): string {
  return db.$client.name;
}
