export const dynamic = "force-static";

/** Listed in discovery because consumers require the field; this issuer mints tokens server-side only. */
export function GET() {
  return Response.json(
    {
      error: "unsupported_response_type",
      error_description: "This issuer mints ID tokens server-to-server only; there is no browser sign-in here.",
    },
    { status: 400 },
  );
}
