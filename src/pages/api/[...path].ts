import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { app } from "@/functions/app.ts";

export const prerender = false;

/** Every /api request goes to the Hono app in functions/. */
export const ALL: APIRoute = ({ request, locals }) => app.fetch(request, env, locals.cfContext);
