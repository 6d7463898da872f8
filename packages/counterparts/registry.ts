// The counterparts present, keyed by name: the only list of them. One import and one entry
// line per counterpart (`npm run prune` removes both). Ports are base + `port` of each.
import type { Counterpart } from "./lib/counterpart";
import { airkitCounterpart } from "./airkit/counterpart";
import { alchemyCounterpart } from "./alchemy/counterpart";
import { firebaseCounterpart } from "./firebase/counterpart";
import { mailboxCounterpart } from "./mailbox/counterpart";
import { moojoCounterpart } from "./moojo/counterpart";
import { oidcCounterpart } from "./oidc/counterpart";
import { supabaseCounterpart } from "./supabase/counterpart";
import { turnkeyCounterpart } from "./turnkey/counterpart";

export const COUNTERPARTS: Readonly<Record<string, Counterpart>> = {
  oidc: oidcCounterpart,
  airkit: airkitCounterpart,
  mailbox: mailboxCounterpart,
  firebase: firebaseCounterpart,
  supabase: supabaseCounterpart,
  moojo: moojoCounterpart,
  alchemy: alchemyCounterpart,
  turnkey: turnkeyCounterpart,
};
