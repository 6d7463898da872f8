// The config fragments of the providers present, in load order (a fragment may read the ones
// before it: Moojo needs Firebase). The app's schema is the core schema plus these.
import { firebaseConfig } from "./identity/firebase/config";
import { oidcConfig } from "./identity/oidc/config";
import { passwordConfig } from "./identity/password/config";
import { supabaseConfig } from "./identity/supabase/config";
import { airkitConfig } from "./wallets/airkit/config";
import { alchemyConfig } from "./wallets/alchemy/config";
import { moojoConfig } from "./wallets/moojo/config";
import { turnkeyConfig } from "./wallets/turnkey/config";

export const configFragments = {
  oidc: oidcConfig,
  password: passwordConfig,
  firebase: firebaseConfig,
  supabase: supabaseConfig,
  airkit: airkitConfig,
  moojo: moojoConfig,
  alchemy: alchemyConfig,
  turnkey: turnkeyConfig,
};
