/**
 * FAQ and policies are Markdown in content/<locale>/. Each file's frontmatter is checked here:
 * a wrong or missing field fails the build with the file's name.
 */
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";
import { FAQ_CATEGORIES } from "./lib/faq-categories.ts";

const faq = defineCollection({
  loader: glob({ pattern: "*/faq/*.md", base: "./content" }),
  schema: z.object({
    /** The question, as the customer would ask it. */
    question: z.string().min(5).max(160),
    /** Group on /faq; labels come from content/<locale>/ui.json (`faq.categories`). */
    category: z.enum(FAQ_CATEGORIES),
    /** Position on /faq, unique across a locale's entries. */
    order: z.number().int().positive(),
  }),
});

const policies = defineCollection({
  loader: glob({ pattern: "*/policies/*.md", base: "./content" }),
  schema: z.object({
    /** Shown as the page's H1 and in the navigation. */
    title: z.string().min(3).max(80),
    /** One sentence for the policy index and the page's meta description. */
    summary: z.string().min(10).max(240),
    /** Position in the policy list. */
    order: z.number().int().positive(),
  }),
});

export const collections = { faq, policies };
