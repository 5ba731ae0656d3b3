import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { createDb } from "@/db/client.ts";
import { clearSessionCookie, isSecureOrigin, SESSION_COOKIE } from "@/functions/services/staff/session.ts";
import { signOut } from "@/functions/services/staff/sign-in.ts";

export const prerender = false;

/** `POST /admin/logout` (the header's Sign out button): deletes the session and clears the cookie. */
export const POST: APIRoute = async ({ cookies, request }) => {
  await signOut(createDb(env), cookies.get(SESSION_COOKIE)?.value);
  return new Response(null, {
    status: 303,
    headers: {
      Location: "/admin/login?done=signed-out",
      "Set-Cookie": clearSessionCookie({ secure: isSecureOrigin(request.url) }),
    },
  });
};

export const GET: APIRoute = () => new Response(null, { status: 303, headers: { Location: "/admin" } });
