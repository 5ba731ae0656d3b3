/** The numbers of "My returns", in one place. */

/** A sign-in link works this long after it was mailed, and once. */
export const SIGN_IN_LINK_MINUTES = 15;
/** Sign-in links mailed per email address per hour: a typo'd second click is fine; a mail bomb is not. */
export const LINKS_PER_EMAIL = { limit: 5, windowSeconds: 60 * 60 } as const;
/** Sign-in links asked per client address per hour, whatever the addresses typed. */
export const LINKS_PER_ADDRESS = { limit: 20, windowSeconds: 60 * 60 } as const;
/** Requests (each with its units) per page of the list. */
export const REQUESTS_PER_PAGE = 10;
/** RMAs shown for one search (a serial's RMAs, or one RMA number). */
export const SEARCH_LIMIT = 50;

export const limitKeys = {
  email: (email: string) => `account-link:email:${email}`,
  address: (address: string) => `account-link:ip:${address}`,
};
