/**
 * Short links: a random, URL-safe id standing for a page path plus its query state.
 * `/v/<id>` redirects to path + query (arrays repeat the key; objects are JSON-encoded).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../db/client";
import { NotFoundError } from "../errors/app-error";
import { safeRedirectPath } from "../http/same-origin-path";
import type { CreateViewResponse, ViewResponse } from "./api-types";
import { findViewRow, insertViewRow } from "./store/views";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
export const VIEW_ID_LENGTH = 8;

/** 8 characters from a 57-letter alphabet (no look-alikes): ~46 bits, unguessable for sharing. */
export function newViewId(): string {
  const bytes = randomBytes(VIEW_ID_LENGTH * 2);
  let id = "";
  // Rejection sampling keeps the distribution uniform.
  for (let i = 0; i < bytes.length && id.length < VIEW_ID_LENGTH; i++) {
    if (bytes[i] < 256 - (256 % ALPHABET.length)) id += ALPHABET[bytes[i] % ALPHABET.length];
  }
  return id.length === VIEW_ID_LENGTH ? id : newViewId();
}

export function viewTarget(path: string, state: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (v === undefined || v === null) continue;
    const put = (x: unknown) => q.append(k, typeof x === "object" ? JSON.stringify(x) : String(x));
    if (Array.isArray(v)) v.forEach(put);
    else put(v);
  }
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

export function createView(db: Db, input: { path: string; state: Record<string, unknown> }): CreateViewResponse {
  for (let attempt = 0; attempt < 5; attempt++) {
    const id = newViewId();
    if (insertViewRow(db, { id, path: input.path, state: input.state })) return { id, url: `/v/${id}` };
  }
  throw new Error("could not allocate a short link id");
}

export function findView(db: Db, id: string): ViewResponse | null {
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) return null;
  const row = findViewRow(db, id);
  if (!row) return null;
  // A row saved before paths were checked may point off-site; such a link goes home instead.
  const target = safeRedirectPath(viewTarget(row.path, row.state), "/");
  return { id: row.id, path: row.path, state: row.state, target, created_at: row.createdAt };
}

export function getView(db: Db, id: string): ViewResponse {
  const view = findView(db, id);
  if (!view) throw new NotFoundError(`short link "${id}" not found`);
  return view;
}
