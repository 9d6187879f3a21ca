import { connection } from "next/server";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/server";
import { findView } from "@/lib/calibration/views";
import { safeRedirectPath } from "@/lib/http/same-origin-path";

/** /v/<id>: a short link → its page path with the stored query state (404 page when unknown). */
export default async function ShortLinkPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const view = findView(getDb(), id);
  if (!view) notFound();
  // findView already refuses an off-site target; checked again where the redirect is made.
  redirect(safeRedirectPath(view.target, "/"));
}
