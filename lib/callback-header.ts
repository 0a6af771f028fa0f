/** The request header proxy.ts sets to the address asked for, so a page can send a stale session back to it. */
export const CALLBACK_HEADER = "x-service-contacts-callback";
