// Plain (no hooks, no "use client"): the server-rendered dashboard names these ids too.

/** The first field a person would type in; buttons are left out so focus lands where typing starts. */
export const FIRST_FIELD = "input:not([type=hidden]):not([disabled]), select, textarea";

/** The id of a wallet card's heading (tabIndex -1): where focus goes when the card's content is replaced. */
export const walletHeadingId = (provider: string) => `wallet-${provider}-heading`;
