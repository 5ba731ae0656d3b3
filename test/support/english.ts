/**
 * Finds English left in a text meant to be Italian or German: the pages, emails and printed form of those
 * locales must have none. English is recognised by its small words (articles, pronouns, auxiliaries,
 * prepositions) that are not also Italian or German words; a text counts as English where such words come
 * close together, as they do in any English sentence, so a product name or an email address does not.
 */

/** Small English words that are not words of Italian or German (so not "in", "die", "also", "was", "will", "an", "am"). */
const ENGLISH_WORDS = new Set(
  (
    "the and your you yours our ours we us they them their this these those that which what when where who " +
    "whose how is are were been being has have had does did not cannot can't don't won't isn't aren't " +
    "should would could must may might shall of to from into onto with without within about after before " +
    "between by for at or if then than there here please thank thanks yes each every any some only just " +
    "more most such its it's it"
  ).split(" "),
);

/** Words of the text, lower case, without URLs, email addresses, codes and numbers. */
function wordsOf(text: string): string[] {
  return text
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\S+@\S+/g, " ")
    .toLowerCase()
    .split(/[^a-zà-öø-ÿ']+/)
    .filter(Boolean);
}

/**
 * The English passages in `text`: each run of words in which at least `minimum` English words stand within
 * eight words of each other, as found (for a test's message). Empty when none.
 */
export function englishLeft(text: string, minimum = 3): string[] {
  const words = wordsOf(text);
  const found: string[] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? "";
    if (!ENGLISH_WORDS.has(word)) {
      i++;
      continue;
    }
    let count = 1;
    let end = i;
    for (let j = i + 1; j < words.length && j - end <= 8; j++)
      if (ENGLISH_WORDS.has(words[j] ?? "")) {
        count++;
        end = j;
      }
    if (count >= minimum) found.push(words.slice(i, end + 1).join(" "));
    i = end + 1;
  }
  return found;
}
