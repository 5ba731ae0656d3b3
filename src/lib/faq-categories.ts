/** FAQ groups, in the order /faq shows them; their labels are in content/<locale>/ui.json. */
export const FAQ_CATEGORIES = ["basics", "requesting", "shipping", "warranty", "costs", "cancellation"] as const;
export type FaqCategory = (typeof FAQ_CATEGORIES)[number];
