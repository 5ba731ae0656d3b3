import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { createDb } from "@/db/client.ts";
import { clientAddress } from "@/functions/http/client.ts";
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
  const staff = await staffFromToken(db, token, new Date());
  const address = clientAddress(request.headers);
  if (staff && url.searchParams.get("everywhere") === "1") await signOutEverywhere(db, staff, address);
  else await signOut(db, token, staff ? { staff, address } : undefined);
  return new Response(null, {
    status: 303,
    headers: {
      Location: "/admin/login?done=signed-out",
      "Set-Cookie": clearSessionCookie({ secure: isSecureOrigin(request.url) }),
    },
  });
};

export const GET: APIRoute = () => new Response(null, { status: 303, headers: { Location: "/admin" } });
