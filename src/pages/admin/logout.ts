import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { createDb } from "@/db/client.ts";
import { clearSessionCookie, isSecureOrigin, sessionCookieName } from "@/functions/services/staff/session.ts";
import { signOut, signOutEverywhere, staffFromToken } from "@/functions/services/staff/sign-in.ts";

export const prerender = false;

/**
 * `POST /admin/logout` (the header's Sign out button): deletes the session and clears the cookie. With
 * `?everywhere=1` (the settings page's "Sign out everywhere"), every session of the staff member ends.
 */
export const POST: APIRoute = async ({ cookies, request, url }) => {
  const db = createDb(env);
  const token = cookies.get(sessionCookieName(request.url))?.value;
  if (url.searchParams.get("everywhere") === "1") {
    const staff = await staffFromToken(db, token, new Date());
    if (staff) await signOutEverywhere(db, staff);
  }
  await signOut(db, token);
  return new Response(null, {
    status: 303,
    headers: {
      Location: "/admin/login?done=signed-out",
      "Set-Cookie": clearSessionCookie({ secure: isSecureOrigin(request.url) }),
    },
  });
};

export const GET: APIRoute = () => new Response(null, { status: 303, headers: { Location: "/admin" } });
