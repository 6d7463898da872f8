import { handlers } from "@/auth";
import { withBodyLimit } from "@/lib/http/limit-body";

export const { GET } = handlers;
// Auth.js reads its form bodies in full; refuse oversized ones (413) before it does.
export const POST = withBodyLimit(handlers.POST);
