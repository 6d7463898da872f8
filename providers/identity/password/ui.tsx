"use client";

import type { BrowserIdentity } from "@/components/identity/types";
import { PasswordForm } from "./form";

export const passwordBrowser: BrowserIdentity = { open: true, Form: ({ mailboxUrl }) => <PasswordForm mailboxUrl={mailboxUrl} /> };
