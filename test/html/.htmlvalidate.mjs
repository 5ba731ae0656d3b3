/**
 * html-validate settings for the documents valid-html.test.ts reads back from the browser (Playwright's
 * `page.content()`), merged over the project's `.htmlvalidate.json` (recommended rules). Nothing is
 * turned off. The browser's serializer writes every boolean or empty attribute as `required=""` and
 * `hidden=""`, whatever the page sent (the pages send `required`), so here the two style rules ask for
 * that one form instead of the project's: any other form would be a change made by a script. Pages as
 * the server sent them are checked with the project's settings alone.
 */
export default {
  rules: {
    "attribute-boolean-style": ["error", { style: "empty" }],
    "attribute-empty-style": ["error", { style: "empty" }],
  },
};
